import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import (CycleGANConfig, CycleGANLossWeights, Pix2PixConfig,
                            Pix2PixLossWeights)
from unit_tf.losses import discriminator_loss
from unit_tf.models import CycleGAN, Pix2Pix
from unit_tf.objectives import CycleGANObjective, Pix2PixObjective, weighted_total
from unit_tf.training.image_pool import ImagePool


def batch_of(seed=0, channels=3):
    rs = np.random.RandomState(seed)
    return {d: tf.constant(rs.uniform(-1, 1, (2, 32, 32, channels)).astype(np.float32))
            for d in "ab"}


def cyclegan(**kw):
    return CycleGAN(CycleGANConfig(net_g="resnet_1blocks", ngf=4, ndf=4, **kw),
                    seed=0).build_networks(32)


def pix2pix(direction="a2b", **kw):
    return Pix2Pix(Pix2PixConfig(net_g="unet_32", ngf=4, ndf=4, direction=direction, **kw),
                   seed=0).build_networks(32)


def mean_abs(x, y):
    return float(tf.reduce_mean(tf.abs(x - y)))


def test_cyclegan_terms_are_the_junyanz_losses_unweighted():
    model, batch = cyclegan(), batch_of()
    terms = CycleGANObjective("lsgan", CycleGANLossWeights()).generator_terms(model, batch)
    assert {g: set(v) for g, v in terms.items()} == {
        "gan": {"a2b", "b2a"}, "cycle": {"a", "b"}, "idt": {"a", "b"}}
    a2b = model.translate(batch["a"], "a2b", training=True)
    np.testing.assert_allclose(
        float(terms["cycle"]["a"]),
        mean_abs(model.translate(a2b, "b2a", training=True), batch["a"]), rtol=1e-5)
    # idt keyed by the domain it compares: idt[b] = |G_a2b(b) - b| (junyanz idt_A)
    np.testing.assert_allclose(
        float(terms["idt"]["b"]),
        mean_abs(model.translate(batch["b"], "a2b", training=True), batch["b"]), rtol=1e-5)
    logits = model.discriminate(a2b, "b", training=True)
    np.testing.assert_allclose(float(terms["gan"]["a2b"]),
                               float(tf.reduce_mean(tf.square(logits - 1.0))), rtol=1e-5)


def test_cyclegan_weights_lambda_a_b_identity_and_halved_d():
    weights = CycleGANLossWeights(lambda_A=10.0, lambda_B=4.0, lambda_identity=0.5)
    terms = {"gan": {"a2b": tf.constant(1.0), "b2a": tf.constant(2.0)},
             "cycle": {"a": tf.constant(1.0), "b": tf.constant(1.0)},
             "idt": {"a": tf.constant(1.0), "b": tf.constant(1.0)}}
    # 3 + 10 + 4 + 0.5 * (10 (idt of a: G_b2a(a), lambda_A) + 4)
    assert float(weighted_total(terms, weights, "g")) == pytest.approx(3 + 14 + 7)
    d_terms = {"gan": {"a": tf.constant(2.0), "b": tf.constant(4.0)}}
    assert float(weighted_total(d_terms, weights, "d")) == pytest.approx(3.0)


def test_cyclegan_runs_generator_first_and_skips_inactive_identity():
    objective = CycleGANObjective("lsgan", CycleGANLossWeights(lambda_identity=0.0))
    assert objective.players == ("g", "d")
    terms = objective.generator_terms(cyclegan(), batch_of())
    assert "idt" not in terms


def test_discriminator_sees_the_pool_and_keys_by_judged_domain():
    model, batch = cyclegan(), batch_of()
    pools = {d: ImagePool(2, (32, 32, 3), seed=0) for d in "ab"}
    objective = CycleGANObjective("lsgan", CycleGANLossWeights(), history=pools)
    terms = objective.discriminator_terms(model, batch)
    assert set(terms) == {"gan"} and set(terms["gan"]) == {"a", "b"}
    assert all(int(p.count.numpy()) == 2 for p in pools.values())
    fake_b = model.translate(batch["a"], "a2b", training=True)
    expected = discriminator_loss("lsgan", model.discriminate(batch["b"], "b", True),
                                  model.discriminate(fake_b, "b", True))
    np.testing.assert_allclose(float(terms["gan"]["b"]), float(expected), rtol=1e-5)


def test_wgangp_adds_a_gradient_penalty_per_judged_domain():
    model, batch = cyclegan(gan_type="wgangp"), batch_of()
    objective = CycleGANObjective("wgangp", CycleGANLossWeights())
    variables = model.trainable_variables_of("d")
    with tf.GradientTape() as tape:
        terms = objective.discriminator_terms(model, batch)
        penalty = tf.add_n(list(terms["gp"].values()))
    assert set(terms["gp"]) == {"a", "b"} and float(penalty) > 0
    grads = tape.gradient(penalty, variables)  # the penalty trains the critic (double backprop)
    assert any(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)
    assert CycleGANLossWeights().term_weight("d", "gp", "a") == 10.0


def test_pix2pix_terms_conditional_discriminator_and_order():
    model, batch = pix2pix("b2a"), batch_of(1)
    objective = Pix2PixObjective("vanilla", Pix2PixLossWeights())
    assert objective.players == ("d", "g")
    terms = objective.generator_terms(model, batch)
    assert {g: set(v) for g, v in terms.items()} == {"gan": {"b2a"}, "l1": {"b2a"}}
    fake = model.translate(batch["b"], "b2a", training=True)
    np.testing.assert_allclose(float(terms["l1"]["b2a"]), mean_abs(fake, batch["a"]), rtol=1e-5)
    logits = model.discriminate(tf.concat([batch["b"], fake], -1), "a", training=True)
    np.testing.assert_allclose(float(terms["gan"]["b2a"]),
                               float(tf.reduce_mean(tf.nn.softplus(-logits))), rtol=1e-5)
    d_terms = objective.discriminator_terms(model, batch)
    assert set(d_terms["gan"]) == {"a"}
    total = weighted_total({**terms}, Pix2PixLossWeights(), "g")
    np.testing.assert_allclose(float(total), float(terms["gan"]["b2a"]) +
                               100 * float(terms["l1"]["b2a"]), rtol=1e-5)


def test_l1_only_trains_no_discriminator():
    weights = dataclasses.replace(Pix2PixLossWeights(), gan_w=0.0)
    objective = Pix2PixObjective("vanilla", weights)
    assert objective.players == ("g",)
    assert set(objective.generator_terms(pix2pix(), batch_of())) == {"l1"}
