"""Translation models. `MODELS` maps a family name to its class: one explicit, greppable dict."""

from unit_tf.models.base import variables_by_path
from unit_tf.models.registry import MODELS, build_model, load_run, read_run_config
from unit_tf.models.cyclegan import CycleGAN, Pix2Pix
from unit_tf.models.munit import MUNIT
from unit_tf.models.unit import DIRECTIONS, DOMAINS, UNIT, parse_direction

__all__ = ["CycleGAN", "DIRECTIONS", "DOMAINS", "MODELS", "MUNIT", "Pix2Pix", "UNIT", "build_model", "load_run", "parse_direction",
           "read_run_config",
           "variables_by_path"]
