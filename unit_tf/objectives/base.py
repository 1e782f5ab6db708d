"""What every two-player translation objective shares: players, dispatch, the perceptual check."""

import tensorflow as tf

from unit_tf.losses import (discriminator_loss, generator_loss, gradient_penalty,
                            normalized_feature_loss)
from unit_tf.objectives.weighting import active


class GANObjective:
    """Base of every objective. The loops over directions and groups are written here once; a
    subclass names its generator `GROUPS` and says how to make a translation (`fake`) and each
    term of one direction (`direction_terms`).

    Terms are keyed by source domain, except the groups in `DIRECTION_KEYED` (keyed by
    direction) and in `TARGET_KEYED`. The discriminator's `gan` terms are keyed by the domain it
    judges, as is `gp` (gan_type wgangp). `perceptual` is the feature network of the `vgg` group
    (images -> features, e.g. `networks.VGG16Features`); needed only when vgg_w > 0.
    `history` ({domain: ImagePool}, optional) replays earlier translations to the discriminator.

    `reuse_fakes` (families whose `direction_terms` give a "fake"): the generator player comes
    first and its terms carry its translations (`terms[CARRY]`, gradients stopped), which the
    step hands to the discriminator player in the batch; the discriminator judges those instead
    of translating again. UNIT/MUNIT (official order D, then G): D still judges translations by
    the generators of before this step's G update, as officially, but G's update is now
    computed against the D of before this step's D update. CycleGAN (G, then D already): D
    judges the translations made before the G update instead of after it, exactly as junyanz's
    optimize_parameters does.
    """

    players = ("d", "g")  # the official order: dis_update, then gen_update
    REUSES_FAKES = False  # whether direction_terms gives the translation as "fake"
    GROUPS = ()
    DIRECTION_KEYED = ("gan",)
    TARGET_KEYED = ()

    def __init__(self, gan_type, weights, perceptual=None, history=None, reuse_fakes=False):
        if reuse_fakes and not self.REUSES_FAKES:
            raise ValueError(f"optim.reuse_fakes is for UNIT, MUNIT and CycleGAN; "
                             f"{type(self).__name__} translates once per step already or "
                             "judges something else")
        self.reuse_fakes = bool(reuse_fakes)
        self.gan_type = gan_type
        self.weights = weights
        self.perceptual = perceptual
        self.history = dict(history or {})
        # With every adversarial weight 0 (e.g. an L1-only baseline) no discriminator is trained.
        order = ("g", "d") if self.reuse_fakes else type(self).players
        self.players = tuple(p for p in order if p != "d" or active(weights, "gan"))
        if active(weights, "vgg") and perceptual is None:
            raise ValueError("vgg_w > 0 needs a perceptual network (see unit_tf.networks.vgg)")

    def terms(self, player, model, batch):
        if player == "g":
            return self.generator_terms(model, batch)
        if player == "d":
            return self.discriminator_terms(model, batch)
        raise ValueError(f"unknown player {player!r}")

    def fake(self, model, x, src, tgt, training):
        """The translation of source images `x` the discriminator of `tgt` is shown."""
        raise NotImplementedError

    def direction_terms(self, model, batch, src, tgt, training, with_cycle):
        """{group: () -> scalar} for one direction; only the active groups are called."""
        raise NotImplementedError

    def critic_input(self, batch, src, images):
        """What the discriminator sees of `images` (a conditional D also sees the source)."""
        return images

    def adversarial(self, model, batch, src, tgt, images, training):
        """The generator's adversarial loss for `images`, translations of batch[src] into tgt."""
        return generator_loss(self.gan_type, model.discriminate(
            self.critic_input(batch, src, images), tgt, training))

    def perceptual_distance(self, images, targets):
        return normalized_feature_loss(self.perceptual(images), self.perceptual(targets))

    def discriminator_terms(self, model, batch, training=True):
        terms = {"gan": {}, **({"gp": {}} if self.gan_type == "wgangp" else {})}
        for direction, (src, tgt) in model.translation_pairs().items():
            carried = carry_key(direction)
            fake = batch[carried] if carried in batch else tf.stop_gradient(
                self.fake(model, batch[src], src, tgt, training))
            if tgt in self.history:
                fake = self.history[tgt].query(fake)
            real, fake = self.critic_input(batch, src, batch[tgt]), self.critic_input(
                batch, src, tf.cast(fake, batch[tgt].dtype))

            def critic(images, tgt=tgt):
                return model.discriminate(images, tgt, training)

            terms["gan"][tgt] = discriminator_loss(self.gan_type, critic(real), critic(fake))
            if "gp" in terms:
                alpha = tf.random.uniform([tf.shape(real)[0], 1, 1, 1])
                terms["gp"][tgt] = gradient_penalty(critic, real, fake, alpha)
        return terms

    def generator_terms(self, model, batch, training=True):
        terms = {g: {} for g in self.GROUPS if active(self.weights, g)}
        with_cycle = active(self.weights, "recon_x_cyc")
        carry = {}
        for direction, (src, tgt) in model.translation_pairs().items():
            values = self.direction_terms(model, batch, src, tgt, training, with_cycle)
            for group in self.GROUPS:
                if group in terms:
                    key = direction if group in self.DIRECTION_KEYED else \
                        tgt if group in self.TARGET_KEYED else src
                    terms[group][key] = values[group]()
            if self.reuse_fakes:
                carry[carry_key(direction)] = tf.stop_gradient(values["fake"]())
        if carry:
            terms[CARRY] = carry
        return terms


CARRY = "carry"  # terms[CARRY]: {name: tensor} the step adds to the batch of the next players


def carry_key(direction):
    """The batch key of the carried translation of `direction` (e.g. "fake_a2b")."""
    return f"fake_{direction}"
