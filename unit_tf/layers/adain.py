"""Adaptive instance normalisation driven by externally supplied parameters (MUNIT)."""

import keras
import tensorflow as tf

from unit_tf.layers.instance_norm import fused_norm_wanted, instance_normalize


@keras.saving.register_keras_serializable(package="unit_tf")
class AdaIN(keras.layers.Layer):
    """Instance-normalise x, then scale and shift with per-sample parameters.

    `call(x, params)` with x [B, H, W, C] and params [B, 2C]: as the official
    `assign_adain_params`, the first C values are the bias (mean) and the next C the weight (std),
    used as they are (no +1 offset). Statistics: biased variance over H, W, eps 1e-5.
    """

    def __init__(self, epsilon: float = 1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def call(self, x, params, training=None):
        channels = x.shape[-1]
        params = tf.cast(params, tf.float32)
        bias, weight = params[:, :channels], params[:, channels:2 * channels]  # [B, C] each
        y = instance_normalize(x, self.epsilon, weight, bias, fused=fused_norm_wanted(training))
        return tf.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape, params_shape=None):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
