"""Checkpoints of everything a run needs to continue exactly: model, optimisers, step, data."""

import os

import tensorflow as tf

from unit_tf.config import checkpoints_dir
from unit_tf.models import variables_by_path


def make_checkpoint(model, optimizers, step, state=None):
    """A tf.train.Checkpoint of the model's variables (by path, including the latent-noise seed
    state), each optimiser (slots, step counter and so the learning-rate schedule), the global
    step and any other training `state` ({name: trackable}, e.g. image pools). The data position
    needs no state: the pipeline is a function of the step."""
    objects = {"model": variables_by_path(model), "step": step, **(state or {})}
    objects.update({f"optimizer_{player}": opt for player, opt in optimizers.items()})
    return tf.train.Checkpoint(**objects)


def is_chief(strategy) -> bool:
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return True
    return resolver.task_type == "chief" or (
        resolver.task_type == "worker" and resolver.task_id == 0
        and "chief" not in resolver.cluster_spec().as_dict())


def checkpoint_dir(model_dir, strategy) -> str:
    """The chief writes `<model_dir>/checkpoints`; other multi-worker tasks write a scratch copy
    (every worker must take part in a save) that is never read."""
    if is_chief(strategy):
        return checkpoints_dir(model_dir)
    resolver = strategy.cluster_resolver
    return os.path.join(model_dir, "checkpoints_scratch", f"{resolver.task_type}_{resolver.task_id}")
