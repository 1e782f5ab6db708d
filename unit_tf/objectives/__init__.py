"""Objectives: model outputs -> named, unweighted loss terms per player."""

from unit_tf.objectives.base import CARRY, carry_key
from unit_tf.objectives.cyclegan import CycleGANObjective, Pix2PixObjective
from unit_tf.objectives.munit import MUNITObjective
from unit_tf.objectives.unit import UNITObjective
from unit_tf.objectives.unit_da import UNITDAObjective
from unit_tf.objectives.weighting import active, flatten_terms, weighted_total

__all__ = ["CARRY", "CycleGANObjective", "MUNITObjective", "Pix2PixObjective", "UNITDAObjective",
           "UNITObjective", "active", "carry_key", "flatten_terms", "weighted_total"]
