"""The official UNIT/MUNIT `Decoder`."""

import keras

from unit_tf.layers import ConvBlock, ResBlock, UpsampleConvBlock


@keras.saving.register_keras_serializable(package="unit_tf")
class Decoder(keras.layers.Layer):
    """n_res ResBlocks -> n_upsample x [nearest x2, Conv5x5, LayerNorm, act] -> Conv7x7 -> tanh.

    `shared_blocks` (ResBlock instances owned by the caller, used by both domains in UNIT's paper
    preset) run first, then this decoder's own blocks. With res_norm='adain' (MUNIT),
    `call(x, adain_params=[B, num_adain_params])` and the parameters are consumed block by block
    in decoder order. The last conv and tanh run in float32 under mixed precision.
    Shape: [B, h, w, dim] -> [B, h * 2^n, w * 2^n, output_dim] in [-1, 1].
    """

    def __init__(self, n_upsample=2, n_res=4, dim=256, output_dim=3, res_norm="in",
                 up_norm="ln", activation="relu", pad_type="reflect", res_dropout=0.0,
                 init_type="kaiming", shared_blocks=None, **kwargs):
        super().__init__(**kwargs)
        self.n_upsample = int(n_upsample)
        self.n_res = int(n_res)
        self.dim = int(dim)
        self.output_dim = int(output_dim)
        self.res_norm = res_norm
        self.up_norm = up_norm
        self.activation = activation
        self.pad_type = pad_type
        self.res_dropout = float(res_dropout)
        self.init_type = init_type
        shared_blocks = list(shared_blocks or [])
        if len(shared_blocks) > self.n_res:
            raise ValueError(f"{len(shared_blocks)} shared blocks exceed n_res={self.n_res}")
        self.shared = shared_blocks
        self.res_blocks = [
            ResBlock(self.dim, norm=res_norm, activation=activation, pad_type=pad_type,
                     dropout=self.res_dropout, init_type=init_type, name=f"res{i}",
                     dtype=self.dtype_policy)
            for i in range(self.n_res - len(shared_blocks))]
        channels = self.dim
        self.up_blocks = []
        for i in range(self.n_upsample):
            self.up_blocks.append(UpsampleConvBlock(
                channels // 2, 5, norm=up_norm, activation=activation, pad_type=pad_type,
                init_type=init_type, name=f"up{i}", dtype=self.dtype_policy))
            channels //= 2
        self.conv_out = ConvBlock(
            self.output_dim, 7, 1, 3, norm="none", activation="tanh", pad_type=pad_type,
            init_type=init_type, name="conv_out", dtype="float32")

    @property
    def num_adain_params(self) -> int:
        return sum(block.num_adain_params for block in self.shared + self.res_blocks)

    def call(self, x, adain_params=None, training=None):
        offset = 0
        for block in self.shared + self.res_blocks:
            n = block.num_adain_params
            params = adain_params[:, offset:offset + n] if n else None
            x = block(x, adain_params=params, training=training)
            offset += n
        # [B, h, w, dim]
        for block in self.up_blocks:
            x = block(x, training=training)
        # [B, h * 2^n, w * 2^n, dim / 2^n]
        return self.conv_out(x)

    def get_config(self):
        return {**super().get_config(), "n_upsample": self.n_upsample, "n_res": self.n_res,
                "dim": self.dim, "output_dim": self.output_dim, "res_norm": self.res_norm,
                "up_norm": self.up_norm, "activation": self.activation,
                "pad_type": self.pad_type, "res_dropout": self.res_dropout,
                "init_type": self.init_type}
