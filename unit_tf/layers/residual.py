"""The official `ResBlock`: two 3x3 conv blocks and an identity skip."""

import keras

from unit_tf.layers.conv_block import ConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class ResBlock(keras.layers.Layer):
    """x + [ConvBlock(3x3, norm, act) -> (dropout) -> ConvBlock(3x3, norm, no act)](x).

    With norm='adain', `call(x, adain_params=[B, 4*dim])`: the first 2*dim values drive the first
    conv's AdaIN and the next 2*dim the second's, the official decoder order. `dropout` > 0 adds
    the version_02 `res_dropout` after the second block. Shape: [B, H, W, dim] -> same.
    """

    def __init__(self, dim, norm="in", activation="relu", pad_type="zero", dropout=0.0,
                 negative_slope=0.2, init_type="kaiming", use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.dim = int(dim)
        self.use_bias = bool(use_bias)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.dropout = float(dropout)
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        common = dict(kernel_size=3, strides=1, padding=1, norm=norm, pad_type=pad_type,
                      negative_slope=negative_slope, init_type=init_type,
                      use_bias=self.use_bias, dtype=self.dtype_policy)
        self.block1 = ConvBlock(self.dim, activation=activation, name="block1", **common)
        self.block2 = ConvBlock(self.dim, activation="none", name="block2", **common)
        self.drop = (keras.layers.Dropout(self.dropout, name="dropout", dtype=self.dtype_policy)
                     if self.dropout > 0 else None)

    @property
    def num_adain_params(self) -> int:
        return 4 * self.dim if self.norm == "adain" else 0

    def call(self, x, adain_params=None, training=None):
        first = second = None
        if self.norm == "adain":
            first = adain_params[:, :2 * self.dim]
            second = adain_params[:, 2 * self.dim:4 * self.dim]
        y = self.block1(x, adain_params=first, training=training)
        y = self.block2(y, adain_params=second, training=training)
        if self.drop is not None:
            y = self.drop(y, training=training)
        return x + y

    def get_config(self):
        return {**super().get_config(), "dim": self.dim, "norm": self.norm,
                "activation": self.activation, "pad_type": self.pad_type,
                "dropout": self.dropout, "negative_slope": self.negative_slope,
                "init_type": self.init_type, "use_bias": self.use_bias}
