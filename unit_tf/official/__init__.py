"""Loading checkpoints written by the official PyTorch implementations."""

from unit_tf.official.state_dict import CheckpointError, load_state_dict
from unit_tf.official.unit import (load_official_unit, msimagedis_params, vaegen_params)

__all__ = ["CheckpointError", "load_official_unit", "load_state_dict", "msimagedis_params",
           "vaegen_params"]
