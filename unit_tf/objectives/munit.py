"""The MUNIT objective: the official `gen_update` / `dis_update` terms, UNWEIGHTED.

For each direction src->tgt, with a style s_tgt ~ N(0, I) drawn per step:
Generator groups (weight name in brackets):
    gan          {a2b, b2a}  adversarial loss of G_tgt(c_src, s_tgt) against D_tgt       (gan_w)
    recon_x      {a, b}      L1(G_src(c_src, s'_src), x_src)                              (recon_x_w)
    recon_s      {a, b}      L1(E^s_tgt(x_src2tgt), s_tgt), keyed by tgt as the official  (recon_s_w)
    recon_c      {a, b}      L1(E^c_tgt(x_src2tgt), c_src), keyed by src                  (recon_c_w)
    recon_x_cyc  {a, b}      L1(G_src(E^c_tgt(x_src2tgt), s'_src), x_src) (optional)      (recon_x_cyc_w)
    vgg          {a, b}      IN-normalised VGG feature MSE, x_src2tgt vs x_src (optional) (vgg_w)
Discriminator groups:
    gan          {a, b}      real images of that domain vs translations with random styles (gan_w)
Weights are applied by `objectives.weighting.weighted_total`, nowhere else.
"""

import tensorflow as tf

from unit_tf.losses import (discriminator_loss, generator_loss, l1_loss,
                            normalized_feature_loss)
from unit_tf.models.unit import DIRECTIONS
from unit_tf.objectives.base import GANObjective
from unit_tf.objectives.weighting import active


class MUNITObjective(GANObjective):
    """Named terms of both players for a MUNIT model and a batch {"a": x, "b": x}."""

    def discriminator_terms(self, model, batch, training=True):
        gan = {}
        for direction, (src, tgt) in DIRECTIONS.items():
            style = model.sample_style(tf.shape(batch[src])[0])
            content = model.content_encoders[src](batch[src], training=training)
            fake = tf.stop_gradient(model.decode(content, style, tgt, training))
            gan[tgt] = discriminator_loss(
                self.gan_type, model.discriminate(batch[tgt], tgt, training),
                model.discriminate(fake, tgt, training))
        return {"gan": gan}

    def generator_terms(self, model, batch, training=True):
        w = self.weights
        groups = ["gan", "recon_x", "recon_s", "recon_c", "recon_x_cyc", "vgg"]
        terms = {g: {} for g in groups if active(w, g)}
        with_cycle = active(w, "recon_x_cyc")
        for direction, (src, tgt) in DIRECTIONS.items():
            x = batch[src]
            style = model.sample_style(tf.shape(x)[0])  # s_tgt ~ N(0, I)
            out = model.forward_direction(x, src, tgt, style, training, with_cycle=with_cycle)
            values = {
                "gan": lambda: generator_loss(
                    self.gan_type, model.discriminate(out["trans"], tgt, training)),
                "recon_x": lambda: l1_loss(out["recon"], x),
                "recon_s": lambda: l1_loss(out["style_trans"], style),
                "recon_c": lambda: l1_loss(out["content_trans"], out["content"]),
                "recon_x_cyc": lambda: l1_loss(out["cycle"], x),
                "vgg": lambda: normalized_feature_loss(self.perceptual(out["trans"]),
                                                       self.perceptual(x)),
            }
            key = {"gan": direction, "recon_s": tgt}
            for group in terms:
                terms[group][key.get(group, src)] = values[group]()
        return terms
