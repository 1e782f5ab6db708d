"""benchmarks/winograd_layers.py times every export kind's algorithm on the same layer, and each
computes that layer (its error against a float64 convolution is reported and small)."""

import pytest

from tests.benchmarks import load


@pytest.mark.parametrize("side,padding,pad_type", [(10, 1, "reflect"), (11, 0, "zero")])
def test_every_kind_computes_the_layer_and_is_timed(side, padding, pad_type):
    module = load("winograd_layers")
    result = module.measure_layer(side, 6, 5, padding, pad_type, rounds=2)
    assert sorted(result) == sorted(module.KINDS)
    for kind, row in result.items():
        assert 0 < row["ms_min"] <= row["ms"] <= row["ms_max"], kind
        # (outputs of about unit variance: float32 rounding, not a wrong convolution)
        assert row["max_error"] < 1e-4, kind
    assert module.LAYERS["res_block_64x256"] == (64, 256, 256, 1, "reflect")
