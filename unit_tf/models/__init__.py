"""Translation models. `MODELS` maps a family name to its class: one explicit, greppable dict."""

from unit_tf.models.base import variables_by_path
from unit_tf.models.unit import DIRECTIONS, DOMAINS, UNIT, parse_direction

MODELS = {"unit": UNIT}

__all__ = ["DIRECTIONS", "DOMAINS", "MODELS", "UNIT", "parse_direction",
           "variables_by_path"]
