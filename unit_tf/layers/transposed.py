"""Transposed convolution with PyTorch's `ConvTranspose2d(padding, output_padding)` alignment."""

import keras

from unit_tf.layers.activation import make_activation
from unit_tf.layers.conv_block import apply_norm, make_norm
from unit_tf.layers.initializers import get_initializer


@keras.saving.register_keras_serializable(package="unit_tf")
class TransposedConvBlock(keras.layers.Layer):
    """ConvTranspose (as PyTorch's, padding p and output_padding op), a norm and an activation.

    Keras' own padding='same' crops the other side than PyTorch does, so the transposed
    convolution runs 'valid' ([B, (H-1)s + k, ...]) and rows/columns [p, p + out) are kept, with
    out = (H-1)s - 2p + k + op: exactly PyTorch's output and alignment. junyanz's up-sampling
    (k3, s2, p1, op1) doubles H and W. Shape: [B, H, W, Cin] -> [B, out_h, out_w, filters].
    """

    def __init__(self, filters, kernel_size=3, strides=2, padding=1, output_padding=1,
                 norm="none", activation="relu", init_type="gaussian", use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.strides = int(strides)
        self.padding = int(padding)
        self.output_padding = int(output_padding)
        self.norm = norm
        self.activation = activation
        self.init_type = init_type
        self.use_bias = bool(use_bias)
        if not 0 <= self.output_padding < max(self.strides, 1):
            raise ValueError(f"output_padding={output_padding} must be smaller than the stride")
        self.conv = keras.layers.Conv2DTranspose(
            self.filters, self.kernel_size, strides=self.strides, padding="valid",
            use_bias=self.use_bias, kernel_initializer=get_initializer(init_type),
            name="conv", dtype=self.dtype_policy)
        self.norm_layer = make_norm(norm, "norm", self.dtype_policy, init_type)
        self.act = make_activation(activation, 0.2, "act", self.dtype_policy)

    def output_size(self, size):
        return (size - 1) * self.strides - 2 * self.padding + self.kernel_size + \
            self.output_padding

    def call(self, x, training=None):
        shape = keras.ops.shape(x)
        out_h, out_w = self.output_size(shape[1]), self.output_size(shape[2])
        x = self.conv(x)  # [B, (H-1)s + k, (W-1)s + k, filters]
        p = self.padding
        x = x[:, p:p + out_h, p:p + out_w, :]  # [B, out_h, out_w, filters]
        x = apply_norm(self.norm, self.norm_layer, x, training=training, owner=self.name)
        return self.act(x) if self.act is not None else x

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "output_padding": self.output_padding,
                "norm": self.norm, "activation": self.activation,
                "init_type": self.init_type, "use_bias": self.use_bias}
