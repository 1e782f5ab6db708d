"""What every two-player translation objective shares: players, dispatch, the perceptual check."""

from unit_tf.objectives.weighting import active


class GANObjective:
    """Base of the UNIT/MUNIT objectives: `terms(player, model, batch)` dispatches to
    `discriminator_terms` / `generator_terms`, which subclasses write.

    `perceptual` is the feature network of the `vgg` group (images -> features, e.g.
    `networks.VGG16Features`); needed only when vgg_w > 0.
    """

    players = ("d", "g")  # the official order: dis_update, then gen_update

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

    def discriminator_terms(self, model, batch, training=True):
        raise NotImplementedError

    def generator_terms(self, model, batch, training=True):
        raise NotImplementedError
