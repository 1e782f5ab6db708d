"""Adversarial losses as pure functions.

Shape contract: `real` and `fake` are discriminator outputs, either one logit tensor of any shape
(e.g. PatchGAN maps [B, h, w, 1]) or a list of them (one per discriminator scale). Every loss is
the SUM over scales of a MEAN over each scale's elements, as the official `calc_dis_loss` /
`calc_gen_loss` compute it (no 1/2 factor; junyanz's CycleGAN halves its D loss itself). All
arithmetic is float32.
"""

import tensorflow as tf

GAN_TYPES = ("lsgan", "nsgan", "hinge")


def _scales(outputs):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [tf.cast(o, tf.float32) for o in outputs]


def _sum_over_scales(fn, *outputs):
    return tf.add_n([fn(*per_scale) for per_scale in zip(*map(_scales, outputs))])


def lsgan_discriminator_loss(real, fake):
    """sum_k mean((D(real) - 1)^2) + mean(D(fake)^2)."""
    return _sum_over_scales(
        lambda r, f: tf.reduce_mean(tf.square(r - 1.0)) + tf.reduce_mean(tf.square(f)),
        real, fake)


def lsgan_generator_loss(fake):
    """sum_k mean((D(fake) - 1)^2)."""
    return _sum_over_scales(lambda f: tf.reduce_mean(tf.square(f - 1.0)), fake)


def nsgan_discriminator_loss(real, fake):
    """sum_k BCE(sigmoid(D(real)), 1) + BCE(sigmoid(D(fake)), 0), from logits."""
    return _sum_over_scales(
        lambda r, f: tf.reduce_mean(tf.nn.softplus(-r)) + tf.reduce_mean(tf.nn.softplus(f)),
        real, fake)


def nsgan_generator_loss(fake):
    """The non-saturating generator loss: sum_k BCE(sigmoid(D(fake)), 1)."""
    return _sum_over_scales(lambda f: tf.reduce_mean(tf.nn.softplus(-f)), fake)


def hinge_discriminator_loss(real, fake):
    """sum_k mean(relu(1 - D(real))) + mean(relu(1 + D(fake)))."""
    return _sum_over_scales(
        lambda r, f: tf.reduce_mean(tf.nn.relu(1.0 - r)) + tf.reduce_mean(tf.nn.relu(1.0 + f)),
        real, fake)


def hinge_generator_loss(fake):
    """sum_k -mean(D(fake))."""
    return _sum_over_scales(lambda f: -tf.reduce_mean(f), fake)


_LOSSES = {
    "lsgan": (lsgan_generator_loss, lsgan_discriminator_loss),
    "nsgan": (nsgan_generator_loss, nsgan_discriminator_loss),
    "hinge": (hinge_generator_loss, hinge_discriminator_loss),
}


def generator_loss(gan_type, fake):
    return _gan(gan_type)[0](fake)


def discriminator_loss(gan_type, real, fake):
    return _gan(gan_type)[1](real, fake)


def _gan(gan_type):
    if gan_type not in _LOSSES:
        raise ValueError(f"gan_type={gan_type!r} is not one of {', '.join(GAN_TYPES)}")
    return _LOSSES[gan_type]
