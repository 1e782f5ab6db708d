"""Build and run one experiment from an ExperimentConfig (the library's `train` entry point)."""

import logging
import os
import sys

import tensorflow as tf

from unit_tf.config import (ARCHITECTURE_SECTIONS, RUN_CONFIG, SAMPLES, JunyanzConfig,
                            checkpoints_dir, config_changes, resolve_schedule)
from unit_tf.data import PairedData, UnpairedData
from unit_tf.data.digits import DigitsDAData
from unit_tf.models import DIRECTIONS, build_model, read_run_config
from unit_tf.networks import VGG16Features
from unit_tf.objectives import (CycleGANObjective, MUNITObjective, Pix2PixObjective,
                                UNITDAObjective, UNITObjective, active)
from unit_tf.training.banner import run_banner
from unit_tf.training.image_pool import ImagePool
from unit_tf.training.optim import make_optimizer
from unit_tf.training.runtime import set_determinism, set_precision
from unit_tf.training.step import AlternatingGANStep
from unit_tf.training.summaries import image_grid, write_png
from unit_tf.training.trainer import Trainer


OBJECTIVES = {"unit": UNITObjective, "munit": MUNITObjective, "cyclegan": CycleGANObjective,
              "pix2pix": Pix2PixObjective, "unit_da": UNITDAObjective}


def build_objective(config, history=None):
    """The objective of `config.family`; `history` ({domain: ImagePool}) for CycleGAN."""
    if config.family not in OBJECTIVES:
        raise ValueError(f"no objective for family {config.family!r}")
    perceptual = None
    if active(config.loss_weights, "vgg"):
        perceptual = VGG16Features(config.vgg_weights, name="vgg16")
    extra = {"feature_distance": config.model.feature_distance} \
        if config.family == "unit_da" else {}
    return OBJECTIVES[config.family](config.model.gan_type, config.loss_weights, perceptual,
                                     history, reuse_fakes=config.optim.reuse_fakes, **extra)


def build_image_pools(config, model):
    """{judged domain: ImagePool} of `pool_size` translations each (families with a pool),
    seeded from the run seed; built in the strategy scope, each replica keeps its own."""
    size = config.model.pool_size if isinstance(config.model, JunyanzConfig) else 0
    if not size:
        return {}
    crop = config.data.crop_size
    return {tgt: ImagePool(size, (crop, crop, model.channels[tgt]), seed=config.runtime.seed + i,
                           name=f"image_pool_{tgt}")
            for i, tgt in enumerate(DIRECTIONS[d][1] for d in model.directions)}


def make_data(config):
    """Paired A|B batches for pix2pix, labelled digits for the domain-adaptation family,
    independent domains for everything else."""
    cls = {"pix2pix": PairedData, "unit_da": DigitsDAData}.get(config.family, UnpairedData)
    return cls(config.data, seed=config.runtime.seed)


def make_sampler(model, display, model_dir):
    """step -> {name: grid}: for each direction, the model's `display_rows` of the fixed display
    images (UNIT: input | translation | back-translation; MUNIT: input | reconstruction | one
    row per fixed style), also written as PNGs under <model_dir>/samples/."""

    @tf.function
    def translate_all(images):
        return {direction: model.display_rows(images, direction)
                for direction in model.directions}

    def sample(step):
        grids = {}
        for direction, rows in translate_all(display).items():
            grid = image_grid(rows, model.display_labels(direction))
            write_png(os.path.join(model_dir, SAMPLES, f"{direction}_{step:08d}.png"), grid)
            grids[f"samples/{direction}"] = grid
        return grids

    return sample


def write_run_config(config, model_dir):
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, RUN_CONFIG)
    with open(path, "w") as f:
        f.write(config.to_json())
    return path


def check_resumed_config(config, model_dir):
    """Refuse to resume a run whose model differs from its saved config.json, naming each
    differing field; log the other changed fields (a resumed run may change them, e.g.
    train.max_steps to train longer)."""
    if not os.path.isfile(os.path.join(model_dir, RUN_CONFIG)):
        return
    changes = config_changes(read_run_config(model_dir).to_dict(), config)
    fixed = {k: v for k, v in changes.items() if k.startswith(ARCHITECTURE_SECTIONS)}
    if fixed:
        listed = "; ".join(f"{k}={new!r} (the run has {old!r})" for k, (old, new) in fixed.items())
        raise ValueError(f"{model_dir!r} holds a run of another model: {listed}. Use a new "
                         "--model_dir, or drop the flag(s) to resume this run")
    if changes:
        logging.warning("resuming with changed settings: %s", "; ".join(
            f"{k}: {old!r} -> {new!r}" for k, (old, new) in changes.items()))


def build_training(config, strategy):
    """(model, step, image pools) of `config`, built in `strategy`'s scope: what one training
    step needs besides data (the trainer and `benchmarks/train_step.py` both start here)."""
    rt = config.runtime
    with strategy.scope():
        model = build_model(config)
        pools = build_image_pools(config, model)
        objective = build_objective(config, pools)
        optimizers = {p: make_optimizer(config.optim, rt.precision, name=f"optimizer_{p}")
                      for p in objective.players}
        step = AlternatingGANStep(
            model, objective, optimizers, config.optim.weight_decay,
            coupled_weight_decay=config.optim.weight_decay_mode == "coupled",
            jit_compile=rt.jit_compile)
    return model, step, pools


def train(config, strategy, resume=True, on_accepted=None):
    """Train `config` under `strategy`; returns (model, final logs).

    With an existing checkpoint in model_dir the run continues from it (resume=False refuses to
    touch it instead, so nothing already done is overwritten). `on_accepted()` is called on the
    chief once the config, the data and any checkpoint to resume were accepted, right after
    config.json is written (the CLI writes flags.txt then).
    """
    rt, cfg = config.runtime, config.train
    existing = tf.train.latest_checkpoint(checkpoints_dir(cfg.model_dir))
    if existing and not resume:
        raise FileExistsError(f"{cfg.model_dir!r} already holds a checkpoint ({existing}); "
                              "resume it (drop --noresume) or choose another --model_dir")
    if config.data.batch_size % strategy.num_replicas_in_sync:
        raise ValueError(f"data.batch_size={config.data.batch_size} must be a multiple of the "
                         f"{strategy.num_replicas_in_sync} replicas of "
                         f"runtime.strategy={rt.strategy}")
    set_precision(rt.precision)
    set_determinism(rt.seed, rt.deterministic)
    data = make_data(config)
    config = resolve_schedule(config, len(data))
    cfg = config.train
    if existing:
        check_resumed_config(config, cfg.model_dir)
    model, step, pools = build_training(config, strategy)
    objective = step.objective
    display = data.display_images(cfg.num_samples)
    trainer = Trainer(strategy, model, step, data.dataset, cfg,
                      sample_fn=make_sampler(model, display, cfg.model_dir),
                      state={f"pool_{d}": pool for d, pool in pools.items()},
                      steps_per_epoch=config.optim.steps_per_epoch
                      if config.optim.epoch_schedule else 0)
    restored = trainer.restore()
    if restored:
        logging.info("resuming from %s (step %d)", restored, int(trainer.global_step.numpy()))
    if trainer.chief and cfg.progress:
        lines = run_banner(config, model, data, objective.players, strategy,
                           int(trainer.global_step.numpy()) if restored else None)
        sys.stderr.write("".join(f"{line}\n" for line in lines))
    if trainer.chief:
        write_run_config(config, cfg.model_dir)
        if on_accepted is not None:
            on_accepted()
    try:
        logs = trainer.run()
    except tf.errors.OpError:
        if data.fatal_error() is not None:  # a folder with no decodable image: say which
            raise data.fatal_error() from None
        raise
    finally:
        for line in data.failure_report():
            logging.warning("%s", line)
    return model, logs
