"""Winograd F(2x2, 3x3) and F(4x4, 3x3): stride-1 3x3 convolutions with 2.25x and 4x fewer
multiply-adds, in training and in exports.

Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks" (2016). Notation (F(2x2, 3x3);
F(4x4, 3x3) alike with 6x6 tiles every 4 pixels, 36 positions, 4x4 output blocks):
  d  a 4x4 tile of the padded input (tiles overlap by 2: tile (a, b) starts at row 2a, col 2b),
  g  a 3x3 filter slice, U = G g G^T (4x4), V = B^T d B (4x4), M = U * V summed over input
     channels = for each of the 16 positions (i, j) one matmul [T, Cin] x [Cin, Cout],
  Y = A^T M A, the 2x2 output block of the tile.
Per output value: 16 / 4 = 4 multiply-adds per input channel instead of 9 (F(4x4, 3x3): 2.25).

The matmuls are TensorFlow's (oneDNN); the tile transforms are memory-bound work. Training runs
F(4x4, 3x3) where a layer has at least WINOGRAD_F4_MIN_PIXELS outputs (F(2x2, 3x3) below, where
F(4x4, 3x3)'s few tiles make small products) with the ordinary-op transforms described below,
and writes the gradient out (`winograd_conv3x3`): it recomputes V from the input instead of
keeping it ((n / block)^2 x the input per convolution), only once the layer's output gradient
exists, and runs the transforms' transposes (`_portable_output_blocks_transposed`; the input
tiles' by differentiating their gather: one segment sum, 6.8 ms against 7.1 ms for adding the
tiles' overlapping lines back by slices and pads, 11.8 against 14.2 ms at 128^2x128, and less
memory), so the input and filter gradients take as few multiply-adds as the forward. A 64^2x256
reflect-padded layer's forward and backward took 25.4 ms against 40.4 ms for the F(2x2, 3x3)
XLA transforms that training ran until 2026-12-07 (`winograd_transforms` "xla": each transform
ONE XLA-compiled function) and 58.6 ms direct (with the slices-and-pads transpose). The filter
transform costs the same at any image size; the training step computes it once per kernel and
update (`shared_filter_tiles`), not once per call (UNIT calls each kernel ~5 times), while each
call's filter gradient goes back to 3x3 at once (`filter_tiles_transposed`), so the gradients
of a kernel's calls wait for its last call at 9 values per channel pair instead of n^2.

Exports have no XLA to count on (stock TF Serving runs it only behind an experimental flag,
TFLite never; an XLA SavedModel fails on a GPU server without XLA), so inference traced inside
`winograd_inference("portable")` (the default `unit-tf export`) runs Winograd F(4x4, 3x3) by
ordinary ops that every runtime has: 36 products per 4x4 output block, 2.25 multiply-adds per
output value instead of 9 (Lavin & Gray's F(4x4, 3x3), with the Toom-Cook points 0, 1, -1, 1/2,
-2 for accuracy: `_G4`, `_BT4`, `_AT4`). Its input transform is ONE gather of every 6x6 tile's
pixels, the padding included (a padded pixel reads its mirror image or a zero pixel), and ONE
[36, 36] matmul (`_portable_input_tiles`); the output blocks one [16, 36] matmul and one
transpose into place (`_portable_output_blocks`). A 64^2x256 reflect-padded layer took 6.9 ms
against 16.5 ms for the F(2x2, 3x3) transforms by 16 depthwise convolutions it replaced, and
15.4 ms for TF's direct convolution (this machine kind, oneDNN). TFLite's int8 calibration
cannot hold its transforms' wider range (tests/export/serving_test.py), so
`winograd_inference("portable_2x2")` (`unit-tf export --convolutions=winograd_2x2`) runs
F(2x2, 3x3) by the same ordinary ops for an int8 conversion.
`winograd_inference("xla")` (`unit-tf export --convolutions=winograd_xla`) traces the XLA
F(2x2, 3x3) functions. Outside all three (`--convolutions=direct`),
inference keeps the direct convolution.

Only where it pays and stays exact to float32 rounding: 3x3, stride 1, float32, at least
WINOGRAD_MIN_CHANNELS input and output channels and (when known at trace time)
WINOGRAD_MIN_PIXELS output pixels; any size (odd ones get a zero line, whose outputs are
dropped), shapes known or not when traced.
"""

import contextlib
import functools
import threading
import types

import numpy as np
import tensorflow as tf

from unit_tf.layers.inference_switch import InferenceSwitch
from unit_tf.layers.padding import pad_spatial

# Measured to pay at 256 channels (res-blocks) and 128 -> 256 / 256 -> 512 (phase convolutions);
# not measured narrower, where the transforms (~Cin + Cout per pixel) weigh more against the
# products saved (~Cin * Cout); tests lower both limits to exercise tiny shapes.
WINOGRAD_MIN_CHANNELS = 128
WINOGRAD_MIN_PIXELS = 16 * 16  # output pixels per image, when known at trace time
# training: F(4x4, 3x3) from this many output pixels per image (F(2x2, 3x3) below: its tiles
# make a [16, 64, 256] x [16, 256, 256] product at 16^2 and F(4x4, 3x3)'s a [36, 16, 256] one;
# a 16^2x256 layer's forward and backward took 3.8 ms against 4.5, a 32^2 one 10.4 against 9.1)
WINOGRAD_F4_MIN_PIXELS = 32 * 32

# per thread: .tiles {(kernel id, derive, transforms, graph id, replica context id) ->
# (kernel, U)}, or keyed (kernel id, derive, transforms) with .frozen (the U variables) inside
# precomputed_filter_tiles()
_CACHE = threading.local()

_G = np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], np.float32)
_GG = np.kron(_G, _G)  # [16 (i * 4 + j), 9 (row * 3 + col)]: vec(G g G^T) = (G (x) G) vec(g)
_BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float32)
_AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float32)
_AA = np.kron(_AT, _AT)  # [4 (y * 2 + x), 16 (i * 4 + j)]: vec(A^T M A) = (A^T (x) A^T) vec(M)

# F(4x4, 3x3) for exports (Toom-Cook points 0, 1, -1, 1/2, -2 and infinity: a 64^2x256 layer's
# largest error against float64 was 2.2e-5 for outputs of unit variance, against 6.2e-5 with
# Lavin & Gray's 0, +-1, +-2 and 9.5e-6 for the direct float32 convolution; tests check the
# identity A4^T [(G4 g) * (B4^T d)] = the correlation of d by g)
_G4 = np.array([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [-1 / 3, 1 / 3, -1 / 3],
                [-16 / 15, -8 / 15, -4 / 15], [1 / 15, -2 / 15, 4 / 15], [0, 0, 1]])
_BT4 = np.array([[1, -1.5, -2, 1.5, 1, 0], [0, -1, .5, 2.5, 1, 0], [0, 1, -2.5, .5, 1, 0],
                 [0, -2, -1, 2, 1, 0], [0, .5, -1, -.5, 1, 0], [0, 1, -1.5, -2, 1.5, 1]])
_AT4 = np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, .5, -2, 0], [0, 1, 1, .25, 4, 0],
                 [0, 1, -1, .125, -8, 1]])

# the ordinary-op transforms of exports, by kind: output block size m (tiles of (m + 2)^2), and
# G (x) G [(m + 2)^2, 9] in float64 (exports transform each filter once), B^T (x) B^T
# [(m + 2)^2 (i * (m + 2) + j), (m + 2)^2 (row * (m + 2) + col)], A^T (x) A^T [m^2, (m + 2)^2]
PORTABLE = {kind: (m, np.kron(g, g).astype(np.float64), np.kron(bt, bt).astype(np.float32),
                   np.kron(at, at).astype(np.float32))
            for kind, m, g, bt, at in [("portable", 4, _G4, _BT4, _AT4),
                                       ("portable_2x2", 2, _G, _BT, _AT)]}


WINOGRAD_INFERENCE = InferenceSwitch()  # on while an export traces with Winograd
# Inference calls traced inside winograd_inference(mode) run supported convolutions by Winograd
# too, with the transforms of `mode` ("portable", "portable_2x2", or "xla" as in training; a bare
# True is "xla"); winograd_wanted(training): training, or inference inside winograd_inference().
winograd_inference, winograd_wanted = WINOGRAD_INFERENCE.on, WINOGRAD_INFERENCE.wanted
TRANSFORMS = (*PORTABLE, "xla")


def winograd_transforms(training, padded_shape=None):
    """Which transforms a Winograd call on a padded input of `padded_shape` [B, H + 2, W + 2, C]
    takes: while training, F(4x4, 3x3) ("portable"), or F(2x2, 3x3) ("portable_2x2") for fewer
    than WINOGRAD_F4_MIN_PIXELS output pixels known at trace time; else the mode of the
    enclosing `winograd_inference` ("portable", "portable_2x2" or "xla")."""
    if training:
        h, w = padded_shape[1:3] if padded_shape is not None else (None, None)
        small = h is not None and w is not None and (h - 2) * (w - 2) < WINOGRAD_F4_MIN_PIXELS
        return "portable_2x2" if small else "portable"
    mode = WINOGRAD_INFERENCE.value
    return mode if mode in PORTABLE else "xla"


def winograd_supported(kernel_size, strides, padded_shape, out_channels, dtype):
    """Whether `winograd_conv3x3` computes the 'valid' convolution of a padded input of shape
    `padded_shape` [B, H + 2, W + 2, Cin] to [B, H, W, out_channels] (H, W may be unknown)."""
    _, h, w, in_channels = padded_shape
    if kernel_size != 3 or strides != 1 or tf.as_dtype(dtype) != tf.float32:
        return False
    large = h is None or w is None or (h - 2) * (w - 2) >= WINOGRAD_MIN_PIXELS
    return large and min(in_channels, out_channels) >= WINOGRAD_MIN_CHANNELS


def _even(t, height, width):
    """t [B, h, w, C] zero-padded at the bottom and right to even height and width (no-ops for
    even sizes; inside XLA the amounts are constants)."""
    return tf.pad(t, [[0, 0], [0, height % 2], [0, width % 2], [0, 0]])


def _combine(e0, o0, e1, o1):
    """B^T's four rows over 4 consecutive lines (even, odd, next even, next odd)."""
    return [e0 - e1, o0 + e1, e1 - o0, o0 - o1]


def _input_tiles(x):
    """[B, H+2, W+2, C] -> V [16, B * ceil(H/2) * ceil(W/2), C], position i * 4 + j (an odd H
    or W gets a zero line, whose outputs `_output_blocks` drops)."""
    shape = tf.shape(x)
    x = _even(x, shape[1], shape[2])
    even, odd = x[:, 0::2], x[:, 1::2]  # [B, H/2 + 1, W + 2, C]
    rows = _combine(even[:, :-1], odd[:, :-1], even[:, 1:], odd[:, 1:])
    tiles = []
    for r in rows:  # [B, H/2, W + 2, C]
        even, odd = r[:, :, 0::2], r[:, :, 1::2]
        tiles += _combine(even[:, :, :-1], odd[:, :, :-1], even[:, :, 1:], odd[:, :, 1:])
    return tf.reshape(tf.stack(tiles), [16, -1, x.shape[3]])


def _output_blocks(m, x, grow=0):
    """M [16, T, K] -> Y [B, H, W, K] (A^T M A, each tile's 2x2 block in place), H and W those
    of the padded input [B, H + 2, W + 2, C], x that input before `grow` more lines."""
    h, w = tf.shape(x)[1] + grow - 2, tf.shape(x)[2] + grow - 2
    m = tf.reshape(m, [4, 4, -1, (h + 1) // 2, (w + 1) // 2, m.shape[2]])
    rows = [m[0] + m[1] + m[2], m[1] - m[2] - m[3]]  # A^T's rows, over i: [4(j), B, h, w, K]
    y = [tf.stack([r[0] + r[1] + r[2], r[1] - r[2] - r[3]], 3) for r in rows]  # [B,h,w,2,K]
    y = tf.stack(y, 2)  # [B, H/2, 2, W/2, 2, K]
    return tf.reshape(y, [-1, h + h % 2, w + w % 2, m.shape[-1]])[:, :h, :w]


def _output_blocks_transposed(dy):
    """The transpose of `_output_blocks` (XLA kind): F(2x2, 3x3)'s dM [16, T, K] from
    dY [B, H, W, K], by the ordinary-op transforms' `_portable_output_blocks_transposed` (same
    A, same tile order), compiled below."""
    return _portable_output_blocks_transposed(dy, "portable_2x2")


_blocks_t = tf.function(_output_blocks_transposed, jit_compile=True, autograph=False)


def _dims(x):
    """(B, H, W) of x [B, H, W, C]: Python ints where known at trace time (index arithmetic on
    them is done once, in numpy, and enters the graph as one constant), else scalar tensors."""
    if None not in x.shape[:3]:
        return tuple(x.shape[:3])
    dynamic = tf.shape(x)
    return tuple(x.shape[i] if x.shape[i] is not None else dynamic[i] for i in range(3))


# index arithmetic in numpy (known sizes) or TensorFlow (sizes known only when run)
_NUMPY = types.SimpleNamespace(range=lambda n: np.arange(n, dtype=np.int32), abs=np.abs,
                               where=np.where, clip=np.clip)
_TENSORFLOW = types.SimpleNamespace(range=tf.range, abs=tf.abs, where=tf.where,
                                    clip=tf.clip_by_value)


def _index_ops(*sizes):
    return _NUMPY if all(isinstance(s, int) for s in sizes) else _TENSORFLOW


def _tile_lines(size, tiles, block, padding, pad_type):
    """[block + 2, tiles]: the line of the unpadded input (length `size`) that each line of each
    tile reads (tiles of block + 2 lines start every `block` lines of the input padded by
    `padding`): a reflect-padded line reads its mirror image; a zero-padded line reads -1 (a
    zero line); a line past the padded input (the last tile's overhang, whose outputs are
    dropped) reads a clipped line (or, zero-padded, the zero line)."""
    xp = _index_ops(size)
    line = xp.range(block + 2)[:, None] + block * xp.range(tiles)[None, :] - padding
    if pad_type == "reflect":
        line = xp.abs(line)
        line = xp.where(line >= size, 2 * (size - 1) - line, line)
    elif padding:
        return xp.where((line >= 0) & (line < size), line, -1)
    return xp.clip(line, 0, size - 1)


def _tiles_across(size, padding, block):
    """ceil(output lines / block) for an input of `size` lines padded by `padding`."""
    return (size + 2 * padding - 2 + block - 1) // block


def _portable_input_tiles(x, padding, pad_type, kind):
    """V = B^T d B by ordinary ops, padding included: ONE gather of every tile's n x n input
    pixels (n = block + 2; the padding is which pixel a padded one reads) in the order
    [n^2 (row * n + col), B, tiles down, tiles across], then ONE [n^2, n^2] matmul by
    B^T (x) B^T. (For F(2x2, 3x3) it replaced a pad, 16 depthwise convolutions and a stack.)
    [B, H, W, C] -> V [n^2, B * ceil(H'/block) * ceil(W'/block), C], H' = H + 2 padding - 2."""
    block, _, bb, _ = PORTABLE[kind]
    n, channels = block + 2, x.shape[3]
    b, h, w = _dims(x)
    xp = _index_ops(b, h, w)
    rows = _tile_lines(h, _tiles_across(h, padding, block), block, padding, pad_type)
    cols = _tile_lines(w, _tiles_across(w, padding, block), block, padding, pad_type)
    pixel = rows[:, None, :, None] * w + cols[None, :, None, :]  # [n, n, th, tw]
    pixel = pixel[:, :, None] + (xp.range(b) * h * w)[:, None, None]  # [n, n, B, th, tw]
    flat = tf.reshape(x, [-1, channels])  # [B * H * W, C]
    if pad_type == "zero" and padding:  # a zero pixel at the end for the padded lines
        outside = (rows < 0)[:, None, None, :, None] | (cols < 0)[None, :, None, None, :]
        pixel = xp.where(outside, b * h * w, pixel)
        flat = tf.concat([flat, tf.zeros([1, channels], x.dtype)], 0)
    d = tf.gather(flat, tf.reshape(pixel, [-1]))  # [n^2 * T, C]
    v = tf.matmul(bb, tf.reshape(d, [n * n, -1]))  # [n^2, T * C]
    return tf.reshape(v, [n * n, -1, channels])


def _portable_output_blocks(m, x, padding, kind):
    """Y = A^T M A by one [block^2, n^2] matmul and one transpose into place:
    M [n^2, T, K] -> [B, H', W', K] for the input x [B, H, W, C] before its padding."""
    block, _, _, aa = PORTABLE[kind]
    k = m.shape[2]
    b, height, width = _dims(x)
    h, w = height + 2 * padding - 2, width + 2 * padding - 2
    th, tw = _tiles_across(height, padding, block), _tiles_across(width, padding, block)
    y = tf.matmul(aa, tf.reshape(m, [aa.shape[1], -1]))  # [block^2 (y * block + x), T * K]
    y = tf.reshape(y, [block, block, b, th, tw, k])
    y = tf.transpose(y, [2, 3, 0, 4, 1, 5])  # [B, th, block, tw, block, K]
    return tf.reshape(y, [b, block * th, block * tw, k])[:, :h, :w]


def _portable_output_blocks_transposed(dy, kind):
    """The transpose of `_portable_output_blocks`: dY [B, H', W', K] -> dM [n^2, T, K] (zero
    lines pad dY to whole blocks; one transpose and one [n^2, block^2] matmul by
    (A^T (x) A^T)^T)."""
    block, _, _, aa = PORTABLE[kind]
    k = dy.shape[3]
    b, h, w = _dims(dy)
    th, tw = (h + block - 1) // block, (w + block - 1) // block
    dy = tf.pad(dy, [[0, 0], [0, th * block - h], [0, tw * block - w], [0, 0]])
    dy = tf.transpose(tf.reshape(dy, [b, th, block, tw, block, k]),
                      [2, 4, 0, 1, 3, 5])  # [block, block, B, th, tw, K]
    m = tf.matmul(aa.T, tf.reshape(dy, [block * block, -1]))  # [n^2, T * K]
    return tf.reshape(m, [aa.shape[1], -1, k])


@functools.lru_cache(maxsize=None)
def _transforms(padding, pad_type, kind="xla"):
    """(input tiles, output blocks, the output blocks' transpose) as functions of the input
    BEFORE its spatial padding by `padding` (layers.padding's pad_type):
      input_tiles(x) -> V, output_blocks(m, x) -> Y, output_blocks_transposed(dy) -> dM.
    "xla": XLA functions, which apply the padding in the same fused pass (a separate pad cost
    another pass over the input: 4.4 -> 3.1 ms for a 64^2x256 layer's forward); the `PORTABLE`
    kinds: ordinary ops (`_portable_input_tiles`)."""
    if kind in PORTABLE:
        return (functools.partial(_portable_input_tiles, padding=padding, pad_type=pad_type,
                                  kind=kind),
                functools.partial(_portable_output_blocks, padding=padding, kind=kind),
                functools.partial(_portable_output_blocks_transposed, kind=kind))

    def input_tiles(x):
        return _input_tiles(pad_spatial(x, padding, pad_type))

    def output_blocks(m, x):
        return _output_blocks(m, x, grow=2 * padding)

    return (*(tf.function(f, jit_compile=True, autograph=False)
              for f in (input_tiles, output_blocks)), _blocks_t)


def _filter_matrix(transforms):
    """G (x) G [n^2, 9] of `transforms` (float64 for the ordinary-op kinds, float32 for "xla")."""
    return PORTABLE[transforms][1] if transforms in PORTABLE else _GG


def filter_tiles(kernel, transforms="xla", training=False):
    """U = G g G^T for every (input, output) channel, as ONE matmul by G (x) G (two products by
    G, or XLA, took ~2x as long: the filter transform is paid per call, whatever the image size):
    "xla" (F(2x2, 3x3)): [3, 3, C, K] -> [16, C, K]; the `PORTABLE` kinds: -> [36, C, K]
    ("portable", F(4x4, 3x3)) or [16, C, K] ("portable_2x2"), computed in float64 for exports
    (which compute it once) and in the kernel's dtype in `training` (every update)."""
    c, k = kernel.shape[2], kernel.shape[3]
    if transforms in PORTABLE:
        gg = _filter_matrix(transforms)
        dtype = kernel.dtype if training else tf.float64
        u = tf.matmul(gg.astype(dtype.as_numpy_dtype),
                      tf.reshape(tf.cast(kernel, dtype), [9, c * k]))
        return tf.reshape(tf.cast(u, kernel.dtype), [gg.shape[0], c, k])
    return tf.reshape(tf.matmul(_GG, tf.reshape(kernel, [9, c * k])), [16, c, k])


@contextlib.contextmanager
def shared_filter_tiles():
    """Inside (one player's forward and backward pass, while the weights do not change): each
    kernel variable's U is computed once and shared by all its Winograd calls, so autodiff sums
    their dU and transforms it back once. Per thread and replica (a MirroredStrategy replica
    traces in its own thread and reads its own copy of each variable)."""
    saved = getattr(_CACHE, "tiles", None)
    _CACHE.tiles = {}
    try:
        yield
    finally:
        _CACHE.tiles = saved


@contextlib.contextmanager
def precomputed_filter_tiles():
    """Inside (an export's tracing; the weights are final): each kernel's U is computed once,
    when first traced, and kept in a variable of its own that every traced function reads, so a
    served translation does no filter transform (~7 ms of a 256^2 UNIT translation). Yields the
    list of those variables, filled while tracing (an ExportArchive saves them by itself)."""
    saved = getattr(_CACHE, "tiles", None), getattr(_CACHE, "frozen", None)
    _CACHE.tiles, _CACHE.frozen = {}, []
    try:
        yield _CACHE.frozen
    finally:
        _CACHE.tiles, _CACHE.frozen = saved


def _filter_tiles_of(kernel, derive=(), transforms="xla", training=False):
    """(g, U): the 3x3 kernel convolved by (`kernel`, or derive[0](kernel, *derive[1:])) and its
    tiles U for `transforms`; for a variable, computed once per `shared_filter_tiles()` scope and
    graph, or (U only, g None: nothing differentiates an export) once per
    `precomputed_filter_tiles()` scope."""
    def kernel_of(k):
        return derive[0](k, *derive[1:]) if derive else k

    def tiles_of(g):
        return filter_tiles(g, transforms, training)

    cache = getattr(_CACHE, "tiles", None)
    if cache is None or isinstance(kernel, tf.Tensor):
        g = kernel_of(tf.convert_to_tensor(kernel))  # (a Keras variable reshapes as a tensor)
        return g, tiles_of(g)
    frozen = getattr(_CACHE, "frozen", None)
    if frozen is not None:
        key = (id(kernel), derive, transforms)
        if key not in cache:
            with tf.init_scope():  # computed now, eagerly; read by every function traced after
                u = tf.Variable(tiles_of(kernel_of(tf.convert_to_tensor(kernel))),
                                trainable=False, name="winograd_filter_tiles")
            frozen.append(u)
            cache[key] = (kernel, u)
        return None, cache[key][1]
    # a replica reads its own copy of a mirrored variable
    key = (id(kernel), derive, transforms, training, id(tf.compat.v1.get_default_graph()),
           id(tf.distribute.get_replica_context()))
    if key not in cache:
        g = kernel_of(tf.convert_to_tensor(kernel))
        cache[key] = (kernel, g, tiles_of(g))  # (the kernel keeps its id alive)
    return cache[key][1:]


def filter_tiles_transposed(du, transforms="xla"):
    """The transpose of `filter_tiles` (G (x) G transposed): dU [n^2, C, K] -> dg [3, 3, C, K],
    in dU's dtype."""
    gg = _filter_matrix(transforms)
    c, k = du.shape[1], du.shape[2]
    dg = tf.matmul(gg.T.astype(du.dtype.as_numpy_dtype), tf.reshape(du, [gg.shape[0], c * k]))
    return tf.reshape(dg, [3, 3, c, k])


def winograd_conv3x3(x, kernel, padding=0, pad_type="zero", derive=(), transforms="xla",
                     training=False):
    """The 'valid' 3x3 stride-1 convolution of x padded by `padding` (pad_type 'zero' or
    'reflect', as layers.padding) by kernel [3, 3, C, K]: [B, H + 2 - 2p, W + 2 - 2p, C] ->
    [B, H, W, K] (`winograd_supported` must hold for the padded shape). `derive` = (fn, *args)
    convolves by fn(kernel, *args) instead (a 3x3 kernel made from the variable, such as
    upsample's phase kernels; fn and args hashable), whose U is shared like the variable's.
    `transforms`: "xla", "portable" or "portable_2x2" (`winograd_transforms`; the module
    docstring). `training`: the gradient is written out (below) and the filter transform runs
    in the kernel's dtype; otherwise a `PORTABLE` kind keeps autodiff's gradient (a SavedModel
    keeps custom gradients) and its filter transform runs in float64."""
    if transforms not in TRANSFORMS:
        raise ValueError(f"transforms={transforms!r} is not one of {', '.join(TRANSFORMS)}")
    tiles, blocks, blocks_transposed = _transforms(int(padding), pad_type, transforms)
    g, u = _filter_tiles_of(kernel, tuple(derive), transforms, bool(training))
    if (transforms in PORTABLE and not training) or g is None:
        return blocks(tf.matmul(tiles(x), u), x)  # [n^2, T, C] x [n^2, C, K] -> [B, H, W, K]

    @tf.custom_gradient
    def products(x, g):  # x, the 3x3 kernel g (U [n^2, C, K] made from it) -> [B, H, W, K]
        y = blocks(tf.matmul(tiles(x), u), x)  # [n^2, T, C] x [n^2, C, K] -> [B, H, W, K]

        def grad(dy):
            # V again (cheaper than keeping (n / block)^2 x the input until the backward pass),
            # its transpose by differentiating the transform (the gather's: one segment sum,
            # which adds the tiles' overlapping lines and the padding's mirrored ones back),
            # after dM: a dataflow runtime would otherwise recompute every V as soon as its x
            # exists, during the forward pass, and hold them all until the backward pass
            dm = blocks_transposed(dy)  # [n^2, T, K]
            with tf.control_dependencies([dm]), tf.GradientTape() as tape:
                tape.watch(x)
                v = tiles(x)
            du = tf.matmul(v, dm, transpose_a=True)  # [n^2, C, K]
            dv = tf.matmul(dm, u, transpose_b=True)  # [n^2, T, C]
            # dU back to the 3x3 kernel at once, per call (one [9, n^2] matmul): the calls'
            # gradients wait for the kernel's last call at 9 values per channel pair, not n^2
            return (tape.gradient(v, x, output_gradients=dv),
                    filter_tiles_transposed(du, transforms))

        return y, grad

    return products(x, g)
