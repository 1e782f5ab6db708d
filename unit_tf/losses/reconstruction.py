"""Reconstruction and latent-regularisation losses as pure functions (float32 arithmetic)."""

import tensorflow as tf


def l1_loss(prediction, target):
    """mean |prediction - target| over every element (`nn.L1Loss()`)."""
    return tf.reduce_mean(tf.abs(tf.cast(prediction, tf.float32) - tf.cast(target, tf.float32)))


def l2_loss(prediction, target):
    """mean (prediction - target)^2 over every element (`nn.MSELoss()`)."""
    return tf.reduce_mean(tf.square(tf.cast(prediction, tf.float32) - tf.cast(target, tf.float32)))


def reduced_kl_loss(mu):
    """UNIT's "reduced VAE" KL: mean(mu^2) over every element (`__compute_kl`).

    With the posterior's variance fixed to 1, KL(N(mu, I) || N(0, I)) = 0.5 * sum(mu^2); the
    official code uses the mean instead, which this reproduces.
    """
    return tf.reduce_mean(tf.square(tf.cast(mu, tf.float32)))


def gaussian_kl_loss(mu, sigma):
    """KL(N(mu, sigma^2) || N(0, 1)) summed over latent elements, averaged over the batch.

    = 0.5 * sum(mu^2 + sigma^2 - log(sigma^2) - 1) / B. The official digit model
    (`cocogan_trainer_da._compute_kl`) uses sum(mu^2 + sigma^2 - log sigma^2) / B, which is twice
    this plus a constant: the same gradients up to a factor its weight absorbs.
    """
    mu = tf.cast(mu, tf.float32)
    var = tf.square(tf.cast(sigma, tf.float32))
    per_element = mu * mu + var - tf.math.log(var) - 1.0
    batch = tf.cast(tf.shape(mu)[0], tf.float32)
    return 0.5 * tf.reduce_sum(per_element) / batch


def l2_penalty(variables):
    """0.5 * sum ||v||^2: its gradient is v, so `weight_decay * l2_penalty` added to a loss is
    PyTorch's coupled `Adam(weight_decay=...)`. One `l2_loss` kernel per variable (no squared
    copy of it; its gradient is one multiply)."""
    return tf.add_n([tf.nn.l2_loss(tf.cast(v, tf.float32)) for v in variables])


def per_image_sum_of_squares(prediction, target):
    """mean squared error times C*H*W of the target: the per-image sum of squared errors,
    averaged over the batch (version_02 `_compute_ll_loss` with `MSELoss`). [B, H, W, C]."""
    prediction = tf.cast(prediction, tf.float32)
    target = tf.cast(target, tf.float32)
    per_image = tf.cast(tf.reduce_prod(tf.shape(target)[1:]), tf.float32)
    return tf.reduce_mean(tf.square(prediction - target)) * per_image


def per_image_sum_of_abs(prediction, target):
    """The L1 counterpart: mean |error| times C*H*W of the target."""
    prediction = tf.cast(prediction, tf.float32)
    target = tf.cast(target, tf.float32)
    per_image = tf.cast(tf.reduce_prod(tf.shape(target)[1:]), tf.float32)
    return tf.reduce_mean(tf.abs(prediction - target)) * per_image


def learned_variance_kl(mu, sd):
    """version_02 `_compute_kl`: sum(mu^2 + sd^2 - log sd^2) / N over the N codes of the batch
    (twice KL(N(mu, sd^2) || N(0, 1)) plus a constant per element)."""
    mu = tf.cast(mu, tf.float32)
    var = tf.square(tf.cast(sd, tf.float32))
    return tf.reduce_sum(mu * mu + var - tf.math.log(var)) / tf.cast(tf.shape(mu)[0], tf.float32)
