import contextlib

import numpy as np
import pytest
import tensorflow as tf

import unit_tf.layers.winograd as winograd
from unit_tf.layers import ConvBlock
from unit_tf.layers.padding import pad_spatial
from unit_tf.layers.winograd import filter_tiles, winograd_conv3x3, winograd_supported
from unit_tf.profiling import function_flops

# the transforms a written-out gradient runs with, and the tolerance (of the largest value) of
# their float32 rounding: F(4x4, 3x3)'s transforms have larger coefficients
GRADIENT_KINDS = pytest.mark.parametrize("kind,tolerance", [("xla", 2e-6), ("portable_2x2", 2e-6),
                                                            ("portable", 1e-5)])


def direct_and_winograd(x, kernel, dy, padding=0, pad_type="zero", kind="xla"):
    """(y, dx, dkernel) of <conv(pad(x), kernel), dy> by the direct convolution and by Winograd
    with the training gradient (which pads inside its input transform)."""
    def run(conv):
        with tf.GradientTape() as tape:
            tape.watch([x, kernel])
            y = conv(x, kernel)
            loss = tf.reduce_sum(y * dy)
        return [y, *tape.gradient(loss, [x, kernel])]

    return (run(lambda a, b: tf.nn.conv2d(pad_spatial(a, padding, pad_type), b, 1, "VALID")),
            tf.function(lambda: run(lambda a, b: winograd_conv3x3(
                a, b, padding, pad_type, transforms=kind, training=True)))())


def assert_same_outputs_and_gradients(direct, fast, tolerance=2e-6):
    for name, want, got in zip(("y", "dx", "dkernel"), direct, fast):
        assert got.shape == want.shape, name
        scale = float(tf.reduce_max(tf.abs(want)))
        np.testing.assert_allclose(got.numpy(), want.numpy(), atol=tolerance * scale,
                                   err_msg=name)


@GRADIENT_KINDS
@pytest.mark.parametrize("shape,filters", [((2, 8, 12, 5), 7), ((1, 4, 4, 3), 2),
                                           ((3, 10, 6, 16), 16), ((2, 9, 12, 4), 3),
                                           ((1, 7, 5, 2), 3), ((1, 3, 3, 2), 2),
                                           ((1, 13, 11, 3), 2)])
def test_equals_the_direct_convolution_and_its_gradients(shape, filters, kind, tolerance):
    rs = np.random.RandomState(0)
    x = tf.constant(rs.randn(*shape).astype(np.float32))
    kernel = tf.constant(rs.randn(3, 3, shape[-1], filters).astype(np.float32))
    dy = tf.constant(rs.randn(shape[0], shape[1] - 2, shape[2] - 2, filters).astype(np.float32))
    assert_same_outputs_and_gradients(*direct_and_winograd(x, kernel, dy, kind=kind), tolerance)


PADDED = [(1, "reflect", (2, 6, 9, 5)), (1, "zero", (1, 7, 4, 3)), (2, "reflect", (1, 5, 6, 4))]


@GRADIENT_KINDS
@pytest.mark.parametrize("padding,pad_type,shape", PADDED + [(1, "reflect", (2, 11, 14, 3)),
                                                            (1, "zero", (1, 10, 9, 2))])
def test_the_padding_inside_the_input_transform(padding, pad_type, shape, kind, tolerance):
    # the input gradient of the padding too (reflect: a mirrored line adds to its original)
    rs = np.random.RandomState(8)
    x = tf.constant(rs.randn(*shape).astype(np.float32))
    kernel = tf.constant(rs.randn(3, 3, shape[-1], 4).astype(np.float32))
    out = (shape[0], shape[1] + 2 * padding - 2, shape[2] + 2 * padding - 2, 4)
    dy = tf.constant(rs.randn(*out).astype(np.float32))
    assert_same_outputs_and_gradients(
        *direct_and_winograd(x, kernel, dy, padding, pad_type, kind), tolerance)


@pytest.mark.parametrize("kind", ["portable", "portable_2x2"])
def test_the_written_gradient_takes_sizes_unknown_when_traced(kind):
    rs = np.random.RandomState(10)
    kernel = tf.constant(rs.randn(3, 3, 3, 2).astype(np.float32))

    def gradients(v):
        with tf.GradientTape() as tape:
            tape.watch([v, kernel])
            y = winograd_conv3x3(v, kernel, 1, "reflect", transforms=kind, training=True)
            loss = tf.reduce_sum(tf.square(y))
        return tape.gradient(loss, [v, kernel])

    any_size = tf.function(gradients).get_concrete_function(
        tf.TensorSpec([None, None, None, 3], tf.float32))
    for shape in ((2, 9, 6, 3), (1, 5, 12, 3)):
        x = tf.constant(rs.randn(*shape).astype(np.float32))
        for got, want in zip(any_size(x), tf.function(gradients)(x)):
            np.testing.assert_allclose(got.numpy(), want.numpy(),
                                       atol=1e-5 * float(np.abs(want.numpy()).max()))


def test_training_takes_f4x4_from_32x32_outputs():
    # (F(2x2, 3x3) below; the kind an export traces with is the switch's, whatever the size)
    for padded_shape, kind in [((1, 34, 34, 8), "portable"), ((2, 66, 130, 8), "portable"),
                               ((1, 33, 34, 8), "portable_2x2"),
                               ((1, 18, 18, 8), "portable_2x2"),
                               ((None, None, None, 8), "portable"), (None, "portable")]:
        assert winograd.winograd_transforms(True, padded_shape) == kind, padded_shape
        with winograd.winograd_inference("portable_2x2"):
            assert winograd.winograd_transforms(False, padded_shape) == "portable_2x2"


@pytest.mark.parametrize("kind", ["portable", "portable_2x2"])
@pytest.mark.parametrize("padding,pad_type,shape",
                         [(0, "zero", (2, 8, 12, 5)), (0, "zero", (1, 7, 5, 2)),
                          (1, "zero", (2, 13, 6, 3)), (1, "reflect", (3, 9, 11, 2))] + PADDED)
def test_the_portable_transforms_equal_the_direct_convolution(padding, pad_type, shape, kind):
    # ordinary ops (what default and winograd_2x2 exports run), for known and unknown sizes,
    # odd ones and sizes that are not a multiple of the output block included
    rs = np.random.RandomState(4)
    x = tf.constant(rs.randn(*shape).astype(np.float32))
    kernel = tf.constant(rs.randn(3, 3, shape[-1], 3).astype(np.float32))
    want = tf.nn.conv2d(pad_spatial(x, padding, pad_type), kernel, 1, "VALID").numpy()
    for spec in (tf.TensorSpec(shape, tf.float32),
                 tf.TensorSpec([None, None, None, shape[-1]], tf.float32)):
        portable = tf.function(lambda v: winograd_conv3x3(
            v, kernel, padding, pad_type, transforms=kind)).get_concrete_function(spec)
        got = portable(x).numpy()
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, atol=2e-6 * float(np.abs(want).max()))
        ops = {op.type for op in portable.graph.get_operations()}
        # one gather of the tiles' pixels (the padding included), matmuls
        assert "GatherV2" in ops and "BatchMatMulV2" in ops
        assert not ops & {"Conv2D", "DepthwiseConv2dNative", "MirrorPad", "Pad", "PadV2"}
        assert not xla_functions(portable)
        # the products: (block + 2)^2 tile positions of ceil(H' / block) x ceil(W' / block)
        block = winograd.PORTABLE[kind][0]
        tiles = -(-want.shape[1] // block) * -(-want.shape[2] // block) * shape[0]
        products = [op for op in portable.graph.get_operations() if op.type == "BatchMatMulV2"]
        assert [p.outputs[0].shape.as_list() for p in products] == [
            [(block + 2) ** 2, tiles if spec.shape[1] else None, 3]]
    with pytest.raises(ValueError, match=r"transforms='fused' is not one of portable, "
                                         r"portable_2x2, xla"):
        winograd_conv3x3(x, kernel, transforms="fused")


def xla_functions(concrete):
    """The names of the XLA-compiled functions a concrete function calls."""
    library = concrete.graph.as_graph_def().library.function
    return [f.signature.name for f in library
            if "_XlaMustCompile" in f.attr and f.attr["_XlaMustCompile"].b]


def test_inference_chooses_the_transforms_of_the_switch(monkeypatch):
    narrow_enough(monkeypatch)
    block = ConvBlock(5, 3, 1, 1, norm="none", activation="none", pad_type="reflect")
    spec = tf.TensorSpec([1, 6, 8, 4], tf.float32)
    block(tf.zeros(spec.shape))
    for mode, training, winograd_ops, xla in [(None, False, False, False),
                                              ("portable", False, True, False),
                                              ("portable_2x2", False, True, False),
                                              ("xla", False, True, True),
                                              (True, False, True, True),
                                              ("portable", True, True, False),
                                              ("xla", True, True, False)]:
        with winograd.winograd_inference(mode):
            # training (by F(2x2, 3x3) on these 6x8 outputs) runs the ordinary-op transforms
            assert winograd.winograd_transforms(training, (1, 8, 10, 4)) == (
                "portable_2x2" if training else
                "xla" if mode not in ("portable", "portable_2x2") else mode)
            concrete = tf.function(lambda v: block(v, training=training)) \
                .get_concrete_function(spec)
        ops = {op.type for op in concrete.graph.get_operations()}
        assert ("BatchMatMulV2" in ops) is winograd_ops, (mode, training)
        assert bool(xla_functions(concrete)) is xla, (mode, training)


def test_a_conv_block_eagerly(monkeypatch):
    # the kernel is a Keras variable: read inside a custom gradient, eager TF refuses it
    narrow_enough(monkeypatch)
    rs = np.random.RandomState(7)
    block = ConvBlock(5, 3, 1, 1, norm="none", activation="none", pad_type="reflect")
    x = tf.constant(rs.randn(2, 6, 8, 4).astype(np.float32))
    direct = block(x).numpy()  # builds; inference: direct
    with winograd.winograd_inference():
        np.testing.assert_allclose(block(x).numpy(), direct, atol=1e-5)
    gradients = []
    for training in (True, False):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(block(x, training=training)))
        gradients.append(tape.gradient(loss, block.conv.kernel).numpy())
    np.testing.assert_allclose(*gradients, atol=2e-6 * float(np.abs(gradients[1]).max()))


@pytest.mark.parametrize("name,g,bt,at", [("F(2x2, 3x3)", winograd._G, winograd._BT,
                                            winograd._AT),
                                           ("F(4x4, 3x3)", winograd._G4, winograd._BT4,
                                            winograd._AT4)])
def test_the_transform_matrices_compute_a_correlation(name, g, bt, at):
    # A^T [(G g) * (B^T d)] = (d (*) g)[i] = sum_k g[k] d[i + k], exactly (float64)
    m = at.shape[0]
    rs = np.random.RandomState(3)
    for _ in range(5):
        taps, d = rs.randn(3), rs.randn(m + 2)
        want = [np.dot(taps, d[i:i + 3]) for i in range(m)]
        got = np.asarray(at, np.float64) @ ((np.asarray(g, np.float64) @ taps)
                                             * (np.asarray(bt, np.float64) @ d))
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, err_msg=name)


def test_the_filter_transform_by_hand():
    # U = G g G^T; for g = 1 everywhere G's rows sum to (1, 1.5, 0.5, 1)
    u = filter_tiles(tf.ones([3, 3, 1, 1])).numpy().reshape(4, 4)
    rows = np.array([1, 1.5, 0.5, 1], np.float32)
    np.testing.assert_allclose(u, np.outer(rows, rows))


def test_shapes_unknown_when_traced_and_the_multiplies_it_saves():
    kernel = tf.constant(np.random.RandomState(1).randn(3, 3, 8, 4).astype(np.float32))
    for spec in (tf.TensorSpec([None, 10, 14, 8], tf.float32),
                 tf.TensorSpec([None, None, None, 8], tf.float32)):
        any_size = tf.function(lambda v: winograd_conv3x3(v, kernel)).get_concrete_function(spec)
        for shape in ((3, 10, 14, 8), (1, 11, 8, 8))[:1 if spec.shape[1] else 2]:
            x = tf.constant(np.random.RandomState(2).randn(*shape).astype(np.float32))
            np.testing.assert_allclose(any_size(x).numpy(),
                                       tf.nn.conv2d(x, kernel, 1, "VALID").numpy(), atol=1e-4)
    # 16 products of [tiles, Cin] x [Cin, Cout] per 2x2 outputs, against 9 per output, and
    # the filter transform (one product by G (x) G [16, 9]: 2*16*9 FLOPs per channel pair)
    flops = function_flops(lambda v: winograd_conv3x3(v, kernel),
                           tf.TensorSpec([3, 10, 14, 8], tf.float32))
    products, tiles = 2 * 16 * (3 * 4 * 6) * 8 * 4, 2 * 16 * 9 * 8 * 4
    assert flops == products + tiles
    assert products * 2.25 == 2 * 3 * 8 * 12 * 9 * 8 * 4


def test_what_it_supports():
    ok = dict(kernel_size=3, strides=1, padded_shape=(None, 66, 34, 128), out_channels=256,
              dtype="float32")
    assert winograd_supported(**ok)
    for change in [dict(padded_shape=(1, 65, 35, 128)), dict(padded_shape=(1, None, 34, 128)),
                   dict(padded_shape=(1, None, None, 128))]:
        assert winograd_supported(**{**ok, **change}), change
    for change in [dict(kernel_size=5), dict(strides=2), dict(dtype="float16"),
                   dict(dtype="bfloat16"), dict(out_channels=64),
                   dict(padded_shape=(1, 66, 34, 64)), dict(padded_shape=(1, 10, 10, 256))]:
        assert not winograd_supported(**{**ok, **change}), change


def narrow_enough(monkeypatch):
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_PIXELS", 1)


def graph_ops(fn, spec):
    graph = tf.function(fn).get_concrete_function(spec).graph
    ops = {op.type for op in graph.get_operations()}
    for function in graph._functions.values():
        ops |= {op.type for op in function.graph.get_operations()}
    return ops


def filter_transform_count(graph):  # products by G (x) G [16, 9] or its transpose
    return sum(op.type == "MatMul" and op.inputs[0].shape in ((16, 9), (9, 16))
               for op in graph.get_operations())


def test_a_conv_block_trains_by_winograd_and_infers_directly(monkeypatch):
    narrow_enough(monkeypatch)
    block = ConvBlock(6, 3, 1, 1, norm="in", activation="relu", pad_type="reflect")
    x = tf.constant(np.random.RandomState(3).randn(2, 8, 6, 5).astype(np.float32))
    block(x)  # builds (Keras' first call): direct
    spec = tf.TensorSpec(x.shape, tf.float32)
    assert "BatchMatMulV2" in graph_ops(lambda v: block(v, training=True), spec)
    assert "BatchMatMulV2" not in graph_ops(lambda v: block(v, training=False), spec)
    off = ConvBlock(6, 3, 1, 1, norm="in", pad_type="reflect", winograd=False)
    off(x)
    off.set_weights(block.get_weights())
    assert "BatchMatMulV2" not in graph_ops(lambda v: off(v, training=True), spec)

    def outputs_and_gradients(layer):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x, training=True)
            loss = tf.reduce_sum(y * tf.reshape(tf.range(tf.size(y), dtype=tf.float32), y.shape) / 100)
        return [y, *tape.gradient(loss, [x, *layer.trainable_variables])]

    for got, want in zip(tf.function(lambda: outputs_and_gradients(block))(),
                         tf.function(lambda: outputs_and_gradients(off))()):
        np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-4)
    assert ConvBlock.from_config(off.get_config()).winograd is False
    assert ConvBlock.from_config(block.get_config()).winograd is True


@pytest.mark.parametrize("shared", [False, True])
def test_a_conv_block_under_mirrored_strategy(monkeypatch, shared):
    # shared: each replica transforms (and differentiates) its own copy of the kernel
    narrow_enough(monkeypatch)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        block = ConvBlock(4, 3, 1, 1, norm="none", activation="none", pad_type="zero")
        block(tf.zeros([1, 6, 6, 3]))
    x = tf.constant(np.random.RandomState(4).randn(4, 6, 6, 3).astype(np.float32))

    @tf.function
    def per_replica_gradient(inputs):
        def step(v):
            with tf.GradientTape() as tape, (winograd.shared_filter_tiles() if shared
                                             else contextlib.nullcontext()):
                loss = tf.reduce_sum(tf.square(block(v, training=True)))
            return tape.gradient(loss, block.conv.kernel)
        return strategy.reduce("SUM", strategy.run(step, (inputs,)), axis=None)

    dataset = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices(x).batch(4))
    got = per_replica_gradient(next(iter(dataset)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(
            tf.nn.conv2d(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), block.conv.kernel, 1,
                         "VALID") + block.conv.bias))
    np.testing.assert_allclose(got.numpy(), tape.gradient(loss, block.conv.kernel).numpy(),
                               rtol=1e-4, atol=1e-4)


def test_shared_filter_tiles_transforms_each_kernel_once_per_scope(monkeypatch):
    narrow_enough(monkeypatch)
    block = ConvBlock(5, 3, 1, 1, norm="none", activation="none", pad_type="reflect")
    direct = ConvBlock(5, 3, 1, 1, norm="none", activation="none", pad_type="reflect",
                       winograd=False)
    x = tf.constant(np.random.RandomState(5).randn(2, 6, 8, 4).astype(np.float32))
    block(x), direct(x)
    direct.set_weights(block.get_weights())

    def three_calls(layer, shared):
        with tf.GradientTape() as tape, (winograd.shared_filter_tiles() if shared
                                         else contextlib.nullcontext()):
            y = layer(x, training=True)
            y = layer(tf.nn.relu(y[..., :4]), training=True) + layer(x * 0.5, training=True)
            loss = tf.reduce_sum(tf.square(y))
        return [y, tape.gradient(loss, layer.conv.kernel)]

    def filter_transforms(shared):  # forward and gradient
        return filter_transform_count(
            tf.function(lambda: three_calls(block, shared)).get_concrete_function().graph)

    assert filter_transforms(False) == 2 * 3
    # the tiles once; each call's filter gradient back to 3x3 at once, by the transpose
    assert filter_transforms(True) == 1 + 3
    # so the calls' filter gradients are summed as 3x3 kernels, never as tiles
    graph = tf.function(lambda: three_calls(block, True)).get_concrete_function().graph
    sums = [op.outputs[0].shape.as_list() for op in graph.get_operations()
            if op.type in ("AddN", "AddV2")]
    assert [3, 3, 4, 5] in sums and [16, 4, 5] not in sums
    assert winograd._CACHE.tiles is None  # the scope is gone
    want = tf.function(lambda: three_calls(direct, False))()
    for shared in (False, True):
        got = tf.function(lambda: three_calls(block, shared))()
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy(), w.numpy(),
                                       atol=1e-5 * float(np.abs(w.numpy()).max()))


def test_precomputed_filter_tiles_are_variables_read_by_every_function(monkeypatch):
    narrow_enough(monkeypatch)
    block = ConvBlock(5, 3, 1, 1, norm="none", activation="none", pad_type="reflect")
    x = tf.constant(np.random.RandomState(6).randn(2, 6, 8, 4).astype(np.float32))
    direct = block(x).numpy()  # builds
    spec = tf.TensorSpec(x.shape, tf.float32)
    with winograd.winograd_inference(), winograd.precomputed_filter_tiles() as tiles:
        first = tf.function(lambda v: block(v)).get_concrete_function(spec)
        second = tf.function(lambda v: block(v * 2)).get_concrete_function(spec)
    assert winograd._CACHE.tiles is None and winograd._CACHE.frozen is None  # scope gone
    assert len(tiles) == 1 and not tiles[0].trainable
    np.testing.assert_allclose(tiles[0].numpy(), filter_tiles(block.conv.kernel).numpy())
    for fn in (first, second):
        assert filter_transform_count(fn.graph) == 0
        assert any(tiles[0] is v for v in fn.variables)
    np.testing.assert_allclose(first(x).numpy(), direct, atol=1e-5)
    np.testing.assert_allclose(second(x / 2).numpy(), direct, atol=1e-5)


def test_derived_kernels_are_transformed_once_per_scope_too(monkeypatch):
    # upsample's phase kernels: derive=(phase_kernel, padding) from the one variable
    from unit_tf.layers.upsample import phase_kernel

    narrow_enough(monkeypatch)
    kernel = tf.Variable(tf.random.stateless_normal([5, 5, 3, 2], seed=[1, 2]))
    x = tf.random.stateless_normal([1, 6, 7, 3], seed=[3, 4])

    def two_calls():
        with winograd.shared_filter_tiles():
            return [winograd_conv3x3(v, kernel, derive=(phase_kernel, 2)) for v in (x, 2 * x)]

    graph = tf.function(two_calls).get_concrete_function().graph
    assert filter_transform_count(graph) == 1
    want = tf.nn.conv2d(x, phase_kernel(kernel, 2), 1, "VALID")
    for got, scale in zip(tf.function(two_calls)(), (1, 2)):
        np.testing.assert_allclose(got.numpy(), scale * want.numpy(), atol=1e-4)

    square = tf.Variable(tf.random.stateless_normal([3, 3, 3, 2], seed=[5, 6]))

    def itself_and_derived():  # one variable, two kernels: two transforms
        with winograd.shared_filter_tiles():
            return (winograd_conv3x3(x, square)
                    + winograd_conv3x3(x, square, derive=(tf.math.negative,)))

    np.testing.assert_allclose(tf.function(itself_and_derived)().numpy(), 0, atol=1e-5)


def test_the_backward_recomputes_the_tiles_only_once_the_gradient_arrives():
    # a dataflow runtime runs an op as soon as its inputs exist: without the dependency on dM
    # every layer's V (4x its input) would be recomputed during the forward pass and held until
    # the backward one (+17 MB per 64^2 x 256 layer, measured)
    kernel = tf.Variable(tf.random.normal([3, 3, 4, 4]))
    x = tf.random.normal([1, 6, 6, 4])

    def loss_and_gradient():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(winograd_conv3x3(x, kernel))
        return tape.gradient(loss, kernel)

    graph = tf.function(loss_and_gradient).get_concrete_function().graph
    # the XLA transforms (winograd_xla exports, were training's until 2026-12-07)
    tiles = [op for op in graph.get_operations()
             if op.type in ("PartitionedCall", "StatefulPartitionedCall")
             and "input_tiles" in op.get_attr("f").name
             and "backward" not in op.get_attr("f").name]  # (the transform's own gradient)
    assert len(tiles) == 2  # the forward pass, the backward's recomputation
    forward, again = sorted(tiles, key=lambda op: len(op.control_inputs))
    assert not forward.control_inputs
    assert any("output_blocks_transposed" in op.get_attr("f").name
               for op in again.control_inputs if op.type.endswith("PartitionedCall"))


@pytest.mark.parametrize("kind", ["portable", "portable_2x2"])
def test_the_ordinary_op_backward_also_waits_for_the_gradient(kind):
    kernel = tf.Variable(tf.random.normal([3, 3, 4, 4]))
    x = tf.random.normal([1, 9, 9, 4])

    def loss_and_gradient():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(winograd_conv3x3(x, kernel, 1, "reflect", transforms=kind,
                                                  training=True))
        return tape.gradient(loss, kernel)

    def waits_for(op):  # the ops it waits for, by data or control edges
        seen, todo = set(), [op]
        while todo:
            for before in (*(t.op for t in todo[-1].inputs), *todo.pop().control_inputs):
                if before not in seen:
                    seen.add(before)
                    todo.append(before)
        return seen

    graph = tf.function(loss_and_gradient).get_concrete_function().graph
    gathers = [op for op in graph.get_operations() if op.type == "GatherV2"]
    assert len(gathers) == 2  # the forward pass, the backward's recomputation
    # dM: the output gradient's blocks by (A^T (x) A^T)^T [n^2, block^2]
    n, block = winograd.PORTABLE[kind][0] + 2, winograd.PORTABLE[kind][0]
    dm = [op for op in graph.get_operations()
          if op.type == "MatMul" and op.inputs[0].shape == (n * n, block * block)]
    assert len(dm) == 1
    forward, again = sorted(gathers, key=lambda op: dm[0] in waits_for(op))
    assert dm[0] not in waits_for(forward) and dm[0] in waits_for(again)


@pytest.mark.parametrize("norm", ["in", "in_affine", "ln", "none"])
def test_inference_skips_only_a_bias_that_the_norm_cancels(norm, monkeypatch):
    narrow_enough(monkeypatch)
    rs = np.random.RandomState(9)
    block = ConvBlock(5, 3, 1, 1, norm=norm, activation="none", pad_type="reflect")
    x = tf.constant(rs.randn(2, 6, 8, 4).astype(np.float32))
    direct = block(x)  # builds; inference: direct (the bias fused into the convolution)
    block.conv.bias.assign(rs.uniform(-50, 50, 5).astype(np.float32))
    direct = block(x).numpy()
    with winograd.winograd_inference("portable"):
        concrete = tf.function(lambda v: block(v)).get_concrete_function(x)
    np.testing.assert_allclose(concrete(x).numpy(), direct, atol=2e-4 * np.abs(direct).max())
    captured = {id(t) for t in concrete.captured_inputs}
    assert (id(block.conv.bias.value.handle) in captured) is (norm in ("ln", "none")), norm
    assert id(block.conv.kernel.value.handle) in captured
