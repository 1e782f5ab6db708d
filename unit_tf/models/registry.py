"""Building a model from an experiment config, and loading one back from a run directory."""

import json
import os

import tensorflow as tf

from unit_tf.config import RUN_CONFIG, ExperimentConfig, checkpoints_dir, from_dict
from unit_tf.models.base import variables_by_path
from unit_tf.models.cyclegan import CycleGAN, Pix2Pix
from unit_tf.models.munit import MUNIT
from unit_tf.models.unit import UNIT

MODELS = {"unit": UNIT, "munit": MUNIT, "cyclegan": CycleGAN, "pix2pix": Pix2Pix}


def build_model(config: ExperimentConfig, size=None):
    """The model of `config.family`, all variables built (at `size`, default the crop size)."""
    if config.family not in MODELS:
        raise ValueError(f"unknown model family {config.family!r}; known: {', '.join(MODELS)}")
    model = MODELS[config.family](config.model, seed=config.runtime.seed)
    size = size or config.data.crop_size
    if size % model.stride:
        raise ValueError(f"data.crop_size={size} must be a multiple of the network stride "
                         f"{model.stride} (the generator's down-sampling)")
    if size < model.min_discriminator_size:
        raise ValueError(f"data.crop_size={size} is too small for the discriminator: it needs "
                         f"at least {model.min_discriminator_size}; use fewer discriminator "
                         "layers (model.dis.n_layer/model.dis.num_scales, or model.n_layers_d)")
    return model.build_networks(size, size)


def read_run_config(model_dir) -> ExperimentConfig:
    path = os.path.join(model_dir, RUN_CONFIG)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{model_dir!r} is not a unit_tf run directory (no {RUN_CONFIG})")
    with open(path) as f:
        return from_dict(ExperimentConfig, json.load(f))


def load_run(model_dir, checkpoint=None):
    """(config, model, step) from a run directory's config.json and its latest (or the given)
    checkpoint; optimiser state is ignored."""
    config = read_run_config(model_dir)
    path = checkpoint or tf.train.latest_checkpoint(checkpoints_dir(model_dir))
    if not path:
        raise FileNotFoundError(f"{model_dir!r} holds no checkpoint yet (in "
                                f"{checkpoints_dir(model_dir)})")
    model = build_model(config)
    step = tf.Variable(0, dtype=tf.int64)
    tf.train.Checkpoint(model=variables_by_path(model), step=step).restore(path).expect_partial()
    return config, model, int(step.numpy())
