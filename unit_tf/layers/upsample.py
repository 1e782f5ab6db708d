"""Nearest-neighbour x2 up-sampling followed by a conv block (the UNIT/MUNIT decoder stage)."""

import keras

from unit_tf.layers.conv_block import ConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class UpsampleConvBlock(keras.layers.Layer):
    """`nn.Upsample(scale_factor=2)` (nearest) then ConvBlock(k x k, stride 1, pad k // 2).

    The official decoder uses k=5 with its LayerNorm and ReLU.
    Shape: [B, H, W, Cin] -> [B, 2H, 2W, filters].
    """

    def __init__(self, filters, kernel_size=5, norm="ln", activation="relu", pad_type="reflect",
                 negative_slope=0.2, init_type="kaiming", **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        self.upsample = keras.layers.UpSampling2D(
            2, interpolation="nearest", name="upsample", dtype=self.dtype_policy)
        self.block = ConvBlock(
            self.filters, self.kernel_size, 1, self.kernel_size // 2, norm=norm,
            activation=activation, pad_type=pad_type, negative_slope=negative_slope,
            init_type=init_type, name="block", dtype=self.dtype_policy)

    def call(self, x, training=None):
        return self.block(self.upsample(x), training=training)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "norm": self.norm,
                "activation": self.activation, "pad_type": self.pad_type,
                "negative_slope": self.negative_slope, "init_type": self.init_type}
