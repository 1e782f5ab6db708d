"""Discriminators of the official UNIT/MUNIT code: one scale (`_make_net`) and `MsImageDis`."""

import keras

from unit_tf.layers import AvgPoolExcludePad, ConvBlock, get_initializer


@keras.saving.register_keras_serializable(package="unit_tf")
class ConvDiscriminator(keras.layers.Layer):
    """One scale of `MsImageDis`: Conv4x4 s2 (dim, no norm) -> (n_layer - 1) x Conv4x4 s2
    (doubling, `norm`) -> 1x1 conv to one logit per patch (float32).

    Shape: [B, H, W, C] -> [B, H / 2^n_layer, W / 2^n_layer, 1] (for sides divisible by 2^n).
    """

    def __init__(self, n_layer=4, dim=64, norm="none", activation="lrelu", pad_type="reflect",
                 negative_slope=0.2, init_type="gaussian", **kwargs):
        super().__init__(**kwargs)
        self.n_layer = int(n_layer)
        self.dim = int(dim)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        common = dict(activation=activation, pad_type=pad_type, negative_slope=negative_slope,
                      init_type=init_type, dtype=self.dtype_policy)
        self.blocks = [ConvBlock(self.dim, 4, 2, 1, norm="none", name="conv0", **common)]
        channels = self.dim
        for i in range(1, self.n_layer):
            self.blocks.append(ConvBlock(channels * 2, 4, 2, 1, norm=norm, name=f"conv{i}",
                                         **common))
            channels *= 2
        self.to_logits = keras.layers.Conv2D(
            1, 1, kernel_initializer=get_initializer(init_type), name="logits", dtype="float32")

    def call(self, x, training=None):
        for block in self.blocks:
            x = block(x, training=training)
        return self.to_logits(x)

    def get_config(self):
        return {**super().get_config(), "n_layer": self.n_layer, "dim": self.dim,
                "norm": self.norm, "activation": self.activation, "pad_type": self.pad_type,
                "negative_slope": self.negative_slope, "init_type": self.init_type}


@keras.saving.register_keras_serializable(package="unit_tf")
class MultiScaleDiscriminator(keras.layers.Layer):
    """`MsImageDis`: `num_scales` ConvDiscriminators, the input average-pooled between scales
    with `AvgPool2d(3, 2, 1, count_include_pad=False)` semantics.

    Returns a list of `num_scales` float32 patch-logit maps, finest first. num_scales=1 is the
    single-scale discriminator.
    """

    def __init__(self, num_scales=3, n_layer=4, dim=64, norm="none", activation="lrelu",
                 pad_type="reflect", negative_slope=0.2, init_type="gaussian", **kwargs):
        super().__init__(**kwargs)
        self.num_scales = int(num_scales)
        self.n_layer = int(n_layer)
        self.dim = int(dim)
        self.norm = norm
        self.activation = activation
        self.pad_type = pad_type
        self.negative_slope = float(negative_slope)
        self.init_type = init_type
        self.scales = [
            ConvDiscriminator(n_layer, dim, norm, activation, pad_type, negative_slope,
                              init_type, name=f"scale{i}", dtype=self.dtype_policy)
            for i in range(self.num_scales)]
        self.downsample = AvgPoolExcludePad(name="downsample", dtype=self.dtype_policy)

    def call(self, x, training=None):
        outputs = []
        for i, scale in enumerate(self.scales):
            outputs.append(scale(x, training=training))
            if i + 1 < self.num_scales:
                x = self.downsample(x)  # [B, ceil(H/2), ceil(W/2), C]
        return outputs

    def get_config(self):
        return {**super().get_config(), "num_scales": self.num_scales, "n_layer": self.n_layer,
                "dim": self.dim, "norm": self.norm, "activation": self.activation,
                "pad_type": self.pad_type, "negative_slope": self.negative_slope,
                "init_type": self.init_type}
