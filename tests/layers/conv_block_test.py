import numpy as np
import pytest
import tensorflow as tf

from unit_tf.layers import ConvBlock
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_order_is_pad_conv_norm_activation():
    x = np.random.RandomState(0).randn(2, 8, 6, 3).astype(np.float32)
    block = ConvBlock(5, 3, 1, 1, norm="in", activation="relu", pad_type="reflect")
    y = block(x).numpy()
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    conv = tf.nn.conv2d(padded, block.conv.kernel, 1, "VALID").numpy() + block.conv.bias.numpy()
    normed = (conv - conv.mean((1, 2), keepdims=True)) / np.sqrt(
        conv.var((1, 2), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, np.maximum(normed, 0), atol=1e-5)
    assert count_params(block) == 3 * 3 * 3 * 5 + 5


@pytest.mark.parametrize("kernel,stride,pad,shape", [(7, 1, 3, (2, 16, 12, 4)),
                                                     (4, 2, 1, (2, 8, 6, 4)),
                                                     (1, 1, 0, (2, 16, 12, 4))])
def test_output_shapes(kernel, stride, pad, shape):
    y = ConvBlock(4, kernel, stride, pad, pad_type="reflect")(np.zeros((2, 16, 12, 3), np.float32))
    assert tuple(y.shape) == shape


def test_leaky_relu_slope_is_explicit_0_2():
    block = ConvBlock(1, 1, activation="lrelu", use_bias=False)
    block(np.zeros((1, 1, 1, 1), np.float32))
    block.conv.kernel.assign(np.ones((1, 1, 1, 1), np.float32))
    assert block(np.full((1, 1, 1, 1), -1.0, np.float32)).numpy().item() == pytest.approx(-0.2)


def test_layer_norm_and_spectral_norm_variants_build():
    x = np.ones((1, 8, 8, 3), np.float32)
    ln = ConvBlock(4, 5, 1, 2, norm="ln", pad_type="reflect")
    ln(x)
    assert count_params(ln) == 5 * 5 * 3 * 4 + 4 + 8
    sn = ConvBlock(4, 3, 1, 1, norm="sn")
    assert tuple(sn(x, training=True).shape) == (1, 8, 8, 4)


def test_unknown_norm_and_activation_are_named():
    with pytest.raises(ValueError, match="norm='group'"):
        ConvBlock(4, 3, norm="group")
    with pytest.raises(ValueError, match="activation='gelu'"):
        ConvBlock(4, 3, activation="gelu")


def test_config_round_trip_and_precision():
    kwargs = {"filters": 4, "kernel_size": 4, "strides": 2, "padding": 1, "norm": "ln",
              "activation": "lrelu", "pad_type": "reflect", "negative_slope": 0.2,
              "init_type": "gaussian"}
    check_serialization(ConvBlock, kwargs)
    x = np.random.RandomState(1).randn(2, 8, 8, 3).astype(np.float32)
    check_precision(ConvBlock, kwargs, x, "mixed_float16")
    check_precision(ConvBlock, {**kwargs, "activation": "tanh"}, x, "mixed_bfloat16")
