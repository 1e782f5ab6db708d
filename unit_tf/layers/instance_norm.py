"""Instance normalisation, with or without a per-channel affine transform."""

import keras
import tensorflow as tf


def instance_moments(x, epsilon):
    """Per-sample, per-channel mean and 1/std over H and W (biased variance), in float32."""
    x32 = tf.cast(x, tf.float32)
    mean, variance = tf.nn.moments(x32, axes=[1, 2], keepdims=True)  # [B, 1, 1, C]
    return x32, mean, tf.math.rsqrt(variance + epsilon)


@keras.saving.register_keras_serializable(package="unit_tf")
class InstanceNorm(keras.layers.Layer):
    """PyTorch `InstanceNorm2d`: (x - mean_HW) / sqrt(var_HW + eps), biased variance.

    `affine=False` (the official UNIT/MUNIT/CycleGAN choice) has no weights; `affine=True` adds
    gamma (ones) and beta (zeros) per channel. Statistics are computed in float32 and the result is
    cast back to the compute dtype. Shape: [B, H, W, C] -> same.
    """

    def __init__(self, epsilon: float = 1e-5, affine: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        self.affine = bool(affine)

    def build(self, input_shape):
        channels = input_shape[-1]
        if self.affine:
            self.gamma = self.add_weight(shape=(channels,), initializer="ones", name="gamma")
            self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta")

    def call(self, x):
        x32, mean, inv_std = instance_moments(x, self.epsilon)
        y = (x32 - mean) * inv_std
        if self.affine:
            y = y * tf.cast(self.gamma, tf.float32) + tf.cast(self.beta, tf.float32)
        return tf.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "affine": self.affine}
