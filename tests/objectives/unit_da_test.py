import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import UNITDALossWeights
from unit_tf.models import UNITDA
from unit_tf.objectives import UNITDAObjective, weighted_total
from unit_tf.testing.tiny import tiny_model_config


def setup(distance="sq"):
    model = UNITDA(tiny_model_config("unit_da"), seed=0).build_networks()
    rs = np.random.RandomState(0)
    batch = {d: rs.uniform(-1, 1, (4, 32, 32, 3)).astype(np.float32) for d in "ab"}
    batch["label_a"] = np.array([0, 3, 5, 9])
    return model, UNITDAObjective("softmax", UNITDALossWeights(), feature_distance=distance), batch


def test_terms_are_named_unweighted_and_weighted_once():
    model, objective, batch = setup()
    d_terms = objective.terms("d", model, batch)
    g_terms = objective.terms("g", model, batch)
    assert {g: set(t) for g, t in d_terms.items()} == {
        "gan": {"true", "fake"}, "cls": {"a"}, "feature": {"a", "b"}}
    assert {g: set(t) for g, t in g_terms.items()} == {
        "gan": {"recon", "trans"}, "recon": {"a", "b"}, "kl": {"ab"}}
    assert objective.players == ("d", "g")
    w = UNITDALossWeights()
    expected = (w.gan_w * (d_terms["gan"]["true"] + d_terms["gan"]["fake"])
                + w.cls_w * d_terms["cls"]["a"]
                + w.feature_w * (d_terms["feature"]["a"] + d_terms["feature"]["b"]))
    np.testing.assert_allclose(float(weighted_total(d_terms, w, "d")), float(expected),
                               rtol=1e-5)



def test_the_classification_term_is_the_cross_entropy_of_the_source_labels():
    from unit_tf.losses import softmax_cross_entropy

    model, objective, batch = setup()
    for layer in model.dis.dropouts:  # deterministic, so the two computations can be compared
        layer.rate = 0.0
    cls = objective.terms("d", model, batch)["cls"]["a"]
    logits = model.classify(batch["a"], "a", training=True)
    expected = softmax_cross_entropy(logits, batch["label_a"])
    np.testing.assert_allclose(float(cls), float(expected), rtol=1e-5)
    wrong = softmax_cross_entropy(logits, (batch["label_a"] + 1) % 10)
    assert abs(float(wrong) - float(cls)) > 1e-3


def test_discriminator_terms_send_no_gradient_to_the_generator():
    model, objective, batch = setup()
    with tf.GradientTape() as tape:
        total = weighted_total(objective.terms("d", model, batch), UNITDALossWeights(), "d")
    assert all(g is None for g in tape.gradient(total, model.trainable_variables_of("g")))


def test_the_feature_distance_is_squared_by_default_and_l1_on_request():
    model, squared, batch = setup("sq")
    _, absolute, _ = setup("l1")
    sq = squared.terms("d", model, batch)["feature"]["a"]
    l1 = absolute.terms("d", model, batch)["feature"]["a"]
    assert float(sq) >= 0 and float(l1) >= 0 and float(sq) != pytest.approx(float(l1))


def test_the_cycle_term_is_off_by_default_and_translates_there_and_back_when_weighted():
    model, official, batch = setup()
    assert "cycle" not in official.generator_terms(model, batch)
    weights = UNITDALossWeights(cycle_w=1e-3)
    objective = UNITDAObjective("softmax", weights)
    # inference mode: codes are their means and batch norm uses moving statistics, so the term
    # can be compared with the public translators applied one after the other
    terms = objective.generator_terms(model, batch, training=False)
    assert set(terms["cycle"]) == {"a", "b"}
    for src, tgt in (("a", "b"), ("b", "a")):
        back = model.translate(model.translate(batch[src], f"{src}2{tgt}"), f"{tgt}2{src}")
        x, back = model.to_domain(batch[src], src), model.to_domain(back, src)
        expected = tf.reduce_mean(tf.reduce_sum(tf.square(back - x), axis=[1, 2, 3]))
        np.testing.assert_allclose(float(terms["cycle"][src]), float(expected), rtol=1e-5)
    with tf.GradientTape(persistent=True) as tape:
        cycle = objective.terms("g", model, batch)["cycle"]
        total = cycle["a"] + cycle["b"]
    for d in "ab":  # both domains' own first encoder layers learn from it
        grads = tape.gradient(total, model.vae.enc0[d].trainable_variables)
        assert any(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)


def test_the_semantic_term_is_off_by_default_and_reads_a_translations_with_a_labels():
    from unit_tf.losses import softmax_cross_entropy

    model, official, batch = setup()
    assert "semantic" not in official.terms("d", model, batch)
    assert "semantic" not in official.terms("g", model, batch)
    weights = UNITDALossWeights(semantic_w=0.5)
    objective = UNITDAObjective("softmax", weights)
    # inference mode: codes are their means, batch norm and dropout are off, so the term can
    # be compared with the public translator and classifier
    logits = model.classify(model.translate(batch["a"], "a2b"), "b")
    expected = float(softmax_cross_entropy(logits, batch["label_a"]))
    for player_terms in (objective.discriminator_terms, objective.generator_terms):
        terms = player_terms(model, batch, training=False)
        assert set(terms["semantic"]) == {"ab"}
        np.testing.assert_allclose(float(terms["semantic"]["ab"]), expected, rtol=1e-5)
    wrong = float(softmax_cross_entropy(logits, (batch["label_a"] + 1) % 10))
    assert abs(wrong - expected) > 1e-3
    g_terms = objective.generator_terms(model, batch, training=False)
    d_terms = objective.discriminator_terms(model, batch, training=False)
    np.testing.assert_allclose(
        float(weighted_total(g_terms, weights, "g")
              - weighted_total({k: v for k, v in g_terms.items() if k != "semantic"}, weights)),
        0.5 * expected, rtol=1e-4)
    assert set(d_terms) == {"gan", "cls", "feature", "semantic"}


def test_the_semantic_term_trains_the_target_classifier_and_the_a2b_generator():
    model, _, batch = setup()
    objective = UNITDAObjective("softmax", UNITDALossWeights(semantic_w=1.0))

    def gradients(player, variables):
        with tf.GradientTape() as tape:
            term = objective.terms(player, model, batch)["semantic"]["ab"]
        return [g for g in tape.gradient(term, variables) if g is not None]

    def nonzero(grads):
        return bool(grads) and any(float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)

    # D player: the target's first layer and the shared head learn; the source's does not
    assert nonzero(gradients("d", model.dis.d0["b"].trainable_variables))
    assert not gradients("d", model.dis.d0["a"].trainable_variables)
    assert not gradients("d", model.trainable_variables_of("g"))
    # G player: a's encoder and b's decoder layers keep the class
    assert nonzero(gradients("g", model.vae.enc0["a"].trainable_variables))
    assert nonzero(gradients("g", model.vae.dec3["b"].trainable_variables))
    assert not gradients("g", model.vae.dec3["a"].trainable_variables)


def test_information_maximisation_is_off_by_default_and_reads_only_unlabelled_target_images():
    from unit_tf.losses import prediction_entropy, prediction_imbalance

    model, official, batch = setup()
    assert "info_max" not in official.terms("d", model, batch)
    weights = UNITDALossWeights(info_max_w=0.3)
    objective = UNITDAObjective("softmax", weights)
    # inference mode (dropout off): the terms equal classify_b of the real target images
    logits = model.classify(batch["b"], "b")
    terms = objective.discriminator_terms(model, batch, training=False)
    assert set(terms["info_max"]) == {"entropy", "imbalance"}
    np.testing.assert_allclose(float(terms["info_max"]["entropy"]),
                               float(prediction_entropy(logits)), rtol=1e-5)
    np.testing.assert_allclose(float(terms["info_max"]["imbalance"]),
                               float(prediction_imbalance(logits)), rtol=1e-5)
    # no labels are read: other labels give the same terms; other target images do not
    relabelled = dict(batch, label_a=(batch["label_a"] + 1) % 10)
    again = objective.discriminator_terms(model, relabelled, training=False)["info_max"]
    assert float(again["entropy"]) == pytest.approx(float(terms["info_max"]["entropy"]))
    other = dict(batch, b=batch["b"][::-1] * 0.5)
    moved = objective.discriminator_terms(model, other, training=False)["info_max"]
    assert float(moved["entropy"]) != pytest.approx(float(terms["info_max"]["entropy"]))
    # weighted once, in the D total only; the generator's terms do not have it
    without = {k: v for k, v in terms.items() if k != "info_max"}
    np.testing.assert_allclose(
        float(weighted_total(terms, weights, "d") - weighted_total(without, weights, "d")),
        0.3 * float(terms["info_max"]["entropy"] + terms["info_max"]["imbalance"]), rtol=1e-4)
    assert "info_max" not in objective.terms("g", model, batch)


def test_information_maximisation_trains_the_target_classifier_path_only():
    model, _, batch = setup()
    objective = UNITDAObjective("softmax", UNITDALossWeights(info_max_w=1.0))
    with tf.GradientTape(persistent=True) as tape:
        im = objective.terms("d", model, batch)["info_max"]
        total = im["entropy"] + im["imbalance"]

    def nonzero(variables):
        grads = [g for g in tape.gradient(total, variables) if g is not None]
        return bool(grads) and any(float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)

    assert nonzero(model.dis.d0["b"].trainable_variables)
    assert nonzero(model.dis.class_head.trainable_variables)
    assert nonzero([v for layer in model.dis.shared for v in layer.trainable_variables])
    assert not nonzero(model.dis.d0["a"].trainable_variables)
    assert not nonzero(model.trainable_variables_of("g"))
