"""`--checkpoint`, defined once for the commands that read a run directory."""

from absl import flags

HELP = ("A run directory's checkpoint to use: a step number (the run saves ckpt-<step>; "
        "--keep_checkpoints sets how many it keeps) or a checkpoint path. Default: the newest.")


def define_checkpoint_flag():
    return flags.DEFINE_string("checkpoint", None, HELP)
