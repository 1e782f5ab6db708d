"""The layout of a run directory, spelled once: what `train` writes and every reader expects."""

import os

RUN_CONFIG = "config.json"  # the ExperimentConfig of the run (JSON)
FLAGS_FILE = "flags.txt"  # the flags that made it (absl flagfile)
CHECKPOINTS = "checkpoints"  # tf.train.CheckpointManager's directory
SAMPLES = "samples"  # sample grids, <direction>_<step>.png
TENSORBOARD = "tensorboard"
KEPT = "kept"  # checkpoints/kept/: the every-Nth-step checkpoints kept permanently


def checkpoints_dir(model_dir: str) -> str:
    return os.path.join(model_dir, CHECKPOINTS)


def kept_checkpoints_dir(model_dir: str) -> str:
    return os.path.join(model_dir, CHECKPOINTS, KEPT)
