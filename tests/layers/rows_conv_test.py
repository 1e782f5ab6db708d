import numpy as np
import pytest
import tensorflow as tf

from unit_tf.layers import ConvBlock
from unit_tf.layers.padding import pad_spatial
from unit_tf.layers.rows_conv import by_rows_supported, column_selector, conv_by_rows
from unit_tf.profiling import function_flops


@pytest.mark.parametrize("shape,kernel_size,filters,padding,pad_type", [
    ((2, 12, 9, 5), 7, 3, 3, "reflect"), ((1, 8, 11, 4), 5, 1, 2, "zero"),
    ((1, 9, 7, 3), 5, 2, 0, "zero"), ((3, 10, 10, 6), 3, 3, 1, "reflect")])
def test_equals_the_direct_convolution(shape, kernel_size, filters, padding, pad_type):
    rs = np.random.RandomState(1)
    x = tf.constant(rs.randn(*shape).astype(np.float32))
    kernel = tf.constant(rs.randn(kernel_size, kernel_size, shape[-1], filters).astype(np.float32))
    want = tf.nn.conv2d(pad_spatial(x, padding, pad_type), kernel, 1, "VALID")
    got = conv_by_rows(x, kernel, padding, pad_type)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want.numpy(),
                               atol=2e-6 * float(tf.reduce_max(tf.abs(want))))


def test_the_column_selector_by_hand():
    selector = column_selector(3, 2, tf.float32).numpy()  # [1, 3 (dx), 6 (dx, f), 2 (f)]
    assert selector.shape == (1, 3, 6, 2) and selector.sum() == 6
    for dx in range(3):
        np.testing.assert_array_equal(selector[0, dx, 2 * dx:2 * dx + 2], np.eye(2))


def test_what_it_supports():
    assert by_rows_supported(7, 1, 3) and by_rows_supported(5, 1, 1)
    assert not by_rows_supported(7, 2, 3)  # strided
    assert not by_rows_supported(7, 1, 4)  # wide enough for the direct product
    assert not by_rows_supported(3, 1, 3)  # small kernels: not measured to pay


def test_a_conv_block_infers_by_rows_and_trains_directly():
    rs = np.random.RandomState(2)
    block = ConvBlock(3, 7, 1, 3, norm="none", activation="tanh", pad_type="reflect")
    x = tf.constant(rs.randn(2, 10, 12, 8).astype(np.float32))
    block(x)  # builds
    block.conv.bias.assign([0.1, -0.2, 0.3])
    spec = tf.TensorSpec(x.shape, tf.float32)
    direct = 2 * 2 * 10 * 12 * 49 * 8 * 3
    # by rows: the k x 1 convolution's multiply-adds plus the one-hot 1 x k sum (k F per output)
    assert function_flops(lambda v: block(v), spec) == direct + 2 * 2 * 10 * 12 * 7 * 21 * 3
    assert function_flops(lambda v: block(v, training=True), spec) == direct
    want = tf.tanh(tf.nn.conv2d(pad_spatial(x, 3, "reflect"), block.conv.kernel, 1, "VALID")
                   + block.conv.bias)
    for training in (False, True):
        np.testing.assert_allclose(block(x, training=training).numpy(), want.numpy(), atol=1e-5)
