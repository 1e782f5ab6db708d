"""The block of UNIT's digit networks: convolution, parameter-free batch norm, a separate
per-channel bias, LeakyReLU(0.01)."""

import keras

from unit_tf.layers.padding import Pad2D
from unit_tf.layers.transposed import TransposedConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class BNBiasBlock(keras.layers.Layer):
    """conv (with bias, kernel N(0, 0.02)) -> BatchNorm without scale or offset -> + bias
    (N(0, 0.002)) -> LeakyReLU(0.01) (PyTorch's default slope), as version_02's
    `GaussianVAE`/`CoVAE32x32` blocks.

    `transposed` makes the convolution a PyTorch-aligned ConvTranspose2d(padding); otherwise the
    input is zero-padded by `padding` and convolved 'valid' (PyTorch Conv2d(padding)).
    Shape: [B, H, W, C] -> [B, H', W', filters].
    """

    def __init__(self, filters, kernel_size, strides=1, padding=0, transposed=False,
                 activation=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.strides = int(strides)
        self.padding = int(padding)
        self.transposed = bool(transposed)
        self.activation = bool(activation)
        kernel = keras.initializers.RandomNormal(0.0, 0.02)
        if self.transposed:
            self.conv = TransposedConvBlock(self.filters, self.kernel_size, self.strides,
                                            self.padding, 0, norm="none", activation="none",
                                            name="conv", dtype=self.dtype_policy)
            self.pad = None
        else:
            self.pad = Pad2D(self.padding, "zero", name="pad", dtype=self.dtype_policy) \
                if self.padding else None
            self.conv = keras.layers.Conv2D(self.filters, self.kernel_size, self.strides,
                                            padding="valid", kernel_initializer=kernel,
                                            name="conv", dtype=self.dtype_policy)
        self.norm = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, center=False,
                                                    scale=False, name="bn",
                                                    dtype=self.dtype_policy)

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(self.filters,), name="bias",
                                    initializer=keras.initializers.RandomNormal(0.0, 0.002))

    def call(self, x, training=None):
        if self.pad is not None:
            x = self.pad(x)
        x = self.norm(self.conv(x), training=training) + keras.ops.cast(self.bias, x.dtype)
        return keras.ops.leaky_relu(x, 0.01) if self.activation else x

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "transposed": self.transposed,
                "activation": self.activation}
