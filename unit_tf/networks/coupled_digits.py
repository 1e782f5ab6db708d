"""UNIT's digit domain-adaptation networks (version_02 `CoVAE32x32`, `CoDis32x32`): per-domain
first/last layers around ONE shared instance of everything else.

Shapes for 32x32 inputs, ch_g = generator width, ch_d = discriminator width, B per domain:
    CoupledVAE32    x_d + xy [B, 32, 32, C_d + 2] -> enc0_d [B, 16, 16, ch_g]
                    concat a, b -> shared enc1..3 [2B, 1, 1, 8 ch_g] -> mu, sd [2B, 1, 1, 8 ch_g]
                    z -> shared dec0..2 [2B, 16, 16, 2 ch_g] -> dec3_d, dec4_d [2B, 32, 32, C_d]
    CoupledDis32    x_d [B, 32, 32, C_d] -> d0_d [B, 16, 16, ch_d] -> shared d1..d3
                    [B, 2, 2, 8 ch_d] -> gan head [B, 2], class head [B, num_classes]
                    (classifier_front="a": every domain's class path starts at d0_a)
"""

import keras
import numpy as np
import tensorflow as tf

from unit_tf.layers.bn_bias_block import BNBiasBlock
from unit_tf.layers.dropout import SeededDropout

DOMAINS = ("a", "b")
DROPOUT = (0.1, 0.3, 0.5, 0.5)  # after d0, d1, d2, d3 on the path to the heads


def small_normal():
    """N(0, 0.002), the VAE's mu / sd convs (a new object per weight)."""
    return keras.initializers.RandomNormal(0.0, 0.002)


def xavier_uniform():
    """Xavier-uniform with gain sqrt(2), D's kernels (a new object per weight)."""
    return keras.initializers.VarianceScaling(2.0, "fan_avg", "uniform")


def xy_channels(batch, size=32):
    """The coordinate channels [batch, size, size, 2]: x then y, (i - size/2) / (size/2)."""
    grid = (np.arange(size, dtype=np.float32) - size / 2) / (size / 2)
    first, second = np.meshgrid(grid, grid, indexing="ij")  # (row index, column index)
    xy = tf.constant(np.stack([first, second], axis=-1))  # [size, size, 2]
    return tf.tile(xy[None], tf.stack([batch, 1, 1, 1]))


class CoupledVAE32(keras.layers.Layer):
    """The coupled Gaussian VAE with learned variance (see the module docstring)."""

    def __init__(self, ch_g, channels, **kwargs):
        super().__init__(**kwargs)
        self.ch_g = int(ch_g)
        self.channels = dict(channels)  # {domain: image channels}
        dtype = self.dtype_policy
        g = self.ch_g
        self.enc0 = {d: BNBiasBlock(g, 5, 2, 2, name=f"enc0_{d}", dtype=dtype) for d in DOMAINS}
        self.shared_encoder = [BNBiasBlock(2 * g, 5, 2, 2, name="shared_enc1", dtype=dtype),
                               BNBiasBlock(4 * g, 8, 1, 0, name="shared_enc2", dtype=dtype),
                               BNBiasBlock(8 * g, 1, 1, 0, name="shared_enc3", dtype=dtype)]
        # one initializer object per weight: an unseeded Keras initializer reused for weights
        # of one shape draws the same values for each
        self.mu = keras.layers.Conv2D(8 * g, 1, kernel_initializer=small_normal(),
                                      bias_initializer=small_normal(), name="shared_vae_mu",
                                      dtype=dtype)
        self.sd = keras.layers.Conv2D(8 * g, 1, kernel_initializer=small_normal(),
                                      bias_initializer=small_normal(), name="shared_vae_sd",
                                      dtype=dtype)
        self.shared_decoder = [
            BNBiasBlock(8 * g, 4, 2, 0, transposed=True, name="shared_dec0", dtype=dtype),
            BNBiasBlock(4 * g, 4, 2, 1, transposed=True, name="shared_dec1", dtype=dtype),
            BNBiasBlock(2 * g, 4, 2, 1, transposed=True, name="shared_dec2", dtype=dtype)]
        self.dec3 = {d: BNBiasBlock(g, 4, 2, 1, transposed=True, name=f"dec3_{d}", dtype=dtype)
                     for d in DOMAINS}
        self.dec4 = {d: keras.layers.Conv2DTranspose(
            self.channels[d], 1, kernel_initializer=keras.initializers.RandomNormal(0.0, 0.02),
            name=f"dec4_{d}", dtype=dtype) for d in DOMAINS}

    def encode(self, images, training=None):
        """{domain: [B_d, 32, 32, C_d]} -> (mu, sd) [sum B_d, 1, 1, 8 ch_g], a's codes first."""
        fronts = []
        for d in DOMAINS:
            if d in images:
                x = images[d]
                x = tf.concat([x, tf.cast(xy_channels(tf.shape(x)[0]), x.dtype)], axis=-1)
                fronts.append(self.enc0[d](x, training=training))  # [B, 16, 16, ch_g]
        h = tf.concat(fronts, axis=0)  # [2B, 16, 16, ch_g]: the shared layers see both domains
        for block in self.shared_encoder:
            h = block(h, training=training)  # [2B, 1, 1, 8 ch_g] after enc3
        return self.mu(h), tf.math.softplus(self.sd(h))

    def decode_shared(self, z, training=None):
        """z [N, 1, 1, 8 ch_g] -> the shared decoder's features [N, 16, 16, 2 ch_g]."""
        for block in self.shared_decoder:
            z = block(z, training=training)
        return z

    def decode_domain(self, h, domain, training=None):
        """Shared features [N, 16, 16, 2 ch_g] -> images of `domain` [N, 32, 32, C_domain],
        tanh, float32."""
        x = self.dec4[domain](self.dec3[domain](h, training=training))
        return tf.tanh(tf.cast(x, tf.float32))

    def decode(self, z, domain, training=None):
        """z [N, 1, 1, 8 ch_g] -> images of `domain` [N, 32, 32, C_domain]."""
        return self.decode_domain(self.decode_shared(z, training), domain, training)

    def call(self, images, training=None):
        return self.encode(images, training)

    def get_config(self):
        return {**super().get_config(), "ch_g": self.ch_g, "channels": self.channels}


class CoupledDis32(keras.layers.Layer):
    """The coupled discriminator with a real/fake head and a classifier head."""

    def __init__(self, ch_d, channels, num_classes=10, classifier_front=None, **kwargs):
        super().__init__(**kwargs)
        self.ch_d = int(ch_d)
        self.channels = dict(channels)
        self.num_classes = int(num_classes)
        # None: each domain is classified through its own first layer (version_02); a domain
        # name: every domain through that domain's first layer (its images must have as many
        # channels); the real/fake and feature paths keep their own first layers
        if classifier_front is not None:
            if classifier_front not in DOMAINS:
                raise ValueError(f"classifier_front must be one of {DOMAINS} or None, not "
                                 f"{classifier_front!r}")
            if len(set(self.channels.values())) != 1:
                raise ValueError(f"classifier_front={classifier_front!r} reads every domain "
                                 f"through d0_{classifier_front}, but the domains' channels "
                                 f"differ: {self.channels}")
        self.classifier_front = classifier_front
        dtype = self.dtype_policy
        c = self.ch_d
        bias = keras.initializers.Constant(0.1)

        def stage(filters, name):  # a fresh draw per layer: d0_a and d0_b may share a shape
            return keras.layers.Conv2D(filters, 5, padding="same", activation="relu",
                                       kernel_initializer=xavier_uniform(),
                                       bias_initializer=bias, name=name, dtype=dtype)

        self.d0 = {d: stage(c, f"d0_{d}") for d in DOMAINS}
        self.shared = [stage(2 * c, "shared_d1"), stage(4 * c, "shared_d2"),
                       stage(8 * c, "shared_d3")]
        self.pool = keras.layers.MaxPooling2D(2, name="pool", dtype=dtype)
        self.dropouts = [SeededDropout(r, f"{self.name}_dropout{i}_seed", name=f"dropout{i}",
                                       dtype=dtype)
                         for i, r in enumerate(DROPOUT)]
        self.gan_head = keras.layers.Conv2D(2, 2, kernel_initializer=xavier_uniform(),
                                            bias_initializer=bias, name="shared_gan_head",
                                            dtype=dtype)
        self.class_head = keras.layers.Conv2D(self.num_classes, 2,
                                              kernel_initializer=xavier_uniform(),
                                              bias_initializer=bias, name="shared_class_head",
                                              dtype=dtype)

    def trunk(self, x, domain, training=None, dropout=True):
        """[B, 32, 32, C_d] -> [B, 2, 2, 8 ch_d]; with `dropout` the heads' path."""
        h = self.pool(self.d0[domain](x))  # [B, 16, 16, ch_d]
        if dropout:
            h = self.dropouts[0](h, training=training)
        for i, layer in enumerate(self.shared):
            h = self.pool(layer(h))  # [B, 2, 2, 8 ch_d] after d3
            if dropout:
                h = self.dropouts[i + 1](h, training=training)
        return h

    def real_fake(self, x, domain, training=None):
        """Real/fake logits [B, 2] (class 1 = real), float32."""
        return tf.cast(tf.reshape(self.gan_head(self.trunk(x, domain, training)), [-1, 2]),
                       tf.float32)

    def classify(self, x, domain, training=None):
        """Class logits [B, num_classes], float32, through `classifier_front`'s first layer
        when it is set, else through the domain's own."""
        logits = self.class_head(self.trunk(x, self.classifier_front or domain, training))
        return tf.cast(tf.reshape(logits, [-1, self.num_classes]), tf.float32)

    def features(self, x, domain, training=None):
        """The dropout-free d3 features [B, 2, 2, 8 ch_d] used for feature matching."""
        return tf.cast(self.trunk(x, domain, training, dropout=False), tf.float32)

    def call(self, x, training=None):
        return self.real_fake(x, "a", training)

    def get_config(self):
        return {**super().get_config(), "ch_d": self.ch_d, "channels": self.channels,
                "num_classes": self.num_classes, "classifier_front": self.classifier_front}
