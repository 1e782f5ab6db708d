import numpy as np

from unit_tf.layers import LayerNorm
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_matches_official_formula_unbiased_std_eps_on_std():
    x = np.random.RandomState(0).randn(3, 4, 5, 6).astype(np.float32) * 2 + 3
    layer = LayerNorm()
    layer(x)
    gamma = np.random.RandomState(1).rand(6).astype(np.float32)
    beta = np.random.RandomState(2).randn(6).astype(np.float32)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    flat = x.reshape(3, -1)
    mean = flat.mean(1)[:, None, None, None]
    std = flat.std(1, ddof=1)[:, None, None, None]
    expected = (x - mean) / (std + 1e-5) * gamma + beta
    np.testing.assert_allclose(layer(x).numpy(), expected, atol=1e-5)


def test_gamma_initialised_uniform_beta_zero():
    layer = LayerNorm()
    layer(np.zeros((1, 2, 2, 512), np.float32))
    gamma = layer.gamma.numpy()
    assert count_params(layer) == 1024
    assert 0.0 <= gamma.min() and gamma.max() <= 1.0 and gamma.std() > 0.2
    assert np.all(layer.beta.numpy() == 0)


def test_batch_of_one_is_per_sample():
    x = np.random.RandomState(3).randn(1, 3, 3, 2).astype(np.float32)
    layer = LayerNorm(affine=False)
    y = layer(x).numpy()
    np.testing.assert_allclose(y.mean(), 0, atol=1e-6)
    np.testing.assert_allclose(y.std(ddof=1), 1, atol=1e-4)


def test_config_round_trip_and_precision():
    check_serialization(LayerNorm, {"epsilon": 1e-4, "affine": False})
    x = np.random.RandomState(4).randn(2, 8, 8, 4).astype(np.float32) * 50
    check_precision(LayerNorm, {}, x, "mixed_float16")
    check_precision(LayerNorm, {}, x, "mixed_bfloat16")
