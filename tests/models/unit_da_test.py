"""UNIT's digit domain-adaptation model: official sizes, sharing, xy channels, the classifier."""

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import UNITDAConfig
from unit_tf.losses import softmax_cross_entropy
from unit_tf.models import UNITDA
from unit_tf.networks.coupled_digits import xy_channels
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
