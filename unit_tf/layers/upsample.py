"""Nearest-neighbour x2 up-sampling followed by a conv block (the UNIT/MUNIT decoder stage),
computed in the up-sampled image's four phases on the low-resolution input.

Up-sampling by repetition then a k x k convolution is, for each output phase (row parity, column
parity), a smaller convolution of the LOW-resolution input whose taps are sums of the original
taps: for k = 5 (the official decoder) a 3 x 3 one. The four phase kernels side by side make one
3 x 3 convolution with 4x the output channels, and `depth_to_space` interleaves the phases: 36
instead of 100 multiply-adds per output value (2.8x fewer FLOPs), the same numbers up to float
rounding, the same [k, k, Cin, Cout] kernel variable (checkpoints and official weights load as
before). Zero padding is exact everywhere. Reflect padding of the up-sampled image is not the
up-sampling of a padded input: it is symmetric padding of the input except in the outermost
p - 1 output rows and columns, which are recomputed directly from the reflect-padded image.
"""

import functools

import keras
import numpy as np
import tensorflow as tf

from unit_tf.layers.conv_block import ConvBlock
from unit_tf.layers.padding import pad_spatial
from unit_tf.layers.winograd import (winograd_conv3x3, winograd_supported, winograd_transforms,
                                     winograd_wanted)

# Below this many input pixels per image a stage takes the plain path: the phases' extra ops
# (kernel sums, edge corrections) cost more graph-building time than the FLOPs they save. At
# 16 x 16 (a 64^2 UNIT's first decoder stage) phases cut the counted FLOPs per pixel from 22.7
# to 16.1 M, as at every larger size; a 64^2 training step took 0.83 s with phases from 32 x 32,
# 0.79 from 16 x 16 (same process, 8 interleaved rounds; within this host's noise).
PHASES_MIN_INPUT_PIXELS = 16 * 16


def phase_taps(kernel_size, padding):
    """(low, selection [2, n, k]) for a k-tap convolution padded by p after x2 repetition:
    output position 2m + r reads input m + o for o in low..low + n - 1, with weight
    sum_t selection[r, o - low, t] * w[t]."""
    offsets = [[(r + t - padding) // 2 for t in range(kernel_size)] for r in (0, 1)]
    low = min(min(o) for o in offsets)
    high = max(max(o) for o in offsets)
    selection = np.zeros([2, high - low + 1, kernel_size], np.float32)
    for r in (0, 1):
        for t, o in enumerate(offsets[r]):
            selection[r, o - low, t] = 1.0
    return low, selection


def phase_kernel(kernel, padding):
    """[k, k, Cin, Cout] -> [n, n, Cin, 4 Cout]: the four phase kernels, phase (dy, dx) at output
    channels (2 dy + dx) Cout ... (as `tf.nn.depth_to_space` reads them)."""
    k, _, cin, cout = kernel.shape
    _, selection = phase_taps(k, padding)
    n = selection.shape[1]
    s = tf.constant(selection.reshape(2 * n, k), kernel.dtype)  # [(r, o), t]
    rows = tf.tensordot(s, kernel, 1)  # [(dy, a), k, Cin, Cout]
    both = tf.tensordot(s, rows, [[1], [1]])  # [(dx, b), (dy, a), Cin, Cout]
    both = tf.reshape(both, [2, n, 2, n, cin, cout])  # [dx, b, dy, a, Cin, Cout]
    return tf.reshape(tf.transpose(both, [3, 1, 4, 2, 0, 5]), [n, n, cin, 4 * cout])


def _pad(x, axis, amount, mode):
    pads = [[0, 0]] * 4
    pads[axis] = [amount, amount]
    return tf.pad(x, pads, mode)


def _edge_error(inner, edge, axis):
    """One padded edge line (a row: axis 2 runs along it; a column: axis 1) of reflect padding
    by 2 of the x2 up-sampled input, minus what the phases read there: reflection puts input
    line 1 (or n - 2), the phases' symmetric padding input line 0 (or n - 1).
    [B, 1, W, C] or [B, H, 1, C] -> [B, 1, 2W + 4, C] or [B, 2H + 4, 1, C]."""
    true = _pad(tf.repeat(inner, 2, axis=axis), axis, 2, "REFLECT")
    read = tf.repeat(_pad(edge, axis, 1, "SYMMETRIC"), 2, axis=axis)
    return true - read


def _lines(t, axis, n):
    """t's first and last n lines along `axis`, side by side: [.., 2n, ..]."""
    def take(start, stop):
        return t[(slice(None),) * axis + (slice(start, stop),)]

    return tf.concat([take(0, n), take(-n, None)], axis)


def _outer_lines(t, axis, n):
    """(t's first and last n lines along `axis`, the same along `axis + 1`)."""
    return _lines(t, axis, n), _lines(t, axis + 1, n)


def _scatter_index(shape, axis, lines):
    """Indices of tensor_scatter_nd_add for the [.., 2n, ..] tensor `_lines` takes along
    `axis` (`lines` the line numbers), every leading axis enumerated: [..., axis + 1]."""
    ranges = [tf.range(shape[i]) for i in range(axis)] + [lines]
    return tf.stack(tf.meshgrid(*ranges, indexing="ij"), -1)


@functools.lru_cache(maxsize=None)
def _outer_lines_scattered(axis, n):
    """`_outer_lines` (of `axis` and `n`) whose gradient is ONE full-size tensor: zeros with
    the lines' gradients scatter-added (overlaps summed). Each slice's own gradient would be a
    full-size StridedSliceGrad that the gradient sum then adds up again: for the phase
    decoder's edge corrections, 8 of the input and 4 of the kernel per stage."""
    @tf.custom_gradient
    def lines(t):
        def grad(rows, cols):
            shape = tf.shape(t)

            def at(k):
                return tf.concat([tf.range(n), tf.range(shape[k] - n, shape[k])], 0)

            dt = tf.tensor_scatter_nd_add(tf.zeros_like(t), _scatter_index(shape, axis, at(axis)),
                                          rows)
            return tf.tensor_scatter_nd_add(dt, _scatter_index(shape, axis + 1, at(axis + 1)),
                                            cols)

        return _outer_lines(t, axis, n), grad

    return lines


def _reflect_corrections(x, kernel, training=False):
    """k = 5, reflect padding 2: the phases read the symmetric-padded input, which differs from
    the reflect-padded up-sampled image only on its outermost padded rows and columns. By
    linearity the output is off by the convolution of that difference, seen only by output rows
    0 and 2H - 1 (through kernel row 0, resp. 4) and columns 0 and 2W - 1. Rows carry the
    difference between the corner columns, the columns all of it (corners included), so no
    value is corrected twice. Returns ([B, 1, 2W, Cout] top, bottom, [B, 2H, 1, Cout] left,
    right). `training` reads x's and the kernel's outer lines through
    `_outer_lines_scattered` (the same values, a cheaper gradient)."""
    def between_corners(row):  # [B, 1, 2W + 4, C]: zero padded columns -2 and 2W + 1
        return tf.pad(row[:, :, 1:-1], [[0, 0], [0, 0], [1, 1], [0, 0]])

    def outer(t, axis, n):
        return (_outer_lines_scattered(axis, n) if training else
                functools.partial(_outer_lines, axis=axis, n=n))(t)

    # (split, not slices: its gradient is one concatenation, a slice's a zero-filled copy)
    rows, cols = outer(x, 1, 2)
    row0, row1, row_h2, row_h1 = tf.split(rows, 4, axis=1)  # rows 0, 1, H - 2, H - 1
    col0, col1, col_w2, col_w1 = tf.split(cols, 4, axis=2)
    top = between_corners(_edge_error(row1, row0, 2))
    bottom = between_corners(_edge_error(row_h2, row_h1, 2))
    left = _edge_error(col1, col0, 1)
    right = _edge_error(col_w2, col_w1, 1)
    k_rows, k_cols = outer(kernel, 0, 1)
    k_top, k_bottom = tf.split(k_rows, 2, axis=0)  # kernel rows 0 and k - 1
    k_left, k_right = tf.split(k_cols, 2, axis=1)  # kernel columns 0 and k - 1
    return (tf.nn.conv2d(top, k_top, 1, "VALID"),
            tf.nn.conv2d(bottom, k_bottom, 1, "VALID"),
            tf.nn.conv2d(left, k_left, 1, "VALID"),
            tf.nn.conv2d(right, k_right, 1, "VALID"))


def by_phases_supported(kernel_size, padding, pad_type):
    """Whether `upsampled_conv` computes this case by phases (else the plain way): k >= 5 odd
    with padding k // 2, zero padding (exact everywhere) or reflect padding with k = 5."""
    return kernel_size >= 5 and kernel_size % 2 == 1 and padding == kernel_size // 2 and (
        pad_type == "zero" or (pad_type == "reflect" and kernel_size == 5))


def plain_upsampled_conv(x, kernel, padding, pad_type="reflect"):
    """conv(pad(nearest x2 up-sampling of x), kernel), 'valid', the plain way."""
    up = tf.repeat(tf.repeat(x, 2, axis=1), 2, axis=2)
    return tf.nn.conv2d(pad_spatial(up, padding, pad_type), kernel, 1, "VALID")


def upsampled_conv(x, kernel, padding, pad_type="reflect", training=False):
    """conv(pad(nearest x2 up-sampling of x), kernel), 'valid', by phases where supported
    (module docstring). x [B, H, W, Cin], kernel [k, k, Cin, Cout] (the variable, read in x's
    dtype) -> [B, 2H, 2W, Cout]. `training` chooses how reflect padding's edge corrections are
    added (`_add_to_edges`) and runs a 3x3 phase convolution by Winograd where
    `winograd_supported` (unit_tf.layers.winograd).
    """
    k = kernel.shape[0]
    weights = tf.cast(kernel, x.dtype)  # Winograd reads the variable (its U is shared)
    if not by_phases_supported(k, padding, pad_type):
        return plain_upsampled_conv(x, weights, padding, pad_type)
    low, selection = phase_taps(k, padding)
    before, after = -low, selection.shape[1] - 1 + low  # input offsets low .. low + n - 1
    mode = "CONSTANT" if pad_type == "zero" else "SYMMETRIC"
    padded = tf.pad(x, [[0, 0], [before, after], [before, after], [0, 0]], mode)
    n = selection.shape[1]  # the phase kernels are n x n
    if winograd_wanted(training) and winograd_supported(n, 1, padded.shape, 4 * kernel.shape[3],
                                                        padded.dtype):
        # (the phase kernels of the variable itself: their transform is shared or precomputed)
        y = winograd_conv3x3(padded, kernel, derive=(phase_kernel, padding),
                             transforms=winograd_transforms(training, padded.shape),
                             training=training)  # [B, H, W, 4 Cout]
    else:
        phases = phase_kernel(weights, padding)  # [n, n, Cin, 4 Cout]
        y = tf.nn.conv2d(padded, phases, 1, "VALID")
    y = tf.nn.depth_to_space(y, 2)
    if pad_type == "zero":
        return y  # [B, 2H, 2W, Cout]
    return _add_to_edges(y, *_reflect_corrections(x, weights, training), scatter=training)


def _add_to_edges(y, top, bottom, left, right, scatter):
    """y [B, H', W', C] with top/bottom [B, 1, W', C] added to its first/last row and left/right
    [B, H', 1, C] to its first/last column.

    `scatter` (training): scatter-adds touch only the edges and their gradient passes y's through
    unchanged, where slicing y apart and concatenating it again costs, in the gradient,
    full-size StridedSliceGrads (about a tenth of a 256x256 UNIT training step). Inference (and
    so exports) keeps slices and concatenation: TFLite's int8 quantisation of a scatter-add
    loses the image (max error 0.7-1.3 instead of 0.2 on the tiny UNIT)."""
    if not scatter:
        y = tf.concat([y[:, :1] + top, y[:, 1:-1], y[:, -1:] + bottom], axis=1)
        return tf.concat([y[:, :, :1] + left, y[:, :, 1:-1], y[:, :, -1:] + right], axis=2)
    shape = tf.shape(y)
    rows = _scatter_index(shape, 1, tf.stack([0, shape[1] - 1]))  # [B, 2, 2]
    y = tf.tensor_scatter_nd_add(y, rows, tf.concat([top, bottom], axis=1))
    cols = _scatter_index(shape, 2, tf.stack([0, shape[2] - 1]))  # [B, H', 2, 3]
    return tf.tensor_scatter_nd_add(y, cols, tf.concat([left, right], axis=2))


@keras.saving.register_keras_serializable(package="unit_tf")
class UpsampleConvBlock(keras.layers.Layer):
    """`nn.Upsample(scale_factor=2)` (nearest) then ConvBlock(k x k, stride 1, pad k // 2).

    The official decoder uses k=5 with its LayerNorm and ReLU. With `phases` (the default),
    k >= 5 and inputs of at least PHASES_MIN_INPUT_PIXELS (or of unknown size), the convolution
    runs by phases on the low-resolution input (module docstring); spectral norm, k < 5 and
    smaller inputs take the plain path.
    Shape: [B, H, W, Cin] -> [B, 2H, 2W, filters].
    """

    def __init__(self, filters, kernel_size=5, norm="ln", activation="relu", pad_type="reflect",
                 negative_slope=0.2, init_type="kaiming", phases=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        self.phases = bool(phases)
        self.upsample = keras.layers.UpSampling2D(
            2, interpolation="nearest", name="upsample", dtype=self.dtype_policy)
        self.block = ConvBlock(
            self.filters, self.kernel_size, 1, self.kernel_size // 2, norm=norm,
            activation=activation, pad_type=pad_type, negative_slope=negative_slope,
            init_type=init_type, name="block", dtype=self.dtype_policy)

    @property
    def by_phases(self):
        return self.phases and self.norm != "sn" and by_phases_supported(
            self.kernel_size, self.kernel_size // 2, self.pad_type)

    def call(self, x, training=None):
        h, w = x.shape[1], x.shape[2]  # None in any-size signatures: phases
        small = h is not None and w is not None and h * w < PHASES_MIN_INPUT_PIXELS
        if small or not (self.by_phases and self.block.built):
            # the plain path; the first call (Keras' symbolic build pass) builds the block here
            return self.block(self.upsample(x), training=training)
        conv = self.block.conv
        y = upsampled_conv(x, conv.kernel, self.kernel_size // 2,
                           self.pad_type, training=bool(training))  # [B, 2H, 2W, filters]
        if conv.use_bias:
            y = y + tf.cast(conv.bias, y.dtype)
        return self.block.normalize_activate(y, training=training)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "norm": self.norm,
                "activation": self.activation, "pad_type": self.pad_type,
                "negative_slope": self.negative_slope, "init_type": self.init_type,
                "phases": self.phases}
