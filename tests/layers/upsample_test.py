import numpy as np

from unit_tf.layers import UpsampleConvBlock
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_nearest_x2_then_conv():
    layer = UpsampleConvBlock(4, 5, norm="none", activation="none", pad_type="reflect")
    x = np.random.RandomState(0).randn(2, 3, 5, 8).astype(np.float32)
    y = layer(x).numpy()
    assert y.shape == (2, 6, 10, 4)
    nearest = x.repeat(2, axis=1).repeat(2, axis=2)
    np.testing.assert_allclose(y, layer.block(nearest).numpy(), atol=1e-6)
    assert count_params(layer) == 5 * 5 * 8 * 4 + 4


def test_config_round_trip_and_precision():
    kwargs = {"filters": 4, "kernel_size": 5, "norm": "ln", "activation": "relu"}
    check_serialization(UpsampleConvBlock, kwargs)
    check_precision(UpsampleConvBlock, kwargs, np.ones((1, 4, 4, 8), np.float32),
                       "mixed_bfloat16")
