import numpy as np
import pytest
import tensorflow as tf

from unit_tf.layers import ConvBlock, InstanceNorm
from unit_tf.layers.instance_norm import fused_norm_inference, instance_normalize
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def _reference(x, eps=1e-5):
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)  # biased, as InstanceNorm2d
    return (x - mean) / np.sqrt(var + eps)


def test_affine_free_matches_biased_variance_reference():
    x = np.random.RandomState(0).randn(2, 5, 7, 3).astype(np.float32) * 3 + 1
    layer = InstanceNorm()
    np.testing.assert_allclose(layer(x).numpy(), _reference(x), atol=1e-5)
    assert count_params(layer) == 0


def test_affine_has_gamma_beta_per_channel():
    x = np.random.RandomState(1).randn(2, 4, 4, 6).astype(np.float32)
    layer = InstanceNorm(affine=True)
    layer(x)
    assert count_params(layer) == 12
    layer.gamma.assign(np.full(6, 2.0, np.float32))
    layer.beta.assign(np.full(6, 0.5, np.float32))
    np.testing.assert_allclose(layer(x).numpy(), 2 * _reference(x) + 0.5, atol=1e-5)


def test_config_round_trip_and_precision():
    check_serialization(InstanceNorm, {"epsilon": 1e-3, "affine": True})
    x = np.random.RandomState(2).randn(2, 8, 8, 4).astype(np.float32) * 100
    check_precision(InstanceNorm, {"affine": True}, x, "mixed_float16")
    check_precision(InstanceNorm, {}, x, "mixed_bfloat16")


@pytest.mark.parametrize("batch", [1, 3])
def test_fused_normalisation_and_its_gradients_equal_the_moments_formula(batch):
    rs = np.random.RandomState(batch)
    x = tf.constant(rs.randn(batch, 5, 7, 4) * 3 + 1, tf.float32)
    scale = tf.constant(rs.randn(batch, 4), tf.float32)
    offset = tf.constant(rs.randn(1, 4), tf.float32)  # one for all samples, as a shared style
    target = tf.constant(rs.randn(batch, 5, 7, 4), tf.float32)

    def moments_formula(x, scale, offset):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        return ((x - mean) * tf.math.rsqrt(variance + 1e-5) * scale[:, None, None]
                + offset[:, None, None])

    # any batch and size, as in a SavedModel signature: the transposing path
    any_shape = tf.function(lambda x, s, o: instance_normalize(x, 1e-5, s, o), input_signature=[
        tf.TensorSpec([None, None, None, 4]), tf.TensorSpec([None, 4]), tf.TensorSpec([1, 4])])
    results = []
    for normalise in (lambda *a: instance_normalize(a[0], 1e-5, *a[1:]), any_shape,
                      lambda *a: instance_normalize(a[0], 1e-5, *a[1:], fused=False),
                      moments_formula):
        with tf.GradientTape() as tape:
            tape.watch([x, scale, offset])
            y = normalise(x, scale, offset)
            loss = tf.reduce_sum(y * target)
        results.append([y, *tape.gradient(loss, [x, scale, offset])])
    for *ours, reference in zip(*results):
        for value in ours:
            np.testing.assert_allclose(value.numpy(), reference.numpy(), atol=2e-5)


def uses_the_fused_kernel(fn, *args):
    graph = tf.function(fn).get_concrete_function(*args).graph
    return any(op.type == "FusedBatchNormV3" for op in graph.get_operations())


def test_training_uses_the_fused_kernel_and_inference_the_moments():
    block = ConvBlock(4, 3, 1, 1, norm="in", pad_type="reflect")  # training reaches the norm
    x = tf.constant(np.random.RandomState(5).randn(2, 6, 6, 3), tf.float32)
    for training, fused in ((True, True), (False, False)):
        assert uses_the_fused_kernel(lambda x: block(x, training=training), x) == fused
    with fused_norm_inference():  # a --winograd export's inference
        assert uses_the_fused_kernel(lambda x: block(x, training=False), x)
        with fused_norm_inference(False):
            assert not uses_the_fused_kernel(lambda x: block(x, training=False), x)
        assert uses_the_fused_kernel(lambda x: block(x, training=False), x)  # restored
    assert not uses_the_fused_kernel(lambda x: block(x, training=False), x)
    np.testing.assert_allclose(block(x, training=True).numpy(), block(x, training=False).numpy(),
                               atol=2e-5)
