"""Pure loss functions; nothing here imports the rest of unit_tf."""

from unit_tf.losses.adversarial import (GAN_TYPES, discriminator_loss, generator_loss,
                                        gradient_penalty, hinge_discriminator_loss, hinge_generator_loss,
                                        lsgan_discriminator_loss, lsgan_generator_loss,
                                        nsgan_discriminator_loss, nsgan_generator_loss)
from unit_tf.losses.perceptual import normalized_feature_loss
from unit_tf.losses.reconstruction import (gaussian_kl_loss, l1_loss, l2_loss, l2_penalty,
                                           reduced_kl_loss)

__all__ = ["GAN_TYPES", "discriminator_loss", "gaussian_kl_loss", "generator_loss",
           "gradient_penalty",            "hinge_discriminator_loss", "hinge_generator_loss", "l1_loss", "l2_loss",
           "l2_penalty", "lsgan_discriminator_loss", "lsgan_generator_loss",
           "normalized_feature_loss", "nsgan_discriminator_loss", "nsgan_generator_loss",
           "reduced_kl_loss"]
