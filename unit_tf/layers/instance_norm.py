"""Instance normalisation, with or without a per-channel affine transform."""

import keras
import tensorflow as tf

from unit_tf.layers.inference_switch import InferenceSwitch

FUSED_NORM_INFERENCE = InferenceSwitch()  # on while an export's serving signatures are traced
# Inference calls traced inside fused_norm_inference() normalise by the fused kernel too (not the
# signatures TFLite converts, which may be quantised to int8: `instance_normalize`);
# fused_norm_wanted(training).
fused_norm_inference, fused_norm_wanted = FUSED_NORM_INFERENCE.on, FUSED_NORM_INFERENCE.wanted


def instance_normalize(x, epsilon, scale=None, offset=None, fused=True):
    """(x - mean_HW) / sqrt(var_HW + eps) per sample and channel (biased variance), times `scale`
    plus `offset` ([B, C] or [1, C] for all samples, or None), in float32: [B, H, W, C] ->
    float32.

    `fused` (for training): TF's fused batch-norm kernel in training mode on the samples'
    channels side by side ([1, H, W, B*C]; a reshape alone when B is 1), one kernel forward and
    one backward instead of the moments' chain of reductions and element-wise ops (1.7x faster
    forward and backward at [1, 64, 64, 256], 2.6x at [1, 256, 256, 64], on 2 cores). Otherwise
    (inference, hence default exports) the moments formula: TFLite lowers the fused kernel to
    x * a + (offset - mean * a), whose cancellation int8 quantisation cannot represent (max
    error 1.16 instead of under 0.3 on the tiny UNIT). An export's serving signatures use the
    fused kernel (`fused_norm_inference`; ~7% of the 256^2 UNIT translation), the twins it
    writes for TFLite the moments (unit_tf.export.serving.tflite_twin)."""
    x32 = tf.cast(x, tf.float32)
    if not fused:
        mean, variance = tf.nn.moments(x32, axes=[1, 2], keepdims=True)  # [B, 1, 1, C]
        y = (x32 - mean) * tf.math.rsqrt(variance + epsilon)
        if scale is not None:
            y = y * tf.cast(scale, tf.float32)[:, None, None]
        return y if offset is None else y + tf.cast(offset, tf.float32)[:, None, None]
    shape = tf.shape(x32)
    b, h, w, c = shape[0], shape[1], shape[2], shape[3]
    one_sample = x32.shape[0] == 1
    stacked = x32 if one_sample else tf.transpose(x32, [1, 2, 0, 3])  # [H, W, B, C]
    stacked = tf.reshape(stacked, [1, h, w, b * c])
    flat = lambda v, fill: (tf.fill([b * c], fill) if v is None  # noqa: E731
                            else tf.reshape(tf.broadcast_to(tf.cast(v, tf.float32), [b, c]), [-1]))
    y = tf.raw_ops.FusedBatchNormV3(
        x=stacked, scale=flat(scale, 1.0), offset=flat(offset, 0.0),
        mean=tf.zeros([0]), variance=tf.zeros([0]), epsilon=epsilon,
        exponential_avg_factor=1.0, data_format="NHWC", is_training=True)[0]
    if one_sample:
        return tf.reshape(y, shape)
    return tf.transpose(tf.reshape(y, [h, w, b, c]), [2, 0, 1, 3])  # [B, H, W, C]


@keras.saving.register_keras_serializable(package="unit_tf")
class InstanceNorm(keras.layers.Layer):
    """PyTorch `InstanceNorm2d`: (x - mean_HW) / sqrt(var_HW + eps), biased variance.

    `affine=False` (the official UNIT/MUNIT/CycleGAN choice) has no weights; `affine=True` adds
    gamma (ones) and beta (zeros) per channel. Statistics are computed in float32 and the result is
    cast back to the compute dtype; while training (or inside `fused_norm_inference()`) by the
    fused kernel (`instance_normalize`).
    Shape: [B, H, W, C] -> same.
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

    def call(self, x, training=None):
        affine = (self.gamma[None], self.beta[None]) if self.affine else (None, None)
        y = instance_normalize(x, self.epsilon, *affine, fused=fused_norm_wanted(training))
        return tf.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "affine": self.affine}
