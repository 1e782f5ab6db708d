"""Loading checkpoints written by the official PyTorch implementations."""

from unit_tf.official.state_dict import CheckpointError, load_state_dict
from unit_tf.official.config import read_official_yaml
from unit_tf.official.importer import import_official
from unit_tf.official.munit import load_official_munit
from unit_tf.official.unit import load_official_unit, msimagedis_params, vaegen_params

__all__ = ["CheckpointError", "import_official", "load_official_munit", "load_official_unit",
           "load_state_dict", "msimagedis_params", "read_official_yaml", "vaegen_params"]
