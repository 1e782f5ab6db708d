import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.testing.tiny import tiny_model_config
from unit_tf.config import DiscriminatorConfig, UNITLossWeights, unit_preset
from unit_tf.models import UNIT
from unit_tf.networks import VGG16Features
from unit_tf.objectives import UNITObjective, flatten_terms, weighted_total


def setup():
    model = UNIT(tiny_model_config("unit", "official", n_res=1),
                 seed=0).build_networks(16, 16)
    rs = np.random.RandomState(0)
    batch = {d: rs.uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32) for d in "ab"}
    return model, batch


def test_generator_terms_are_the_official_groups_unweighted():
    model, batch = setup()
    terms = UNITObjective("lsgan", UNITLossWeights()).generator_terms(model, batch)
    assert set(terms) == {"gan", "recon_x", "recon_kl", "recon_x_cyc", "recon_kl_cyc"}
    assert set(terms["gan"]) == {"a2b", "b2a"}
    for group in ("recon_x", "recon_kl", "recon_x_cyc", "recon_kl_cyc"):
        assert set(terms[group]) == {"a", "b"}
    assert all(float(v) > 0 for g in terms.values() for v in g.values())


def test_zero_weight_terms_are_not_computed():
    model, batch = setup()
    weights = dataclasses.replace(UNITLossWeights(), recon_x_cyc_w=0.0)
    terms = UNITObjective("lsgan", weights).generator_terms(model, batch)
    assert "recon_x_cyc" not in terms and "vgg" not in terms


def test_discriminator_terms_per_domain_and_no_generator_gradient():
    model, batch = setup()
    objective = UNITObjective("nsgan", UNITLossWeights())
    with tf.GradientTape() as tape:
        terms = objective.discriminator_terms(model, batch)
        total = weighted_total(terms, UNITLossWeights())
    assert set(terms) == {"gan"} and set(terms["gan"]) == {"a", "b"}
    assert all(g is None for g in tape.gradient(total, model.generator_variables))


def test_weighted_total_golden_and_flatten_names():
    terms = {"gan": {"a2b": tf.constant(1.0), "b2a": tf.constant(2.0)},
             "recon_x": {"a": tf.constant(0.5), "b": tf.constant(0.25)},
             "recon_kl": {"a": tf.constant(4.0), "b": tf.constant(0.0)}}
    weights = UNITLossWeights(gan_w=2.0, recon_x_w=10.0, recon_kl_w=0.0)
    assert weighted_total(terms, weights).numpy() == pytest.approx(2 * 3 + 10 * 0.75)
    assert sorted(flatten_terms(terms, "g")) == ["g/gan/a2b", "g/gan/b2a", "g/recon_kl/a",
                                                 "g/recon_kl/b", "g/recon_x/a", "g/recon_x/b"]
    with pytest.raises(KeyError, match="recon_s_w"):
        weighted_total({"recon_s": {"a": tf.constant(1.0)}}, weights)


def test_vgg_weight_needs_a_perceptual_network():
    with pytest.raises(ValueError, match="vgg_w"):
        UNITObjective("lsgan", UNITLossWeights(vgg_w=1.0))


def test_vgg_term_uses_the_frozen_feature_network_and_reaches_the_generator():
    model = UNIT(tiny_model_config("unit", "official", n_res=1),
                 seed=0).build_networks(32, 32)
    rs = np.random.RandomState(0)
    batch = {d: rs.uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32) for d in "ab"}
    weights = UNITLossWeights(vgg_w=1.0)
    objective = UNITObjective("lsgan", weights, perceptual=VGG16Features(weights_source=None))
    with tf.GradientTape() as tape:
        terms = objective.generator_terms(model, batch)
        vgg_total = weighted_total({"vgg": terms["vgg"]}, weights)
    assert set(terms["vgg"]) == {"a", "b"} and all(float(v) > 0 for v in terms["vgg"].values())
    grads = tape.gradient(vgg_total, model.generator_variables)
    assert any(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)
    assert not objective.perceptual.trainable_weights


def test_with_reuse_fakes_g_carries_its_translations_and_d_judges_them():
    from unit_tf.losses import discriminator_loss
    from unit_tf.objectives import CARRY

    model, batch = setup()
    objective = UNITObjective("lsgan", UNITLossWeights(), reuse_fakes=True)
    assert objective.players == ("g", "d")
    carry = objective.generator_terms(model, batch)[CARRY]
    assert set(carry) == {"fake_a2b", "fake_b2a"}
    assert carry["fake_a2b"].shape == (2, 16, 16, 3)
    given = {"fake_a2b": tf.zeros([2, 16, 16, 3]), "fake_b2a": tf.ones([2, 16, 16, 3])}
    terms = objective.discriminator_terms(model, {**batch, **given}, training=False)
    for tgt, direction in (("b", "fake_a2b"), ("a", "fake_b2a")):
        expected = discriminator_loss("lsgan", model.discriminate(batch[tgt], tgt, False),
                                      model.discriminate(given[direction], tgt, False))
        np.testing.assert_allclose(float(terms["gan"][tgt]), float(expected), rtol=1e-6)
