"""The LayerNorm of the official UNIT/MUNIT decoders (`networks.LayerNorm`)."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="unit_tf")
class LayerNorm(keras.layers.Layer):
    """Per-sample normalisation over H, W and C with the official quirks.

    y = (x - mean) / (std + eps) * gamma_c + beta_c, where mean and the UNBIASED std
    (`torch.std`, divisor N - 1) are taken over all H*W*C values of a sample, eps is added to the
    std (not the variance), gamma is initialised uniform(0, 1) and beta to 0, per channel.
    Shape: [B, H, W, C] -> same.
    """

    def __init__(self, epsilon: float = 1e-5, affine: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        self.affine = bool(affine)

    def build(self, input_shape):
        channels = input_shape[-1]
        if self.affine:
            self.gamma = self.add_weight(
                shape=(channels,), initializer=keras.initializers.RandomUniform(0.0, 1.0),
                name="gamma")
            self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta")

    def call(self, x):
        x32 = tf.cast(x, tf.float32)
        mean = tf.reduce_mean(x32, axis=[1, 2, 3], keepdims=True)  # [B, 1, 1, 1]
        count = tf.cast(tf.reduce_prod(tf.shape(x32)[1:]), tf.float32)
        squares = tf.reduce_sum(tf.square(x32 - mean), axis=[1, 2, 3], keepdims=True)
        std = tf.sqrt(squares / tf.maximum(count - 1.0, 1.0))
        y = (x32 - mean) / (std + self.epsilon)
        if self.affine:
            y = y * tf.cast(self.gamma, tf.float32) + tf.cast(self.beta, tf.float32)
        return tf.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "affine": self.affine}
