"""Tiny configs of every family, for tests and smoke runs: a step in well under a second on CPU.

`tiny_model_config(family)` gives the architecture; `tiny_experiment(family, data_dir,
model_dir, ...)` a whole ExperimentConfig on 16-pixel (UNIT/MUNIT) or 32-pixel (CycleGAN,
pix2pix) crops. Keyword arguments override single fields.
"""

import dataclasses

from unit_tf.config import (CycleGANConfig, DataConfig, DiscriminatorConfig, ExperimentConfig,
                            FAMILY_CONFIGS, MUNITConfig, Pix2PixConfig,
                            RuntimeConfig, TrainConfig, UNITDAConfig, defaults, unit_preset)

TINY_DIS = DiscriminatorConfig(dim=8, n_layer=2, num_scales=2)


def tiny_model_config(family: str, preset: str = "paper", **overrides):
    """The family's architecture at width 8 (UNIT: the shared-latent `preset`, one res-block
    each side shared), one or two res-blocks, a 2-layer discriminator."""
    if family == "unit":
        return unit_preset(preset, **{"dim": 8, "n_res": 2, "dis": TINY_DIS, **overrides})
    if family == "munit":
        return MUNITConfig(**{"dim": 8, "mlp_dim": 16, "n_res": 1, "dis": TINY_DIS,
                              **overrides})
    if family == "cyclegan":
        return CycleGANConfig(**{"net_g": "resnet_1blocks", "ngf": 4, "ndf": 4, **overrides})
    if family == "pix2pix":
        return Pix2PixConfig(**{"net_g": "unet_32", "ngf": 4, "ndf": 4, **overrides})
    if family == "unit_da":
        return UNITDAConfig(**{"ch_g": 4, "ch_d": 4, **overrides})
    raise ValueError(f"family={family!r} is not one of {', '.join(FAMILY_CONFIGS)}")


TINY_SIZE = {"unit": 16, "munit": 16, "cyclegan": 32, "pix2pix": 32, "unit_da": 32}


def tiny_experiment(family, data_dir, model_dir, steps=2, model=None, optim=None, data=None,
                    runtime=None, train=None):
    """A tiny ExperimentConfig of `family`; `model`, `data`, `runtime`, `train` are dicts of field
    overrides (`optim` too, on top of the family's default optimiser without an epoch
    schedule)."""
    base = defaults(family, "paper" if family == "unit" else "official", lr_policy="step")
    size = TINY_SIZE[family]
    layout = "side_by_side" if family == "pix2pix" else "domains"
    return ExperimentConfig(
        family=family, model=tiny_model_config(family, **(model or {})),
        loss_weights=base.loss_weights,
        optim=dataclasses.replace(base.optim, **(optim or {})) if optim else base.optim,
        data=DataConfig(**{"data_dir": str(data_dir), "load_size": size, "crop_size": size,
                           "batch_size": 2, "layout": layout, **(data or {})}),
        runtime=RuntimeConfig(**{"seed": 3, "deterministic": True, **(runtime or {})}),
        train=TrainConfig(**{"model_dir": str(model_dir), "max_steps": steps,
                             "checkpoint_every": 2, "sample_every": 2, "summary_every": 1,
                             "log_every": 1, "num_samples": 2, "progress": False,
                             **(train or {})}))
