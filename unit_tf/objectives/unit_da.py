"""The digit domain-adaptation objective (version_02 `CoVAEGAN4DAXYCTrainer`), UNWEIGHTED.

With x_aa, x_ab (decoded from a's codes), x_ba, x_bb (from b's), D(u, v) the real/fake logits
of D_a on u and D_b on v, f_d the dropout-free shared features through D_d's first layer:
Discriminator groups (weight in brackets):
    gan      {true: CE(D(x_a, x_b), real),
              fake: 0.5 [CE(D(x_aa, x_bb), fake) + CE(D(x_ba, x_ab), fake)]}      (gan_w)
    cls      {a: CE(classify_a(x_a), labels of a)} (source labels only)           (cls_w)
    feature  {a: dist(f_b(x_ab), f_a(x_aa)), b: dist(f_a(x_ba), f_b(x_bb))}: the two D's read
             images decoded from the same code alike; dist = per-image sum of squares
             (official) or of absolute values (the paper's L1)                    (feature_w)
    semantic {ab: CE(classify_b(x_ab), labels of a)}: the target's classifier learns from a's
             labelled digits translated into b; not in version_02's trainer (PixelDA's task
             loss on translated source images), computed only when semantic_w > 0 (semantic_w)
    info_max {entropy: mean entropy of classify_b(x_b), imbalance: KL(mean classify_b(x_b) ||
             uniform)}: information maximisation on the UNLABELLED target images (each read
             with confidence, the batch spread over the classes); not in version_02's trainer,
             computed only when info_max_w > 0                                    (info_max_w)
Generator groups:
    gan      {recon: CE(D(x_aa, x_bb), real), trans: CE(D(x_ba, x_ab), real)}     (gan_w)
    recon    {a: sq(x_aa, x_a), b: sq(x_bb, x_b)}                                  (recon_w)
    kl       {ab: 2 * learned_variance_kl(mu, sd) over both domains' codes}       (kl_w)
    cycle    {a: sq(x_aba, x_a), b: sq(x_bab, x_b)}: each translation encoded again and
             decoded back; not in version_02's trainer, computed only when cycle_w > 0 (cycle_w)
    semantic {ab: CE(classify_b(x_ab), labels of a)}: the translation keeps its digit's class
             as the (fixed) classifier reads it; only when semantic_w > 0          (semantic_w)
The D step comes first; its translations carry no gradient to the generator.
"""

import tensorflow as tf

from unit_tf.losses import (learned_variance_kl, per_image_sum_of_abs, per_image_sum_of_squares,
                            prediction_entropy, prediction_imbalance, softmax_cross_entropy)
from unit_tf.objectives.base import GANObjective
from unit_tf.objectives.weighting import active

REAL, FAKE = 1, 0
DISTANCES = {"sq": per_image_sum_of_squares, "l1": per_image_sum_of_abs}


def _labelled(logits, label):
    return softmax_cross_entropy(logits, tf.fill([tf.shape(logits)[0]], label))


class UNITDAObjective(GANObjective):
    """Named terms of both players for a UNITDA model and a batch {"a", "b", "label_a"}."""

    GROUPS = ("gan", "recon", "kl", "cycle", "semantic")

    def __init__(self, gan_type, weights, perceptual=None, history=None,
                 feature_distance="sq", reuse_fakes=False):
        super().__init__(gan_type, weights, perceptual, history, reuse_fakes)
        self.distance = DISTANCES[feature_distance]

    @staticmethod
    def domain_images(model, batch):
        return {d: model.to_domain(batch[d], d) for d in ("a", "b")}

    @staticmethod
    def real_fake(model, x_a, x_b, training):
        """D(x_a, x_b): the logits of both discriminators on one batch [2B, 2]."""
        return tf.concat([model.dis.real_fake(x_a, "a", training),
                          model.dis.real_fake(x_b, "b", training)], axis=0)

    def discriminator_terms(self, model, batch, training=True):
        x = self.domain_images(model, batch)
        out = {k: tf.stop_gradient(v) for k, v in model.forward(x, training).items()}
        fake_same = self.real_fake(model, out["x_aa"], out["x_bb"], training)
        fake_cross = self.real_fake(model, out["x_ba"], out["x_ab"], training)

        # the dropout-free features of each decoded image through its domain's D (x_ab is b's)
        f = {k: model.dis.features(out[f"x_{k}"], k[1], training)
             for k in ("aa", "ab", "ba", "bb")}
        terms = {
            "gan": {"true": _labelled(self.real_fake(model, x["a"], x["b"], training), REAL),
                    "fake": 0.5 * (_labelled(fake_same, FAKE) + _labelled(fake_cross, FAKE))},
            "cls": {"a": softmax_cross_entropy(model.dis.classify(x["a"], "a", training),
                                               batch["label_a"])},
            "feature": {"a": self.distance(f["ab"], f["aa"]),
                        "b": self.distance(f["ba"], f["bb"])},
        }
        if active(self.weights, "info_max", "d"):
            logits = model.dis.classify(x["b"], "b", training)  # [B, classes], no labels used
            terms["info_max"] = {"entropy": prediction_entropy(logits),
                                 "imbalance": prediction_imbalance(logits)}
        return self.with_semantic(terms, model, batch, out, "d", training)

    def with_semantic(self, terms, model, batch, out, player, training):
        """terms + the `semantic` group when it is weighted: classify_b of a's translations
        against a's labels (the D player learns to read them, the G player to keep them)."""
        if active(self.weights, "semantic", player):
            terms["semantic"] = {"ab": softmax_cross_entropy(
                model.dis.classify(out["x_ab"], "b", training), batch["label_a"])}
        return terms

    def generator_terms(self, model, batch, training=True):
        x = self.domain_images(model, batch)
        out = model.forward(x, training)
        terms = {
            "gan": {"recon": _labelled(self.real_fake(model, out["x_aa"], out["x_bb"], training),
                                       REAL),
                    "trans": _labelled(self.real_fake(model, out["x_ba"], out["x_ab"], training),
                                       REAL)},
            "recon": {"a": per_image_sum_of_squares(out["x_aa"], x["a"]),
                      "b": per_image_sum_of_squares(out["x_bb"], x["b"])},
            "kl": {"ab": 2.0 * learned_variance_kl(out["mu"], out["sd"])},
        }
        if active(self.weights, "cycle"):
            # x_ba is a's image of b's digits, x_ab b's of a's: encoded as those domains' images
            # and decoded back, back["x_ab"] = x_bab, back["x_ba"] = x_aba
            back = model.forward({"a": out["x_ba"], "b": out["x_ab"]}, training)
            terms["cycle"] = {"a": per_image_sum_of_squares(back["x_ba"], x["a"]),
                              "b": per_image_sum_of_squares(back["x_ab"], x["b"])}
        return self.with_semantic(terms, model, batch, out, "g", training)
