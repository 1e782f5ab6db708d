"""A k x k convolution to a few output channels as two convolutions with wide outputs (inference).

The image heads (7x7, 64 -> 3 channels at full resolution: UNIT, MUNIT, CycleGAN) are the
slowest convolution per multiply-add of a translation: with 3 output channels the matrix
product has 3 columns, and TensorFlow's CPU kernel runs it at ~1/5 of its usual rate (~17 ms of a
~230 ms 256^2 UNIT translation for 1.2 GFLOP). Here, in notation: x the padded input, g the
kernel [k (dy), k (dx), C, F],

    z[i, j, (dx, f)] = sum_{dy, c} x[i + dy, j, c] g[dy, dx, c, f]   a k x 1 convolution, k F outputs
    y[i, j, f]       = sum_{dx} z[i, j + dx, (dx, f)]                a 1 x k one-hot convolution

The same multiply-adds for the first (with k F = 21 outputs it runs ~3x faster), k F per output
for the second. z depends on one column of x at a time, so x's horizontal padding is applied to
z (k F channels) instead of x (C channels). Inference only: fed a gradient, the two
convolutions cost more than the direct one (forward and backward, 27.6 vs 24.2 ms at
[1, 256, 256, 64], 7x7 -> 3). Every op is a builtin TFLite op too.
"""

import numpy as np
import tensorflow as tf

from unit_tf.layers.padding import pad_spatial

# Measured at k = 7, F = 3, the RGB heads (17.5 -> 9.1 ms at [1, 256, 256, 64]); wider outputs
# fill the matrix product better.
ROWS_MAX_FILTERS = 3
ROWS_MIN_KERNEL = 5


def by_rows_supported(kernel_size, strides, filters):
    """Whether `conv_by_rows` computes this convolution and is expected to pay."""
    return strides == 1 and kernel_size >= ROWS_MIN_KERNEL and filters <= ROWS_MAX_FILTERS


def column_selector(kernel_size, filters, dtype):
    """The one-hot [1, k, k F, F] kernel summing z's shifted columns: tap dx reads channel
    dx * F + f into output f."""
    k, f = kernel_size, filters
    selector = np.zeros([1, k, k * f, f], np.float32)
    for dx in range(k):
        selector[0, dx, dx * f + np.arange(f), np.arange(f)] = 1.0
    return tf.constant(selector, dtype)


def conv_by_rows(x, kernel, padding=0, pad_type="zero"):
    """conv(pad(x, padding, pad_type), kernel), 'valid', stride 1, by the two convolutions of the
    module docstring: x [B, H, W, C], kernel [k, k, C, F] -> [B, H + 2p - k + 1, W + 2p - k + 1, F]."""
    k, c, f = kernel.shape[0], kernel.shape[2], kernel.shape[3]
    rows = tf.reshape(tf.transpose(kernel, [0, 2, 1, 3]), [k, 1, c, k * f])  # [dy, 1, C, (dx, f)]
    z = tf.nn.conv2d(pad_spatial(x, padding, pad_type, axes=(1,)), rows, 1, "VALID")
    # [B, H', W, k F]
    z = pad_spatial(z, padding, pad_type, axes=(2,))  # [B, H', W + 2p, k F]
    return tf.nn.conv2d(z, column_selector(k, f, z.dtype), 1, "VALID")
