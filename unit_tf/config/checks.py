"""Validation shared by the config dataclasses; each message names the field."""

from __future__ import annotations

import dataclasses
from typing import Any


def check_choice(name: str, value: Any, choices) -> None:
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(str, choices))}")


def check_positive(name: str, value, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name}={value!r} must be {'>= 0' if allow_zero else '> 0'}")


class NonNegativeWeights:
    """Loss weights are >= 0 (0 switches a term off); the message names the weight."""

    def __post_init__(self):
        for field in dataclasses.fields(self):
            check_positive(field.name, getattr(self, field.name), allow_zero=True)
