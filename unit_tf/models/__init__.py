"""Translation models. `MODELS` maps a family name to its class: one explicit, greppable dict.
Every family implements `TranslationModel` (models/contract.py)."""

from unit_tf.models.base import variables_by_path
from unit_tf.models.contract import DIRECTIONS, DOMAINS, TranslationModel, parse_direction
from unit_tf.models.cyclegan import CycleGAN, Pix2Pix
from unit_tf.models.munit import MUNIT
from unit_tf.models.registry import MODELS, build_model, load_run, read_run_config
from unit_tf.models.unit import UNIT
from unit_tf.models.unit_da import UNITDA

__all__ = ["CycleGAN", "DIRECTIONS", "DOMAINS", "MODELS", "MUNIT", "Pix2Pix", "TranslationModel",
           "UNIT", "UNITDA", "build_model", "load_run", "parse_direction", "read_run_config",
           "variables_by_path"]
