import dataclasses

import numpy as np
import tensorflow as tf

from unit_tf.testing.tiny import tiny_model_config
from unit_tf.config import DiscriminatorConfig, MUNITConfig, MUNITLossWeights
from unit_tf.models import MUNIT
from unit_tf.objectives import MUNITObjective, weighted_total


def setup():
    model = MUNIT(tiny_model_config("munit"),
                  seed=0).build_networks(16, 16)
    rs = np.random.RandomState(0)
    return model, {d: rs.uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32) for d in "ab"}


def test_generator_terms_are_the_official_groups_and_keys():
    model, batch = setup()
    terms = MUNITObjective("lsgan", MUNITLossWeights()).generator_terms(model, batch)
    assert set(terms) == {"gan", "recon_x", "recon_s", "recon_c"}  # cycle and vgg weigh 0
    assert set(terms["gan"]) == {"a2b", "b2a"}
    for group in ("recon_x", "recon_s", "recon_c"):
        assert set(terms[group]) == {"a", "b"}
    assert all(float(v) > 0 for g in terms.values() for v in g.values())
    cyc = dataclasses.replace(MUNITLossWeights(), recon_x_cyc_w=10.0)
    assert set(MUNITObjective("lsgan", cyc).generator_terms(model, batch)["recon_x_cyc"]) == \
        {"a", "b"}


def test_style_reconstruction_pulls_the_style_encoder_and_mlp():
    model, batch = setup()
    weights = MUNITLossWeights(gan_w=0, recon_x_w=0, recon_c_w=0)
    with tf.GradientTape() as tape:
        total = weighted_total(MUNITObjective("lsgan", weights).generator_terms(model, batch),
                               weights)
    grads = dict(zip([v.path for v in model.generator_variables],
                     tape.gradient(total, model.generator_variables)))
    assert any(g is not None and "enc_style" in p for p, g in grads.items())
    assert any(g is not None and "mlp" in p for p, g in grads.items())


def test_discriminator_terms_per_domain_and_no_generator_gradient():
    model, batch = setup()
    with tf.GradientTape() as tape:
        terms = MUNITObjective("lsgan", MUNITLossWeights()).discriminator_terms(model, batch)
        total = weighted_total(terms, MUNITLossWeights())
    assert set(terms) == {"gan"} and set(terms["gan"]) == {"a", "b"}
    assert all(g is None for g in tape.gradient(total, model.generator_variables))


def test_vgg_term_compares_translations_with_their_sources():
    from unit_tf.networks import VGG16Features

    model = MUNIT(tiny_model_config("munit"),
                  seed=0).build_networks(32, 32)
    rs = np.random.RandomState(1)
    batch = {d: rs.uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32) for d in "ab"}
    weights = MUNITLossWeights(vgg_w=1.0)
    objective = MUNITObjective("lsgan", weights, perceptual=VGG16Features(weights_source=None))
    with tf.GradientTape() as tape:
        terms = objective.generator_terms(model, batch)
        vgg = weighted_total({"vgg": terms["vgg"]}, weights)
    assert set(terms["vgg"]) == {"a", "b"} and float(vgg) > 0
    grads = tape.gradient(vgg, model.generator_variables)
    assert any(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)
