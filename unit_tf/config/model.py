"""The base of every family's network config."""

from __future__ import annotations

import dataclasses

from unit_tf.config.checks import Checked


@dataclasses.dataclass(frozen=True)
class ModelConfig(Checked):
    """The `model` section: `preset` names the published configuration a family's defaults
    reproduce (UNIT: 'official' = mingyuliutw/UNIT master, 'paper' = NIPS 2017; the other
    families have only 'official'). Subclasses add their networks' fields."""

    SECTION = "model"

    preset: str = "official"
