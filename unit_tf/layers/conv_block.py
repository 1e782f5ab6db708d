"""The official `Conv2dBlock`: pad, convolve, normalise, activate, in that order."""

import keras
import tensorflow as tf

from unit_tf.layers.activation import make_activation
from unit_tf.layers.adain import AdaIN
from unit_tf.layers.initializers import get_initializer, norm_scale_initializer
from unit_tf.layers.instance_norm import InstanceNorm
from unit_tf.layers.layer_norm import LayerNorm
from unit_tf.layers.padding import Pad2D
from unit_tf.layers.rows_conv import by_rows_supported, conv_by_rows
from unit_tf.layers.winograd import (winograd_conv3x3, winograd_supported, winograd_transforms,
                                     winograd_wanted)

NORMS = ("none", "in", "in_affine", "ln", "adain", "bn", "sn")
# norms that subtract each sample's per-channel mean over H and W: a per-channel bias added
# before them cancels exactly (inference skips that add where it would cost a pass of its own)
BIAS_CANCELLING_NORMS = ("in", "in_affine", "adain")


def make_norm(norm: str, name: str, dtype, init_type=None):
    """The normalisation layer for an official `norm` name ('none'/'sn' -> None); batch norm's
    scale starts at N(1, 0.02) with junyanz's init_type 'normal'."""
    if norm == "in":
        return InstanceNorm(affine=False, name=name, dtype=dtype)
    if norm == "in_affine":
        return InstanceNorm(affine=True, name=name, dtype=dtype)
    if norm == "ln":
        return LayerNorm(name=name, dtype=dtype)
    if norm == "adain":
        return AdaIN(name=name, dtype=dtype)
    if norm == "bn":
        # PyTorch BatchNorm2d(momentum=0.1, eps=1e-5) == Keras momentum 0.9.
        return keras.layers.BatchNormalization(
            momentum=0.9, epsilon=1e-5, gamma_initializer=norm_scale_initializer(init_type),
            name=name, dtype=dtype)
    if norm in ("none", "sn"):
        return None
    raise ValueError(f"norm={norm!r} is not one of {', '.join(NORMS)}")


def apply_norm(norm: str, norm_layer, x, adain_params=None, training=None, owner="layer"):
    """Run `norm_layer` (from `make_norm(norm, ...)`) on x: AdaIN takes its parameters, batch
    norm the training flag, 'none'/'sn' (no layer) pass x through."""
    if norm == "adain":
        if adain_params is None:
            raise ValueError(f"{owner}: norm='adain' needs adain_params")
        return norm_layer(x, adain_params)
    if norm == "bn":
        return norm_layer(x, training=training)
    return x if norm_layer is None else norm_layer(x)


@keras.saving.register_keras_serializable(package="unit_tf")
class ConvBlock(keras.layers.Layer):
    """Pad by `padding` (reflect or zero), a 'valid' convolution, a norm and an activation.

    With norm='adain', `call(x, adain_params=[B, 2*filters])`. norm='sn' wraps the convolution in
    `keras.layers.SpectralNormalization`. With `winograd` (the default), a training call (or an
    inference call traced inside `winograd_inference()`, as exports are) whose convolution
    `winograd_supported` accepts (3x3, stride 1, float32, wide) runs it by Winograd on the same
    kernel variable, with the transforms `winograd_transforms` chooses
    (unit_tf.layers.winograd). An inference call whose convolution is large and has
    at most ROWS_MAX_FILTERS outputs (the 7x7 image heads) runs it as a k x 1 then a 1 x k
    convolution (unit_tf.layers.rows_conv). Shape: [B, H, W, Cin] ->
    [B, (H + 2p - k) // s + 1, (W + 2p - k) // s + 1, filters].
    """

    def __init__(self, filters, kernel_size, strides=1, padding=0, norm="none",
                 activation="relu", pad_type="zero", negative_slope=0.2, init_type="kaiming",
                 use_bias=True, seed=None, winograd=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.strides = int(strides)
        self.padding = int(padding)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        self.use_bias = bool(use_bias)
        self.seed = seed
        self.winograd = bool(winograd)
        self.pad = Pad2D(self.padding, pad_type, name="pad", dtype=self.dtype_policy)
        conv = keras.layers.Conv2D(
            self.filters, self.kernel_size, strides=self.strides, padding="valid",
            use_bias=self.use_bias, kernel_initializer=get_initializer(init_type, seed),
            bias_initializer="zeros", name="conv", dtype=self.dtype_policy)
        if norm == "sn":
            conv = keras.layers.SpectralNormalization(conv, name="sn", dtype=self.dtype_policy)
        self.conv = conv
        self.norm_layer = make_norm(norm, "norm", self.dtype_policy, init_type)
        self.act = make_activation(activation, self.negative_slope, "act", self.dtype_policy)

    def call(self, x, adain_params=None, training=None):
        padded_shape = self.pad.compute_output_shape(x.shape)
        if winograd_wanted(training) and self._by_winograd(padded_shape):
            # the padding happens inside the input transform
            y = winograd_conv3x3(x, self.conv.kernel, self.pad.padding, self.pad.pad_type,
                                 transforms=winograd_transforms(training, padded_shape),
                                 training=training)
            if self.use_bias and (training or self.norm not in BIAS_CANCELLING_NORMS):
                y = y + self.conv.bias  # [B, H + 2p - 2, W + 2p - 2, filters]
        elif not training and self._by_rows():
            y = conv_by_rows(x, tf.cast(self.conv.kernel, x.dtype), self.padding, self.pad_type)
            y = y + tf.cast(self.conv.bias, y.dtype) if self.use_bias else y
        else:
            y = self.conv(self.pad(x))  # from [B, H + 2p, W + 2p, Cin]
        return self.normalize_activate(y, adain_params, training)

    def _by_winograd(self, padded_shape):
        return (self.winograd and self.norm != "sn" and self.conv.built
                and winograd_supported(self.kernel_size, self.strides, padded_shape,
                                       self.filters, self.compute_dtype))

    def _by_rows(self):
        return (self.norm != "sn" and self.conv.built
                and by_rows_supported(self.kernel_size, self.strides, self.filters))

    def normalize_activate(self, x, adain_params=None, training=None):
        """The block after its convolution: the norm, then the activation."""
        x = apply_norm(self.norm, self.norm_layer, x, adain_params, training, self.name)
        if self.act is not None:
            x = self.act(x)
        return x

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "norm": self.norm, "activation": self.activation,
                "pad_type": self.pad_type, "negative_slope": self.negative_slope,
                "init_type": self.init_type, "use_bias": self.use_bias, "seed": self.seed,
                "winograd": self.winograd}
