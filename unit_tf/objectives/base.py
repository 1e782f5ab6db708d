"""What every two-player translation objective shares: players, dispatch, the perceptual check."""

import tensorflow as tf

from unit_tf.losses import discriminator_loss, generator_loss, normalized_feature_loss
from unit_tf.models.unit import DIRECTIONS
from unit_tf.objectives.weighting import active


class GANObjective:
    """Base of the UNIT/MUNIT objectives. The loops over directions and groups are written here
    once; a subclass names its generator `GROUPS` and says how to make a translation (`fake`)
    and each term of one direction (`direction_terms`).

    Terms are keyed by source domain, except `gan` (keyed by direction) and the groups listed in
    `TARGET_KEYED`. `perceptual` is the feature network of the `vgg` group (images -> features,
    e.g. `networks.VGG16Features`); needed only when vgg_w > 0.
    """

    players = ("d", "g")  # the official order: dis_update, then gen_update
    GROUPS = ()
    TARGET_KEYED = ()

    def __init__(self, gan_type, weights, perceptual=None):
        self.gan_type = gan_type
        self.weights = weights
        self.perceptual = perceptual
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

    def direction_terms(self, model, x, src, tgt, training, with_cycle):
        """{group: () -> scalar} for one direction; only the active groups are called."""
        raise NotImplementedError

    def adversarial(self, model, images, domain, training):
        return generator_loss(self.gan_type, model.discriminate(images, domain, training))

    def perceptual_distance(self, images, targets):
        return normalized_feature_loss(self.perceptual(images), self.perceptual(targets))

    def discriminator_terms(self, model, batch, training=True):
        gan = {}
        for src, tgt in DIRECTIONS.values():
            fake = tf.stop_gradient(self.fake(model, batch[src], src, tgt, training))
            gan[tgt] = discriminator_loss(
                self.gan_type, model.discriminate(batch[tgt], tgt, training),
                model.discriminate(fake, tgt, training))
        return {"gan": gan}

    def generator_terms(self, model, batch, training=True):
        terms = {g: {} for g in self.GROUPS if active(self.weights, g)}
        with_cycle = active(self.weights, "recon_x_cyc")
        for direction, (src, tgt) in DIRECTIONS.items():
            values = self.direction_terms(model, batch[src], src, tgt, training, with_cycle)
            for group in terms:
                key = direction if group == "gan" else tgt if group in self.TARGET_KEYED else src
                terms[group][key] = values[group]()
        return terms
