"""Validation shared by the config dataclasses; each message names the field by its place in the
ExperimentConfig (`data.crop_size`, `model.dis.n_layer`, `loss_weights.gan_w`), which the CLI
translates into its flag name."""

from __future__ import annotations

import dataclasses
from typing import Any


def check_choice(name: str, value: Any, choices) -> None:
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(str, choices))}")


def check_positive(name: str, value, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name}={value!r} must be {'>= 0' if allow_zero else '> 0'}")


class Checked:
    """A config section: `SECTION` is its place in the ExperimentConfig ("data", "model.dis").
    `field(name)` is the qualified name messages use; the helpers check one field each."""

    SECTION = ""

    @classmethod
    def field(cls, name: str) -> str:
        return f"{cls.SECTION}.{name}" if cls.SECTION else name

    def check_positive(self, *names: str, allow_zero: bool = False) -> None:
        for name in names:
            check_positive(self.field(name), getattr(self, name), allow_zero)

    def check_choice(self, name: str, choices) -> None:
        check_choice(self.field(name), getattr(self, name), choices)


class NonNegativeWeights(Checked):
    """Loss weights are >= 0 (0 switches a term off); the message names the weight.

    `term_weight(player, group, key)` is the one protocol the objectives read weights through;
    this default is the NVlabs one: a single `<group>_w` for both players and every key.
    """

    SECTION = "loss_weights"

    def __post_init__(self):
        self.check_positive(*(f.name for f in dataclasses.fields(self)), allow_zero=True)

    def term_weight(self, player: str, group: str, key=None) -> float:
        """The weight of term `group[key]` of `player` ('g' or 'd')."""
        name = f"{group}_w"
        if name not in {f.name for f in dataclasses.fields(self)}:
            raise KeyError(f"no weight {name!r} in {type(self).__name__} for loss term {group!r}")
        return float(getattr(self, name))
