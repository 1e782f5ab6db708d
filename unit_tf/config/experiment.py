"""The whole experiment: family, model, loss weights and run configs; JSON round trip."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Mapping

from unit_tf.config.da import UNITDAConfig, UNITDALossWeights
from unit_tf.config.junyanz import (CycleGANConfig, CycleGANLossWeights, Pix2PixConfig,
                                    Pix2PixLossWeights)
from unit_tf.config.nvlabs import MUNITConfig, MUNITLossWeights, UNITConfig, UNITLossWeights
from unit_tf.config.run import DataConfig, OptimConfig, RuntimeConfig, TrainConfig


@dataclasses.dataclass(frozen=True)
class ExperimentConfig:
    family: str = "unit"
    model: UNITConfig = UNITConfig()
    loss_weights: UNITLossWeights = UNITLossWeights()
    optim: OptimConfig = OptimConfig()
    data: DataConfig = DataConfig()
    runtime: RuntimeConfig = RuntimeConfig()
    train: TrainConfig = TrainConfig()
    # VGG16 weights of the perceptual loss (used only when loss_weights.vgg_w > 0): "imagenet"
    # (Keras' cached file; never downloaded) or a path to a VGG16 notop weights file.
    vgg_weights: str = "imagenet"

    def __post_init__(self):
        for domain in self.data.recolour:
            if self.family == "unit_da" and self.model.channels(domain) != 3:
                raise ValueError(
                    f"data.recolour={self.data.recolour!r} paints domain {domain}'s digits in "
                    f"colour, but model.channels_{domain}={self.model.channels(domain)} reads "
                    f"them as grey: set --channels_{domain}=3")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict:
    """{'model.dis.dim': 64, ...}: the leaves of a nested config dict by dotted path."""
    out = {}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


ARCHITECTURE_SECTIONS = ("family", "model.")  # what a checkpoint's variables depend on


def config_changes(saved: Mapping[str, Any], new: ExperimentConfig) -> dict:
    """{path: (saved value, new value)} of every field that differs between a run's saved
    config (as a dict) and `new`."""
    before, after = flatten(saved), flatten(new.to_dict())
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}


# family -> (model config class, loss weights class)
FAMILY_CONFIGS = {"unit": (UNITConfig, UNITLossWeights), "munit": (MUNITConfig, MUNITLossWeights),
                  "cyclegan": (CycleGANConfig, CycleGANLossWeights),
                  "pix2pix": (Pix2PixConfig, Pix2PixLossWeights),
                  "unit_da": (UNITDAConfig, UNITDALossWeights)}


def from_dict(cls, values: Mapping[str, Any]):
    """Rebuild a (nested) config dataclass from `dataclasses.asdict` output (an
    ExperimentConfig's model and loss weights take the classes of its family)."""
    kwargs = {}
    classes = {}
    if cls is ExperimentConfig:
        family = values.get("family", "unit")
        if family not in FAMILY_CONFIGS:
            raise ValueError(f"unknown model family {family!r}; known: {', '.join(FAMILY_CONFIGS)}")
        classes = dict(zip(("model", "loss_weights"), FAMILY_CONFIGS[family]))
    for field in dataclasses.fields(cls):
        if field.name not in values:
            continue
        value = values[field.name]
        if field.name in classes and isinstance(value, Mapping):
            value = from_dict(classes[field.name], value)
        elif dataclasses.is_dataclass(field.default) and isinstance(value, Mapping):
            value = from_dict(type(field.default), value)
        kwargs[field.name] = value
    return cls(**kwargs)
