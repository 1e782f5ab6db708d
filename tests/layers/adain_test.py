import numpy as np

from unit_tf.layers import AdaIN
from unit_tf.testing.test_case import check_precision, check_serialization


def test_first_half_is_bias_second_half_is_weight_no_offset():
    rs = np.random.RandomState(0)
    x = rs.randn(2, 4, 6, 3).astype(np.float32)
    params = rs.randn(2, 6).astype(np.float32)
    y = AdaIN()(x, params).numpy()
    normalised = (x - x.mean((1, 2), keepdims=True)) / np.sqrt(x.var((1, 2), keepdims=True) + 1e-5)
    expected = normalised * params[:, None, None, 3:] + params[:, None, None, :3]
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_zero_weight_gives_the_bias():
    x = np.random.RandomState(1).randn(1, 3, 3, 2).astype(np.float32)
    params = np.array([[0.25, -1.0, 0.0, 0.0]], np.float32)
    y = AdaIN()(x, params).numpy()
    np.testing.assert_allclose(y[..., 0], 0.25, atol=1e-6)
    np.testing.assert_allclose(y[..., 1], -1.0, atol=1e-6)


def test_config_round_trip_and_precision():
    check_serialization(AdaIN, {"epsilon": 1e-3})
    x = np.random.RandomState(2).randn(2, 4, 4, 3).astype(np.float32)
    check_precision(AdaIN, {}, (x, np.ones((2, 6), np.float32)), "mixed_float16")
