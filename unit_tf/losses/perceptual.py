"""The perceptual distance of the official UNIT/MUNIT `compute_vgg_loss`, on given features."""

import tensorflow as tf


def _instance_normalize(features, epsilon):
    """Affine-free instance norm (`nn.InstanceNorm2d(512, affine=False)`, eps 1e-5), float32."""
    features = tf.cast(features, tf.float32)
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)
    return (features - mean) * tf.math.rsqrt(variance + epsilon)


def normalized_feature_loss(features, target_features, epsilon=1e-5):
    """mean((IN(f) - IN(f_target))^2) over every element, f and f_target [B, H, W, C].

    Instance-normalising the features first removes per-channel mean and contrast, so the loss
    compares the layout of activations, not their statistics (the "domain-invariant" perceptual
    loss of MUNIT, section 5.1).
    """
    return tf.reduce_mean(tf.square(_instance_normalize(features, epsilon)
                                    - _instance_normalize(target_features, epsilon)))
