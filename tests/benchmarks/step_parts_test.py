"""benchmarks/step_parts.py times the right parts: each player's update moves that player's
weights only, the decay-and-check part answers the step's finiteness question, and the filter
transforms cover every 3x3 kernel wide enough for Winograd."""

import numpy as np
import tensorflow as tf

from tests.benchmarks import load
from unit_tf.config import OptimConfig, UNITLossWeights
from unit_tf.models import UNIT
from unit_tf.objectives import UNITObjective
from unit_tf.testing.tiny import tiny_model_config
from unit_tf.training.optim import make_optimizer
from unit_tf.training.step import AlternatingGANStep


def test_fixed_parts_update_one_player_check_finiteness_and_transform_the_wide_kernels(
        monkeypatch):
    from unit_tf.layers import winograd

    module = load("step_parts")
    model = UNIT(tiny_model_config("unit"), seed=0).build_networks(16, 16)
    optimizers = {p: make_optimizer(OptimConfig(), "float32", name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, UNITObjective("nsgan", UNITLossWeights()), optimizers, 1e-4)
    step.build()
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)
    parts, kernels = module.fixed_parts(model, step)
    assert sorted(parts) == ["optimizer_update/d", "optimizer_update/g",
                             "weight_decay_and_check/d", "weight_decay_and_check/g",
                             "winograd_filter_transforms"]
    assert kernels == sum(1 for v in model.trainable_variables
                          if len(v.shape) == 4 and tuple(v.shape[:2]) == (3, 3)) > 0

    def weights(player):
        return [v.numpy() for v in model.trainable_variables_of(player)]

    before = {p: weights(p) for p in "gd"}
    parts["optimizer_update/g"]()
    assert all(not np.array_equal(a, b) for a, b in zip(before["g"], weights("g")))
    assert all(np.array_equal(a, b) for a, b in zip(before["d"], weights("d")))
    assert bool(parts["weight_decay_and_check/g"]()) is True
    assert np.isfinite(float(parts["winograd_filter_transforms"]()))
    # nothing wide enough: no transform part
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 10 ** 6)
    parts, kernels = module.fixed_parts(model, step)
    assert kernels == 0 and "winograd_filter_transforms" not in parts
