"""Adversarial losses as pure functions.

Shape contract: `real` and `fake` are discriminator outputs, either one logit tensor of any shape
(e.g. PatchGAN maps [B, h, w, 1]) or a list of them (one per discriminator scale). Every loss is
the SUM over scales of a MEAN over each scale's elements, as the official `calc_dis_loss` /
`calc_gen_loss` compute it (no 1/2 factor; junyanz's CycleGAN halves its D loss itself). All
arithmetic is float32.
"""

import tensorflow as tf

GAN_TYPES = ("lsgan", "nsgan", "vanilla", "hinge", "wgangp")


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


def wasserstein_discriminator_loss(real, fake):
    """sum_k -mean(D(real)) + mean(D(fake)) (junyanz gan_mode wgangp; add `gradient_penalty`)."""
    return _sum_over_scales(lambda r, f: tf.reduce_mean(f) - tf.reduce_mean(r), real, fake)


def wasserstein_generator_loss(fake):
    """sum_k -mean(D(fake))."""
    return _sum_over_scales(lambda f: -tf.reduce_mean(f), fake)


def gradient_penalty(critic, real, fake, alpha, target_norm=1.0):
    """WGAN-GP (Gulrajani et al. 2017; junyanz `cal_gradient_penalty`, type 'mixed'):
    mean over the batch of (||d critic(x_hat) / d x_hat||_2 - target_norm)^2, where
    x_hat = alpha * real + (1 - alpha) * fake and alpha [B, 1, 1, 1] in [0, 1].

    `critic` maps images to logits (a tensor or a list of scales, summed); the gradient is taken
    in float32 and may itself be differentiated (the critic's update needs that).
    """
    real, fake = tf.cast(real, tf.float32), tf.cast(fake, tf.float32)
    mixed = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        score = tf.add_n([tf.reduce_sum(s) for s in _scales(critic(mixed))])
    grads = tf.reshape(tape.gradient(score, mixed), [tf.shape(mixed)[0], -1])
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-16)  # [B]
    return tf.reduce_mean(tf.square(norms - target_norm))


_LOSSES = {
    "lsgan": (lsgan_generator_loss, lsgan_discriminator_loss),
    "nsgan": (nsgan_generator_loss, nsgan_discriminator_loss),
    "vanilla": (nsgan_generator_loss, nsgan_discriminator_loss),  # junyanz name of nsgan
    "hinge": (hinge_generator_loss, hinge_discriminator_loss),
    "wgangp": (wasserstein_generator_loss, wasserstein_discriminator_loss),
}


def generator_loss(gan_type, fake):
    return _gan(gan_type)[0](fake)


def discriminator_loss(gan_type, real, fake):
    return _gan(gan_type)[1](real, fake)


def _gan(gan_type):
    if gan_type not in _LOSSES:
        raise ValueError(f"gan_type={gan_type!r} is not one of {', '.join(GAN_TYPES)}")
    return _LOSSES[gan_type]
