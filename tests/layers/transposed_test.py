import numpy as np
import pytest
import tensorflow as tf

from unit_tf.layers import TransposedConvBlock
from unit_tf.testing.test_case import check_precision, check_serialization


def test_doubles_like_pytorch_and_keeps_its_alignment():
    # One input pixel of value 1 and an all-ones 3x3 kernel: PyTorch's ConvTranspose2d(k3, s2,
    # p1, output_padding 1) output for a 1x1 input is the kernel cropped to rows/cols [1, 3).
    layer = TransposedConvBlock(1, 3, 2, 1, 1, norm="none", activation="none", use_bias=False)
    x = np.ones((1, 1, 1, 1), np.float32)
    layer(x)
    layer.conv.kernel.assign(tf.reshape(tf.range(9, dtype=tf.float32), (3, 3, 1, 1)))
    out = layer(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[4, 5], [7, 8]])
    wide = layer(np.ones((2, 5, 7, 1), np.float32))
    assert tuple(wide.shape) == (2, 10, 14, 1)


def test_other_paddings_follow_the_pytorch_size_formula():
    layer = TransposedConvBlock(4, 4, 2, 1, 0, norm="in")
    assert tuple(layer(np.zeros((1, 6, 3, 2), np.float32)).shape) == (1, 12, 6, 4)
    with pytest.raises(ValueError, match="output_padding=2"):
        TransposedConvBlock(4, 3, 2, 1, 2)


def test_config_and_precision():
    check_serialization(TransposedConvBlock, {"filters": 8, "kernel_size": 3, "strides": 2,
                                              "padding": 1, "output_padding": 1, "norm": "bn",
                                              "activation": "relu", "init_type": "gaussian",
                                              "use_bias": False, "name": "up"})
    check_precision(TransposedConvBlock, {"filters": 4, "norm": "in"},
                    np.zeros((1, 4, 4, 2), np.float32))
