"""Training: the per-replica step, the generic loop, checkpoints, summaries."""

from unit_tf.training.experiment import build_training, train
from unit_tf.training.checkpoint import is_chief
from unit_tf.training.runtime import create_strategy

__all__ = ["build_training", "create_strategy", "is_chief", "train"]
