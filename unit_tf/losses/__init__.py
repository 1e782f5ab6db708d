"""Pure loss functions; nothing here imports the rest of unit_tf."""

from unit_tf.losses.adversarial import (GAN_TYPES, discriminator_loss, generator_loss,
                                        gradient_penalty, hinge_discriminator_loss, hinge_generator_loss,
                                        lsgan_discriminator_loss, lsgan_generator_loss,
                                        nsgan_discriminator_loss, nsgan_generator_loss)
from unit_tf.losses.perceptual import normalized_feature_loss
from unit_tf.losses.classification import (prediction_entropy, prediction_imbalance,
                                           softmax_cross_entropy)
from unit_tf.losses.reconstruction import (gaussian_kl_loss, l1_loss, l2_loss, l2_penalty,
                                           learned_variance_kl, per_image_sum_of_abs,
                                           per_image_sum_of_squares, reduced_kl_loss)

__all__ = ["GAN_TYPES", "discriminator_loss", "gaussian_kl_loss", "generator_loss",
           "gradient_penalty",            "hinge_discriminator_loss", "hinge_generator_loss", "l1_loss", "l2_loss",
           "l2_penalty", "lsgan_discriminator_loss", "lsgan_generator_loss",
           "normalized_feature_loss", "nsgan_discriminator_loss", "nsgan_generator_loss",
           "learned_variance_kl", "per_image_sum_of_abs", "per_image_sum_of_squares",
           "prediction_entropy", "prediction_imbalance",
           "reduced_kl_loss", "softmax_cross_entropy"]
