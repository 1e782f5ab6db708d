"""The UNIT objective: the official `gen_update` / `dis_update` terms, UNWEIGHTED.

Generator groups (weight name in brackets):
    gan          {a2b, b2a}  adversarial loss of each translation against the target D  (gan_w)
    recon_x      {a, b}      L1(G_src(z), x)                                            (recon_x_w)
    recon_kl     {a, b}      mean(mu^2) of E_src(x)                                     (recon_kl_w)
    recon_x_cyc  {a, b}      L1(x_src2tgt2src, x)                                       (recon_x_cyc_w)
    recon_kl_cyc {a, b}      mean(mu^2) of E_tgt(x_src2tgt)                             (recon_kl_cyc_w)
    vgg          {a, b}      IN-normalised VGG feature MSE, x_src2tgt vs x (optional)   (vgg_w)
Discriminator groups:
    gan          {a, b}      real images of that domain vs translations into it          (gan_w)
Terms whose weight is zero are not computed (as the official code skips x_aba when
recon_x_cyc_w == 0). Weights are applied by `objectives.weighting.weighted_total`, nowhere else.
"""

import tensorflow as tf

from unit_tf.losses import (discriminator_loss, generator_loss, l1_loss,
                            normalized_feature_loss, reduced_kl_loss)
from unit_tf.models.unit import DIRECTIONS
from unit_tf.objectives.base import GANObjective
from unit_tf.objectives.weighting import active


class UNITObjective(GANObjective):
    """Computes the named terms of both players for a UNIT model and a batch {"a": x, "b": x}."""

    def discriminator_terms(self, model, batch, training=True):
        gan = {}
        for direction, (src, tgt) in DIRECTIONS.items():
            h = model.encode(batch[src], src, training)
            fake = tf.stop_gradient(model.decode(model.noise(h, training=training), tgt, training))
            gan[tgt] = discriminator_loss(
                self.gan_type, model.discriminate(batch[tgt], tgt, training),
                model.discriminate(fake, tgt, training))
        return {"gan": gan}

    def generator_terms(self, model, batch, training=True):
        w = self.weights
        groups = ["gan", "recon_x", "recon_kl", "recon_x_cyc", "recon_kl_cyc", "vgg"]
        terms = {g: {} for g in groups if active(w, g)}
        with_cycle = active(w, "recon_x_cyc")
        for direction, (src, tgt) in DIRECTIONS.items():
            x = batch[src]
            out = model.forward_direction(x, src, tgt, training, with_cycle=with_cycle)
            values = {
                "gan": lambda: generator_loss(
                    self.gan_type, model.discriminate(out["trans"], tgt, training)),
                "recon_x": lambda: l1_loss(out["recon"], x),
                "recon_kl": lambda: reduced_kl_loss(out["h"]),
                "recon_x_cyc": lambda: l1_loss(out["cycle"], x),
                "recon_kl_cyc": lambda: reduced_kl_loss(out["h_trans"]),
                "vgg": lambda: normalized_feature_loss(self.perceptual(out["trans"]),
                                                       self.perceptual(x)),
            }
            key = {"gan": direction}
            for group in terms:
                terms[group][key.get(group, src)] = values[group]()
        return terms
