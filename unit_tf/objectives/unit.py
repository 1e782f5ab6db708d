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

from unit_tf.losses import l1_loss, reduced_kl_loss
from unit_tf.objectives.base import GANObjective


class UNITObjective(GANObjective):
    """Computes the named terms of both players for a UNIT model and a batch {"a": x, "b": x}."""

    REUSES_FAKES = True
    GROUPS = ("gan", "recon_x", "recon_kl", "recon_x_cyc", "recon_kl_cyc", "vgg")

    def fake(self, model, x, src, tgt, training):
        h = model.encode(x, src, training)
        return model.decode(model.noise(h, training=training), tgt, training)

    def direction_terms(self, model, batch, src, tgt, training, with_cycle):
        x = batch[src]
        out = model.forward_direction(x, src, tgt, training, with_cycle=with_cycle)
        return {
            "gan": lambda: self.adversarial(model, batch, src, tgt, out["trans"], training),
            "recon_x": lambda: l1_loss(out["recon"], x),
            "recon_kl": lambda: reduced_kl_loss(out["h"]),
            "recon_x_cyc": lambda: l1_loss(out["cycle"], x),
            "recon_kl_cyc": lambda: reduced_kl_loss(out["h_trans"]),
            "vgg": lambda: self.perceptual_distance(out["trans"], x),
            "fake": lambda: out["trans"],
        }
