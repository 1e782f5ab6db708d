"""The pix2pix U-Net generator (junyanz `UnetGenerator`: `unet_256` = 8 levels, `unet_128` = 7)."""

import keras

from unit_tf.layers.dropout import SeededDropout
from unit_tf.layers import ConvBlock, TransposedConvBlock, make_activation


@keras.saving.register_keras_serializable(package="unit_tf")
class UnetGenerator(keras.layers.Layer):
    """`num_downs` levels of 4x4 stride-2 convolutions with skip connections.

    Level widths (outer -> inner): ngf, 2ngf, 4ngf, 8ngf, then 8ngf. Going down, each level but
    the outermost is LeakyReLU(0.2) -> conv -> norm (no norm in the innermost); going up, ReLU ->
    ConvTranspose(4, 2, 1) -> norm (-> dropout 0.5 in the num_downs - 5 levels just above the
    innermost, with `use_dropout`), and each level's output is concatenated with its input. The
    outermost up-step ends in tanh (float32). Convolutions carry a bias only with instance norm.

    Shape: [B, H, W, input_dim] -> [B, H, W, output_dim]; H and W multiples of 2^num_downs.
    """

    def __init__(self, output_dim=3, num_downs=8, ngf=64, norm="bn", use_dropout=False,
                 init_type="normal", **kwargs):
        super().__init__(**kwargs)
        self.output_dim = int(output_dim)
        self.num_downs = int(num_downs)
        self.ngf = int(ngf)
        self.norm = norm
        self.use_dropout = bool(use_dropout)
        self.init_type = init_type
        if self.num_downs < 5:
            raise ValueError(f"num_downs={num_downs} must be at least 5 (ngf..8ngf levels)")
        bias = norm in ("in", "in_affine")  # junyanz: use_bias = norm is InstanceNorm2d
        inner = [self.ngf * m for m in (1, 2, 4, 8)] + [self.ngf * 8] * (self.num_downs - 4)
        outer = [self.output_dim] + inner[:-1]
        last = self.num_downs - 1
        dt = self.dtype_policy
        self.down, self.up, self.dropout = [], [], []
        for k in range(self.num_downs):
            down_norm = norm if 0 < k < last else "none"
            self.down.append(ConvBlock(inner[k], 4, 2, 1, norm=down_norm, activation="none",
                                       pad_type="zero", init_type=init_type,
                                       use_bias=bias,
                                       name=f"down{k}", dtype=dt))
            self.up.append(TransposedConvBlock(
                outer[k], 4, 2, 1, 0, norm="none" if k == 0 else norm,
                activation="tanh" if k == 0 else "none", init_type=init_type,
                use_bias=True if k == 0 else bias, name=f"up{k}",
                dtype="float32" if k == 0 else dt))
            middle = self.use_dropout and last - (self.num_downs - 5) <= k < last
            self.dropout.append(SeededDropout(0.5, f"{self.name}_dropout{k}_seed",
                                              name=f"dropout{k}", dtype=dt)
                                if middle else None)
        self.down_act = make_activation("lrelu", 0.2, "down_act", dt)
        self.up_act = make_activation("relu", name="up_act", dtype=dt)

    def down_features(self, x, training=None):
        """[x, d_1, ..., d_L]: the input and each level's down-sampled features (before the
        next LeakyReLU); d_k is [B, H/2^k, W/2^k, inner_k], d_L the bottleneck."""
        inputs = [x]
        for k, down in enumerate(self.down):
            h = inputs[-1] if k == 0 else self.down_act(inputs[-1])
            inputs.append(down(h, training=training))
        return inputs

    def call(self, x, training=None):
        inputs = self.down_features(x, training)
        y = inputs[-1]  # the bottleneck, [B, H/2^L, W/2^L, 8ngf]
        for k in reversed(range(self.num_downs)):
            y = self.up[k](self.up_act(y), training=training)  # [B, H/2^k, W/2^k, outer_k]
            if self.dropout[k] is not None:
                y = self.dropout[k](y, training=training)
            if k > 0:
                y = keras.ops.concatenate([inputs[k], keras.ops.cast(y, inputs[k].dtype)], -1)
        return y  # [B, H, W, output_dim] float32

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim,
                "num_downs": self.num_downs, "ngf": self.ngf, "norm": self.norm,
                "use_dropout": self.use_dropout, "init_type": self.init_type}
