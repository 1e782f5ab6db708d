"""The PatchGAN discriminator of pix2pix/CycleGAN (junyanz `NLayerDiscriminator`, 'basic')."""

import keras

from unit_tf.layers import ConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class PatchDiscriminator(keras.layers.Layer):
    """C(ndf, no norm) -> (n_layers - 1) x C(ndf * min(2^n, 8), s2) -> C(ndf * min(2^n_layers,
    8), s1) -> conv to 1 logit per patch; 4x4 kernels, zero padding 1, LeakyReLU 0.2. n_layers 3
    is the 70x70 PatchGAN (a 30x30 map for 256 inputs). For pix2pix the input is the condition
    and the image concatenated (input_dim 6).

    Shape: [B, H, W, C] -> [B, H/2^n_layers - 2, ..., 1] float32 logits.
    """

    def __init__(self, ndf=64, n_layers=3, norm="in", init_type="normal", **kwargs):
        super().__init__(**kwargs)
        self.ndf = int(ndf)
        self.n_layers = int(n_layers)
        self.norm = norm
        self.init_type = init_type
        bias = norm in ("in", "in_affine")  # junyanz: use_bias = norm is InstanceNorm2d
        common = dict(kernel_size=4, padding=1, activation="lrelu", negative_slope=0.2,
                      pad_type="zero", init_type=init_type, dtype=self.dtype_policy)
        self.blocks = [ConvBlock(self.ndf, strides=2, norm="none", name="conv0", **common)]
        for n in range(1, self.n_layers + 1):
            self.blocks.append(ConvBlock(
                self.ndf * min(2 ** n, 8), strides=2 if n < self.n_layers else 1, norm=norm,
                use_bias=bias, name=f"conv{n}", **common))
        self.to_logits = ConvBlock(1, 4, 1, 1, norm="none", activation="none", pad_type="zero",
                                   init_type=init_type, name="to_logits", dtype="float32")

    def call(self, x, training=None):
        for block in self.blocks:
            x = block(x, training=training)
        return self.to_logits(x)  # [B, h, w, 1]

    def get_config(self):
        return {**super().get_config(), "ndf": self.ndf, "n_layers": self.n_layers,
                "norm": self.norm, "init_type": self.init_type}
