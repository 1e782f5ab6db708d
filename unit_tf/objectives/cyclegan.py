"""The CycleGAN and pix2pix objectives (junyanz `backward_G` / `backward_D`), UNWEIGHTED.

CycleGAN, for each direction src->tgt with G = generators[src2tgt], F = generators[tgt2src]:
Generator groups (weights of `CycleGANLossWeights` in brackets):
    gan    {a2b, b2a}  adversarial loss of G(x_src) against D_tgt          (gan_w)
    cycle  {a, b}      L1(F(G(x_src)), x_src), keyed by src                 (lambda_A, lambda_B)
    idt    {a, b}      L1(G(x_tgt), x_tgt), keyed by the domain it compares (lambda_identity x
                       lambda_tgt: junyanz idt_A = |G_A(B) - B| x lambda_B x lambda_identity)
Discriminator groups:
    gan    {a, b}      real images of that domain vs translations into it, drawn from the image
                       pool when one is given                               (dis_gan_w = 0.5)
    gp     {a, b}      gradient penalty, gan_type wgangp only               (lambda_gp)
The generator step comes first (junyanz optimize_parameters: G, then D); the discriminator
step translates again with the updated generators (one forward pass; junyanz reuses the
translations made before the generator update).

pix2pix, for its one direction src->tgt (D conditional: it judges concat([x_src, y])):
    gan    {src2tgt}   adversarial loss of G(x_src)                         (gan_w)
    l1     {src2tgt}   L1(G(x_src), x_tgt)                                   (lambda_L1 = 100)
    D gan  {tgt}, gp   as above, D step first (junyanz: D, then G)           (dis_gan_w, lambda_gp)
"""

import tensorflow as tf

from unit_tf.losses import l1_loss
from unit_tf.objectives.base import GANObjective


class CycleGANObjective(GANObjective):
    players = ("g", "d")
    REUSES_FAKES = True
    GROUPS = ("gan", "cycle", "idt")
    TARGET_KEYED = ("idt",)

    def fake(self, model, x, src, tgt, training):
        return model.translate(x, f"{src}2{tgt}", training)

    def direction_terms(self, model, batch, src, tgt, training, with_cycle):
        x, direction = batch[src], f"{src}2{tgt}"
        trans = model.translate(x, direction, training)  # [B, H, W, C_tgt]
        return {
            "gan": lambda: self.adversarial(model, batch, src, tgt, trans, training),
            "cycle": lambda: l1_loss(model.translate(trans, f"{tgt}2{src}", training), x),
            "idt": lambda: l1_loss(model.translate(batch[tgt], direction, training), batch[tgt]),
            "fake": lambda: trans,
        }


class Pix2PixObjective(GANObjective):
    GROUPS = ("gan", "l1")
    DIRECTION_KEYED = ("gan", "l1")

    def fake(self, model, x, src, tgt, training):
        return model.translate(x, f"{src}2{tgt}", training)

    def critic_input(self, batch, src, images):
        """The conditional pair, source first (junyanz torch.cat((real_A, fake_B), 1))."""
        return tf.concat([tf.cast(batch[src], images.dtype), images], axis=-1)

    def direction_terms(self, model, batch, src, tgt, training, with_cycle):
        trans = model.translate(batch[src], f"{src}2{tgt}", training)  # [B, H, W, C_tgt]
        return {
            "gan": lambda: self.adversarial(model, batch, src, tgt, trans, training),
            "l1": lambda: l1_loss(trans, batch[tgt]),
        }
