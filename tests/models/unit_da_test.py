"""UNIT's digit domain-adaptation model: official sizes, sharing, xy channels, the classifier."""

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import UNITDAConfig
from unit_tf.losses import softmax_cross_entropy
from unit_tf.models import UNITDA
from unit_tf.networks.coupled_digits import CoupledDis32, CoupledVAE32, xy_channels
from unit_tf.testing.tiny import tiny_model_config


def trainable_count(variables):
    return int(sum(np.prod(v.shape) for v in variables))


def test_official_widths_have_the_official_parameter_counts():
    """CoVAE32x32 at ch_g 96 (SVHN 3 channels -> MNIST 1) and CoDis32x32 at ch_d 64."""
    model = UNITDA(UNITDAConfig(ch_g=96, ch_d=64, channels_a=3, channels_b=1)).build_networks()
    assert trainable_count(model.trainable_variables_of("g")) == 22_606_468
    assert trainable_count(model.trainable_variables_of("d")) == 4_332_812


def tiny(**kw):
    return UNITDA(tiny_model_config("unit_da", **kw), seed=0).build_networks()


def test_shared_layers_are_one_instance_with_one_variable_set():
    model = tiny(channels_b=3)
    variables = model.trainable_variables
    assert len({id(v) for v in variables}) == len(variables)
    shared = [v for layer in (*model.vae.shared_encoder, model.vae.mu, model.vae.sd,
                              *model.vae.shared_decoder, *model.dis.shared) for v in
              layer.trainable_variables]
    for v in shared:
        assert sum(w is v for w in variables) == 1
    # per domain: the first encoder layer, the last two decoder layers, D's first layer
    assert model.vae.enc0["a"] is not model.vae.enc0["b"]
    assert model.vae.dec4["a"].kernel.shape[-2] == 1 and model.vae.dec4["b"].kernel.shape[-2] == 3


def test_a_domain_b_loss_reaches_the_shared_layers_and_only_b_s_own_layers():
    model = tiny()
    x = tf.random.uniform([2, 32, 32, 3], -1, 1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model.translate(x, "b2a", training=True)))
    names = [v.path for v in model.vae.trainable_variables]
    grads = dict(zip(names, tape.gradient(loss, model.vae.trainable_variables)))
    touched = {n for n, g in grads.items() if g is not None and float(tf.reduce_sum(tf.abs(g)))}
    assert any(n.startswith("shared_enc1") for n in touched)
    assert any(n.startswith("shared_dec0") for n in touched)
    assert any(n.startswith("enc0_b") for n in touched) and any(n.startswith("dec4_a") for n in
                                                                 touched)
    assert not any(n.startswith(("enc0_a", "dec3_b", "dec4_b")) for n in touched)


def test_the_classifier_head_gradient_reaches_the_shared_discriminator_layers():
    model = tiny()
    x = tf.random.uniform([4, 32, 32, 3], -1, 1)
    labels = tf.constant([0, 1, 2, 3])
    variables = model.dis.trainable_variables
    with tf.GradientTape() as tape:
        loss = softmax_cross_entropy(model.classify(x, "a", training=True), labels)
    grads = {v.path: g for v, g in zip(variables, tape.gradient(loss, variables))}
    for layer in (*model.dis.shared, model.dis.class_head, model.dis.d0["a"]):
        assert float(tf.reduce_sum(tf.abs(grads[layer.kernel.path]))) > 0, layer.name
    assert grads[model.dis.d0["b"].kernel.path] is None
    assert grads[model.dis.gan_head.kernel.path] is None


def test_the_encoder_sees_the_xy_coordinate_channels():
    xy = xy_channels(1).numpy()[0]  # [32, 32, 2]
    assert xy.shape == (32, 32, 2)
    np.testing.assert_allclose(xy[:, 0, 0], (np.arange(32) - 16) / 16)  # x: the row index
    np.testing.assert_allclose(xy[0, :, 1], (np.arange(32) - 16) / 16)  # y: the column index
    model = tiny(channels_a=1, channels_b=3)
    assert model.vae.enc0["a"].conv.kernel.shape == (5, 5, 1 + 2, 4)
    assert model.vae.enc0["b"].conv.kernel.shape == (5, 5, 3 + 2, 4)


def test_rgb_boundary_grey_domains_and_deterministic_inference():
    model = tiny()
    x = tf.random.uniform([3, 32, 32, 3], -1, 1)
    y = model.translate(x, "a2b")
    assert y.shape == (3, 32, 32, 3) and y.dtype == tf.float32
    np.testing.assert_array_equal(y[..., 0], y[..., 2])  # a grey domain written as RGB
    np.testing.assert_array_equal(y, model.translate(x, "a2b"))  # inference uses the mean code
    assert model.classify(x).shape == (3, 10)
    with pytest.raises(ValueError, match="32x32"):
        UNITDA(tiny_model_config("unit_da")).build_networks(64, 64)


def gradient_sums(model, loss_fn):
    """{D layer name: summed |gradient| of its kernel, None when the loss does not reach it}."""
    layers = (model.dis.d0["a"], model.dis.d0["b"], *model.dis.shared)
    with tf.GradientTape() as tape:
        loss = loss_fn()
    grads = tape.gradient(loss, [layer.kernel for layer in layers])
    return {layer.name: None if g is None else float(tf.reduce_sum(tf.abs(g)))
            for layer, g in zip(layers, grads)}


def test_classifier_front_source_reads_the_target_through_the_source_first_layer():
    own, front = tiny(channels_a=3, channels_b=3), tiny(channels_a=3, channels_b=3,
                                                        classifier_front="source")
    assert front.dis.classifier_front == "a" and own.dis.classifier_front is None
    assert trainable_count(front.trainable_variables) == trainable_count(own.trainable_variables)
    x = tf.random.uniform([4, 32, 32, 3], -1, 1)
    labels = tf.constant([0, 1, 2, 3])
    read = gradient_sums(front, lambda: softmax_cross_entropy(
        front.dis.classify(x, "b", training=True), labels))
    assert read["d0_a"] > 0 and read["d0_b"] is None and read["shared_d1"] > 0
    # version_02: the target's classifier reads through d0_b
    assert gradient_sums(own, lambda: softmax_cross_entropy(
        own.dis.classify(x, "b", training=True), labels))["d0_a"] is None
    # the real/fake and feature paths keep each domain's own first layer
    judged = gradient_sums(front, lambda: tf.reduce_sum(front.dis.real_fake(x, "b", True)))
    assert judged["d0_b"] > 0 and judged["d0_a"] is None
    features = gradient_sums(front, lambda: tf.reduce_sum(front.dis.features(x, "b", True)))
    assert features["d0_b"] > 0 and features["d0_a"] is None
    # changing d0_b changes what D_b judges, not what classify_b reads
    classified, judged = front.classify(x, "b"), front.discriminate(x, "b")
    front.dis.d0["b"].kernel.assign(front.dis.d0["b"].kernel * 2.0)
    np.testing.assert_array_equal(front.classify(x, "b"), classified)
    assert not np.allclose(front.discriminate(x, "b"), judged)
    np.testing.assert_array_equal(front.classify(x, "b"), front.classify(x, "a"))


def test_classifier_front_source_needs_domains_of_equal_channels():
    with pytest.raises(ValueError, match="channels_a=1 and channels_b=3 differ"):
        UNITDAConfig(channels_a=1, channels_b=3, classifier_front="source")
    with pytest.raises(ValueError, match="classifier_front"):
        UNITDAConfig(classifier_front="target")
    with pytest.raises(ValueError, match="channels differ"):
        CoupledDis32(4, {"a": 1, "b": 3}, classifier_front="a")
    with pytest.raises(ValueError, match="classifier_front must be one of"):
        CoupledDis32(4, {"a": 3, "b": 3}, classifier_front="source")


@pytest.mark.parametrize("layer", [
    CoupledDis32(4, {"a": 3, "b": 3}, num_classes=7, classifier_front="a", name="dis"),
    CoupledDis32(4, {"a": 1, "b": 3}, name="dis"),
    CoupledVAE32(4, {"a": 1, "b": 3}, name="vae"),
])
def test_the_coupled_networks_config_round_trips(layer):
    config = layer.get_config()
    again = type(layer).from_config(config)
    assert again.get_config() == config
    for name in ("ch_d", "ch_g", "channels", "num_classes", "classifier_front"):
        assert getattr(again, name, None) == getattr(layer, name, None), name


def test_weights_of_one_shape_start_from_independent_draws():
    """As PyTorch's per-layer init: no two randomly initialised weights start equal (d0_a and
    d0_b of equal channels, the VAE's mu and sd convs)."""
    model = tiny(channels_a=3, channels_b=3)
    random = [v for v in model.trainable_variables if float(tf.math.reduce_std(v)) > 0]
    assert {model.dis.d0["a"].kernel.path, model.dis.d0["b"].kernel.path,
            model.vae.mu.kernel.path, model.vae.sd.kernel.path,
            model.vae.mu.bias.path, model.vae.sd.bias.path} <= {v.path for v in random}
    for i, v in enumerate(random):
        for w in random[i + 1:]:
            if v.shape == w.shape:
                assert not np.array_equal(v.numpy(), w.numpy()), (v.path, w.path)
