"""The CycleGAN ResNet generator (junyanz `ResnetGenerator`, `resnet_6blocks` / `resnet_9blocks`)."""

import keras

from unit_tf.layers import ConvBlock, ResBlock, TransposedConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class ResnetGenerator(keras.layers.Layer):
    """c7s1-ngf (reflect) -> 2 x [3x3 s2 conv, zero pad, doubling] -> n_blocks res-blocks
    (reflect pad, norm, optional dropout 0.5) -> 2 x [ConvTranspose 3x3 s2, halving] ->
    c7s1-output_dim (reflect) -> tanh (float32).

    Convolutions carry a bias only with instance norm (junyanz `use_bias = norm is
    InstanceNorm2d`). Shape: [B, H, W, input_dim] -> [B, H, W, output_dim], H and W multiples of 4.
    """

    def __init__(self, output_dim=3, ngf=64, n_blocks=9, norm="in", use_dropout=False,
                 n_downsampling=2, init_type="normal", **kwargs):
        super().__init__(**kwargs)
        self.output_dim = int(output_dim)
        self.ngf = int(ngf)
        self.n_blocks = int(n_blocks)
        self.norm = norm
        self.use_dropout = bool(use_dropout)
        self.n_downsampling = int(n_downsampling)
        self.init_type = init_type
        bias = norm in ("in", "in_affine")  # junyanz: use_bias = norm is InstanceNorm2d
        common = dict(norm=norm, init_type=init_type, use_bias=bias, dtype=self.dtype_policy)
        self.conv_in = ConvBlock(self.ngf, 7, 1, 3, pad_type="reflect", name="conv_in", **common)
        self.down = [ConvBlock(self.ngf * 2 ** (i + 1), 3, 2, 1, pad_type="zero", name=f"down{i}",
                               **common) for i in range(self.n_downsampling)]
        width = self.ngf * 2 ** self.n_downsampling
        self.blocks = [ResBlock(width, norm=norm, activation="relu", pad_type="reflect",
                                dropout=0.5 if self.use_dropout else 0.0, init_type=init_type,
                                use_bias=bias, name=f"res{i}", dtype=self.dtype_policy)
                       for i in range(self.n_blocks)]
        self.up = [TransposedConvBlock(width // 2 ** (i + 1), 3, 2, 1, 1, norm=norm,
                                       activation="relu", init_type=init_type, use_bias=bias,
                                       name=f"up{i}", dtype=self.dtype_policy)
                   for i in range(self.n_downsampling)]
        self.conv_out = ConvBlock(self.output_dim, 7, 1, 3, norm="none", activation="tanh",
                                  pad_type="reflect", init_type=init_type, name="conv_out",
                                  dtype="float32")

    def call(self, x, training=None):
        x = self.conv_in(x, training=training)  # [B, H, W, ngf]
        for block in self.down:
            x = block(x, training=training)  # [B, H/4, W/4, 4 ngf] after both
        for block in self.blocks:
            x = block(x, training=training)
        for block in self.up:
            x = block(x, training=training)  # [B, H, W, ngf] after both
        return self.conv_out(x)  # [B, H, W, output_dim] float32

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim, "ngf": self.ngf,
                "n_blocks": self.n_blocks, "norm": self.norm, "use_dropout": self.use_dropout,
                "n_downsampling": self.n_downsampling, "init_type": self.init_type}
