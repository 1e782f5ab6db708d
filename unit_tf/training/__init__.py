"""Training: the per-replica step, the generic loop, checkpoints, summaries."""

from unit_tf.training.experiment import build_model, read_run_config, train
from unit_tf.training.runtime import create_strategy

__all__ = ["build_model", "create_strategy", "read_run_config", "train"]
