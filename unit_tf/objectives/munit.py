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

from unit_tf.losses import l1_loss
from unit_tf.objectives.base import GANObjective


class MUNITObjective(GANObjective):
    """Named terms of both players for a MUNIT model and a batch {"a": x, "b": x}."""

    REUSES_FAKES = True
    GROUPS = ("gan", "recon_x", "recon_s", "recon_c", "recon_x_cyc", "vgg")
    TARGET_KEYED = ("recon_s",)  # the official loss_gen_recon_s_<target>

    def fake(self, model, x, src, tgt, training):
        style = model.sample_style(tf.shape(x)[0])  # s_tgt ~ N(0, I)
        return model.decode(model.content_encoders[src](x, training=training), style, tgt,
                            training)

    def direction_terms(self, model, batch, src, tgt, training, with_cycle):
        x = batch[src]
        style = model.sample_style(tf.shape(x)[0])  # s_tgt ~ N(0, I)
        out = model.forward_direction(x, src, tgt, style, training, with_cycle=with_cycle)
        return {
            "gan": lambda: self.adversarial(model, batch, src, tgt, out["trans"], training),
            "recon_x": lambda: l1_loss(out["recon"], x),
            "recon_s": lambda: l1_loss(out["style_trans"], style),
            "recon_c": lambda: l1_loss(out["content_trans"], out["content"]),
            "recon_x_cyc": lambda: l1_loss(out["cycle"], x),
            "vgg": lambda: self.perceptual_distance(out["trans"], x),
            "fake": lambda: out["trans"],
        }
