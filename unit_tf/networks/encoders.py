"""Encoders of the official UNIT/MUNIT `networks.py`: `ContentEncoder` (and MUNIT's style one)."""

import keras

from unit_tf.layers import ConvBlock, ResBlock, get_initializer


@keras.saving.register_keras_serializable(package="unit_tf")
class ContentEncoder(keras.layers.Layer):
    """Conv7x7 s1 -> n_downsample x Conv4x4 s2 (doubling channels) -> n_res ResBlocks.

    Every conv is pad/conv/norm/activation. `shared_blocks` are ResBlock instances owned by the
    caller and run after this encoder's own `n_res - len(shared_blocks)` blocks: UNIT passes the
    SAME instances to both domains' encoders, which is how the latent space is shared.
    Shape: [B, H, W, input_dim] -> [B, H / 2^n, W / 2^n, dim * 2^n].
    """

    def __init__(self, n_downsample=2, n_res=4, input_dim=3, dim=64, norm="in",
                 activation="relu", pad_type="reflect", res_dropout=0.0, init_type="kaiming",
                 shared_blocks=None, **kwargs):
        super().__init__(**kwargs)
        self.n_downsample = int(n_downsample)
        self.n_res = int(n_res)
        self.input_dim = int(input_dim)
        self.dim = int(dim)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.res_dropout = float(res_dropout)
        self.init_type = init_type
        shared_blocks = list(shared_blocks or [])
        if len(shared_blocks) > self.n_res:
            raise ValueError(f"{len(shared_blocks)} shared blocks exceed n_res={self.n_res}")
        common = dict(norm=norm, activation=activation, pad_type=pad_type, init_type=init_type,
                      dtype=self.dtype_policy)
        self.front = [ConvBlock(self.dim, 7, 1, 3, name="conv_in", **common)]
        channels = self.dim
        for i in range(self.n_downsample):
            self.front.append(ConvBlock(channels * 2, 4, 2, 1, name=f"down{i}", **common))
            channels *= 2
        self.output_dim = channels
        n_private = self.n_res - len(shared_blocks)
        self.res_blocks = [
            ResBlock(channels, dropout=self.res_dropout, name=f"res{i}", **common)
            for i in range(n_private)]
        self.shared = shared_blocks

    def call(self, x, training=None):
        for block in self.front:
            x = block(x, training=training)
        # [B, H/2^n, W/2^n, output_dim]
        for block in self.res_blocks + self.shared:
            x = block(x, training=training)
        return x

    def get_config(self):
        return {**super().get_config(), "n_downsample": self.n_downsample, "n_res": self.n_res,
                "input_dim": self.input_dim, "dim": self.dim, "norm": self.norm,
                "activation": self.activation, "pad_type": self.pad_type,
                "res_dropout": self.res_dropout, "init_type": self.init_type}


@keras.saving.register_keras_serializable(package="unit_tf")
class StyleEncoder(keras.layers.Layer):
    """MUNIT style encoder: Conv7x7 -> 2 doubling Conv4x4 s2 -> (n_downsample - 2) Conv4x4 s2
    at constant width -> global average pool -> 1x1 conv to `style_dim`. No norm by default.

    Shape: [B, H, W, input_dim] -> [B, style_dim].
    """

    def __init__(self, n_downsample=4, input_dim=3, dim=64, style_dim=8, norm="none",
                 activation="relu", pad_type="reflect", init_type="kaiming", **kwargs):
        super().__init__(**kwargs)
        self.n_downsample = int(n_downsample)
        self.input_dim = int(input_dim)
        self.dim = int(dim)
        self.style_dim = int(style_dim)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.init_type = init_type
        common = dict(norm=norm, activation=activation, pad_type=pad_type, init_type=init_type,
                      dtype=self.dtype_policy)
        self.blocks = [ConvBlock(self.dim, 7, 1, 3, name="conv_in", **common)]
        channels = self.dim
        for i in range(self.n_downsample):
            out = channels * 2 if i < 2 else channels
            self.blocks.append(ConvBlock(out, 4, 2, 1, name=f"down{i}", **common))
            channels = out
        self.output_dim = channels
        self.pool = keras.layers.GlobalAveragePooling2D(name="pool", dtype=self.dtype_policy)
        self.to_style = keras.layers.Dense(
            self.style_dim, kernel_initializer=get_initializer(init_type), name="to_style",
            dtype="float32")

    def call(self, x, training=None):
        for block in self.blocks:
            x = block(x, training=training)
        # [B, H/2^n, W/2^n, C] -> [B, C] -> [B, style_dim]
        return self.to_style(self.pool(x))

    def get_config(self):
        return {**super().get_config(), "n_downsample": self.n_downsample,
                "input_dim": self.input_dim, "dim": self.dim, "style_dim": self.style_dim,
                "norm": self.norm, "activation": self.activation, "pad_type": self.pad_type,
                "init_type": self.init_type}
