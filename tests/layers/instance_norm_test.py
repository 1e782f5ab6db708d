import numpy as np

from unit_tf.layers import InstanceNorm
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def _reference(x, eps=1e-5):
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)  # biased, as InstanceNorm2d
    return (x - mean) / np.sqrt(var + eps)


def test_affine_free_matches_biased_variance_reference():
    x = np.random.RandomState(0).randn(2, 5, 7, 3).astype(np.float32) * 3 + 1
    layer = InstanceNorm()
    np.testing.assert_allclose(layer(x).numpy(), _reference(x), atol=1e-5)
    assert count_params(layer) == 0


def test_affine_has_gamma_beta_per_channel():
    x = np.random.RandomState(1).randn(2, 4, 4, 6).astype(np.float32)
    layer = InstanceNorm(affine=True)
    layer(x)
    assert count_params(layer) == 12
    layer.gamma.assign(np.full(6, 2.0, np.float32))
    layer.beta.assign(np.full(6, 0.5, np.float32))
    np.testing.assert_allclose(layer(x).numpy(), 2 * _reference(x) + 0.5, atol=1e-5)


def test_config_round_trip_and_precision():
    check_serialization(InstanceNorm, {"epsilon": 1e-3, "affine": True})
    x = np.random.RandomState(2).randn(2, 8, 8, 4).astype(np.float32) * 100
    check_precision(InstanceNorm, {"affine": True}, x, "mixed_float16")
    check_precision(InstanceNorm, {}, x, "mixed_bfloat16")
