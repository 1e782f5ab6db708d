import functools

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.layers import UpsampleConvBlock
from unit_tf.layers.upsample import phase_taps, plain_upsampled_conv, upsampled_conv
from unit_tf.profiling import function_flops
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_nearest_x2_then_conv():
    layer = UpsampleConvBlock(4, 5, norm="none", activation="none", pad_type="reflect")
    x = np.random.RandomState(0).randn(2, 32, 40, 8).astype(np.float32)
    y = layer(x).numpy()
    assert y.shape == (2, 64, 80, 4)
    nearest = x.repeat(2, axis=1).repeat(2, axis=2)
    # by phases: the same sums in another order (float32 rounding of values up to ~10)
    np.testing.assert_allclose(y, layer.block(nearest).numpy(), atol=2e-5)
    assert count_params(layer) == 5 * 5 * 8 * 4 + 4
    # once built, the layer runs by phases (plain: 2*64*80*25*8*4*2 FLOPs)
    flops = function_flops(lambda v: layer(v), tf.TensorSpec([2, 32, 40, 8], tf.float32))
    edges = 2 * (2 * 80 * 5 * 8 * 4 * 2) + 2 * (2 * 64 * 5 * 8 * 4 * 2)
    kernel_sums = 2 * (6 * 5 * 5 * 8 * 4) + 2 * (6 * 5 * 6 * 8 * 4)
    assert flops == 2 * 32 * 40 * 9 * 8 * 16 * 2 + kernel_sums + edges
    any_size = tf.function(lambda v: layer(v)).get_concrete_function(
        tf.TensorSpec([None, None, None, 8], tf.float32))
    assert "DepthToSpace" in {op.type for op in any_size.graph.get_operations()}  # phases
    # small inputs take the plain path (fewer ops to build; little to save)
    small = function_flops(lambda v: layer(v), tf.TensorSpec([2, 3, 5, 8], tf.float32))
    assert small == 2 * 6 * 10 * 25 * 8 * 4 * 2


def test_phase_taps_of_the_official_5x5_by_hand():
    # output 2m reads input m-1 (taps 0+1), m (2+3), m+1 (4); output 2m+1: m-1 (0), m (1+2),
    # m+1 (3+4)
    low, selection = phase_taps(5, 2)
    assert low == -1
    np.testing.assert_array_equal(selection[0], [[1, 1, 0, 0, 0], [0, 0, 1, 1, 0],
                                                 [0, 0, 0, 0, 1]])
    np.testing.assert_array_equal(selection[1], [[1, 0, 0, 0, 0], [0, 1, 1, 0, 0],
                                                 [0, 0, 0, 1, 1]])
    assert phase_taps(7, 3)[1].shape == (2, 5, 7)


@pytest.mark.parametrize("k,pad_type", [(5, "reflect"), (5, "zero"), (7, "zero"),
                                        (7, "reflect"), (3, "reflect")])
@pytest.mark.parametrize("h,w", [(2, 2), (2, 5), (7, 3), (6, 8)])
def test_by_phases_equals_the_plain_computation_and_its_gradients(k, pad_type, h, w):
    rs = np.random.RandomState(h * 10 + w)
    x = tf.constant(rs.randn(2, h, w, 3), tf.float32)
    kernel = tf.constant(rs.randn(k, k, 3, 4), tf.float32)
    target = tf.constant(rs.randn(2, 2 * h, 2 * w, 4), tf.float32)
    results = []
    training = functools.partial(upsampled_conv, training=True)  # edges added by scatter
    for conv in (upsampled_conv, training, plain_upsampled_conv):
        with tf.GradientTape() as tape:
            tape.watch([x, kernel])
            y = conv(x, kernel, k // 2, pad_type)
            loss = tf.reduce_sum(y * target)
        results.append([y, *tape.gradient(loss, [x, kernel])])
    for *fast, plain in zip(*results):
        for value in fast:
            assert value.shape == plain.shape
            np.testing.assert_allclose(value.numpy(), plain.numpy(),
                                       atol=3e-6 * float(tf.reduce_max(tf.abs(plain))))


def test_the_official_decoder_stage_does_36_instead_of_100_multiply_adds_per_output():
    x = tf.TensorSpec([1, 16, 16, 8], tf.float32)
    kernel = tf.random.normal([5, 5, 8, 4])
    plain = function_flops(lambda v: plain_upsampled_conv(v, kernel, 2), x)
    fast = function_flops(lambda v: upsampled_conv(v, kernel, 2), x)
    assert plain == 32 * 32 * 25 * 8 * 4 * 2
    phases = 16 * 16 * 9 * 8 * (4 * 4) * 2  # one 3x3 conv at the input size, 4x the outputs
    kernel_sums = 2 * (6 * 5 * 5 * 8 * 4) + 2 * (6 * 5 * 6 * 8 * 4)  # two [6, 5] tensordots
    edges = 4 * (32 * 5 * 8 * 4 * 2)  # reflect corrections: 2 rows, 2 columns of a 1 x 5 conv
    assert phases == 32 * 32 * 9 * 8 * 4 * 2
    assert fast == phases + kernel_sums + edges
    assert function_flops(lambda v: upsampled_conv(v, kernel, 2, "zero"), x) == \
        phases + kernel_sums


def test_spectral_norm_and_phases_off_take_the_plain_path():
    x = np.random.RandomState(1).randn(1, 4, 4, 3).astype(np.float32)
    for layer in (UpsampleConvBlock(2, 5, norm="sn", activation="none"),
                  UpsampleConvBlock(2, 5, norm="none", activation="none", phases=False)):
        assert not layer.by_phases
        np.testing.assert_allclose(layer(x).numpy(), layer.block(
            x.repeat(2, axis=1).repeat(2, axis=2)).numpy(), atol=1e-6)
    assert UpsampleConvBlock(2, 5).by_phases and not UpsampleConvBlock(2, 3).by_phases


def test_config_round_trip_and_precision():
    kwargs = {"filters": 4, "kernel_size": 5, "norm": "ln", "activation": "relu"}
    check_serialization(UpsampleConvBlock, kwargs)
    check_serialization(UpsampleConvBlock, {**kwargs, "phases": False})
    check_precision(UpsampleConvBlock, kwargs, np.ones((1, 4, 4, 8), np.float32),
                       "mixed_bfloat16")


@pytest.mark.parametrize("pad_type", ["reflect", "zero"])
def test_training_phases_by_winograd_equal_the_plain_computation(monkeypatch, pad_type):
    import unit_tf.layers.winograd as winograd

    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)  # tiny shapes take it too
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_PIXELS", 1)
    rs = np.random.RandomState(5)
    x = tf.constant(rs.randn(2, 6, 4, 3), tf.float32)
    kernel = tf.constant(rs.randn(5, 5, 3, 4), tf.float32)
    target = tf.constant(rs.randn(2, 12, 8, 4), tf.float32)

    def run(conv):
        with tf.GradientTape() as tape:
            tape.watch([x, kernel])
            loss = tf.reduce_sum(conv(x, kernel, 2, pad_type) * target)
        return [loss, *tape.gradient(loss, [x, kernel])]

    training = functools.partial(upsampled_conv, training=True)
    graph = tf.function(lambda: run(training)).get_concrete_function().graph
    assert "BatchMatMulV2" in {op.type for op in graph.get_operations()}
    for fast, plain in zip(tf.function(lambda: run(training))(), run(plain_upsampled_conv)):
        np.testing.assert_allclose(fast.numpy(), plain.numpy(),
                                   atol=3e-6 * float(tf.reduce_max(tf.abs(plain))))
