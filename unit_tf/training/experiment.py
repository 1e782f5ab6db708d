"""Build and run one experiment from an ExperimentConfig (the library's `train` entry point)."""

import logging
import os

import tensorflow as tf

from unit_tf.data import UnpairedData
from unit_tf.models import DIRECTIONS, build_model
from unit_tf.models.registry import RUN_CONFIG
from unit_tf.networks import VGG16Features
from unit_tf.objectives import MUNITObjective, UNITObjective, active
from unit_tf.training.optim import make_optimizer
from unit_tf.training.runtime import set_determinism, set_precision
from unit_tf.training.step import AlternatingGANStep
from unit_tf.training.summaries import image_grid, write_png
from unit_tf.training.trainer import Trainer


def build_objective(config):
    perceptual = None
    if active(config.loss_weights, "vgg"):
        perceptual = VGG16Features(config.vgg_weights, name="vgg16")
    if config.family == "unit":
        return UNITObjective(config.model.gan_type, config.loss_weights, perceptual)
    if config.family == "munit":
        return MUNITObjective(config.model.gan_type, config.loss_weights, perceptual)
    raise ValueError(f"no objective for family {config.family!r}")


def make_sampler(model, display, model_dir):
    """step -> {name: grid}: for each direction, the model's `display_rows` of the fixed display
    images (UNIT: input | translation | back-translation; MUNIT: input | reconstruction | one
    row per fixed style), also written as PNGs under <model_dir>/samples/."""

    @tf.function
    def translate_all(images):
        return {direction: model.display_rows(images[src], direction)
                for direction, (src, _) in DIRECTIONS.items()}

    def sample(step):
        grids = {}
        for direction, rows in translate_all(display).items():
            grid = image_grid(rows)
            write_png(os.path.join(model_dir, "samples", f"{direction}_{step:08d}.png"), grid)
            grids[f"samples/{direction}"] = grid
        return grids

    return sample


def write_run_config(config, model_dir):
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, RUN_CONFIG)
    with open(path, "w") as f:
        f.write(config.to_json())
    return path


def train(config, strategy, resume=True):
    """Train `config` under `strategy`; returns (model, final logs).

    With an existing checkpoint in model_dir the run continues from it (resume=False refuses to
    touch it instead, so nothing already done is overwritten).
    """
    rt, cfg = config.runtime, config.train
    existing = tf.train.latest_checkpoint(os.path.join(cfg.model_dir, "checkpoints"))
    if existing and not resume:
        raise FileExistsError(f"{cfg.model_dir!r} already holds a checkpoint ({existing}); "
                              "resume it (drop --noresume) or choose another --model_dir")
    if config.data.batch_size % strategy.num_replicas_in_sync:
        raise ValueError(f"--batch_size={config.data.batch_size} must be a multiple of the "
                         f"{strategy.num_replicas_in_sync} replicas of --strategy={rt.strategy}")
    set_precision(rt.precision)
    set_determinism(rt.seed, rt.deterministic)
    data = UnpairedData(config.data, seed=rt.seed)
    with strategy.scope():
        model = build_model(config)
        objective = build_objective(config)
        optimizers = {p: make_optimizer(config.optim, rt.precision, name=f"optimizer_{p}")
                      for p in objective.players}
        step = AlternatingGANStep(
            model, objective, config.loss_weights, optimizers, config.optim.weight_decay,
            coupled_weight_decay=config.optim.weight_decay_mode == "coupled",
            jit_compile=rt.jit_compile)
    display = data.display_images(cfg.num_samples)
    trainer = Trainer(strategy, model, step, data.dataset, cfg,
                      sample_fn=make_sampler(model, display, cfg.model_dir))
    restored = trainer.restore()
    if restored:
        logging.info("resuming from %s (step %d)", restored, int(trainer.global_step.numpy()))
    if trainer.chief:
        write_run_config(config, cfg.model_dir)
    logs = trainer.run()
    return model, logs
