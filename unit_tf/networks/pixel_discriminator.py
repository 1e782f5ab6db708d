"""The 1x1 PixelGAN discriminator of pix2pix/CycleGAN (junyanz `PixelDiscriminator`, 'pixel')."""

import keras

from unit_tf.layers import ConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class PixelDiscriminator(keras.layers.Layer):
    """1x1 conv ndf -> LeakyReLU 0.2 -> 1x1 conv 2ndf -> norm -> LeakyReLU 0.2 -> 1x1 conv 1: a
    real/fake logit per pixel. Convolutions carry a bias only with instance norm (junyanz).

    Shape: [B, H, W, C] -> [B, H, W, 1] float32 logits.
    """

    def __init__(self, ndf=64, norm="in", init_type="normal", **kwargs):
        super().__init__(**kwargs)
        self.ndf = int(ndf)
        self.norm = norm
        self.init_type = init_type
        bias = norm in ("in", "in_affine")
        common = dict(kernel_size=1, strides=1, padding=0, pad_type="zero", use_bias=bias,
                      init_type=init_type)
        self.blocks = [
            ConvBlock(self.ndf, norm="none", activation="lrelu", negative_slope=0.2, name="conv0",
                      dtype=self.dtype_policy, **common),
            ConvBlock(2 * self.ndf, norm=norm, activation="lrelu", negative_slope=0.2,
                      name="conv1", dtype=self.dtype_policy, **common),
            ConvBlock(1, norm="none", activation="none", name="to_logits", dtype="float32",
                      **common)]

    def call(self, x, training=None):
        for block in self.blocks:
            x = block(x, training=training)
        return x  # [B, H, W, 1]

    def get_config(self):
        return {**super().get_config(), "ndf": self.ndf, "norm": self.norm,
                "init_type": self.init_type}
