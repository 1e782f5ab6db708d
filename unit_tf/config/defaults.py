"""Config policy, as pure functions: each family's base configs and the epoch-schedule resolution.

The CLI maps flags onto these (cli/flags.py); library callers use them directly, e.g.
`defaults("cyclegan")` for junyanz's settings or `resolve_schedule(config, len(data))`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple, Optional

from unit_tf.config.da import da_optim
from unit_tf.config.experiment import FAMILY_CONFIGS, ExperimentConfig
from unit_tf.config.junyanz import JUNYANZ_FAMILIES, junyanz_optim
from unit_tf.config.nvlabs import UNITLossWeights, paper_loss_weights, unit_preset
from unit_tf.config.run import OptimConfig, TrainConfig

PRESETS = ("official", "paper")


class FamilyDefaults(NamedTuple):
    model: object
    loss_weights: object
    optim: OptimConfig


def defaults(family: str, preset: str = "official",
             lr_policy: Optional[str] = None) -> FamilyDefaults:
    """The base model, loss weights and optimiser of `family` (and UNIT's `preset`).

    UNIT official: mingyuliutw/UNIT master; UNIT paper: the NIPS model (x10 weights, constant
    rate); MUNIT: NVlabs master; CycleGAN/pix2pix: junyanz (Adam 2e-4, 100 + 100 epochs).
    `lr_policy`, when the caller asks for one, picks the optimiser base it belongs to: a junyanz
    family asked for a step-counted policy gets junyanz's optimiser without the epoch schedule.
    """
    if family not in FAMILY_CONFIGS:
        raise ValueError(f"family={family!r} is not one of {', '.join(FAMILY_CONFIGS)}")
    if preset not in PRESETS:
        raise ValueError(f"model.preset={preset!r} is not one of {', '.join(PRESETS)}")
    if family != "unit" and preset != "official":
        raise ValueError(f"model.preset={preset!r} is a UNIT preset; {family} has 'official' "
                         "only")
    if family == "unit":
        paper = preset == "paper"
        weights = paper_loss_weights() if paper else UNITLossWeights()
        # version_02 has no learning-rate decay
        optim = OptimConfig(lr_policy="constant") if paper and lr_policy is None else OptimConfig()
        return FamilyDefaults(unit_preset(preset), weights, optim)
    model_class, weights_class = FAMILY_CONFIGS[family]
    optim = da_optim() if family == "unit_da" else OptimConfig()
    if family in JUNYANZ_FAMILIES:
        optim = junyanz_optim() if lr_policy in (None, "linear") else \
            junyanz_optim(n_epochs=0, n_epochs_decay=0)  # another policy, counted in steps
    return FamilyDefaults(model_class(), weights_class(), optim)


def default_max_steps(optim: OptimConfig) -> int:
    """-1 (train for the schedule's epochs) with an epoch schedule, else TrainConfig's."""
    return -1 if optim.epoch_schedule else TrainConfig.max_steps


def resolve_schedule(config: ExperimentConfig, num_examples: int) -> ExperimentConfig:
    """`config` with the epoch schedule's steps_per_epoch (ceil(examples / batch)) filled in and
    train.max_steps -1 replaced by (n_epochs + n_epochs_decay) epochs."""
    optim, train = config.optim, config.train
    if optim.epoch_schedule:
        optim = dataclasses.replace(
            optim, steps_per_epoch=math.ceil(num_examples / config.data.batch_size))
    if train.max_steps == -1:
        if not optim.epoch_schedule:
            raise ValueError("train.max_steps=-1 (train for the epochs) needs "
                             "optim.lr_policy='linear' with optim.n_epochs/n_epochs_decay")
        train = dataclasses.replace(
            train, max_steps=(optim.n_epochs + optim.n_epochs_decay) * optim.steps_per_epoch)
    return dataclasses.replace(config, optim=optim, train=train)
