"""UNIT's unsupervised domain adaptation on digits (Liu, Breuel, Kautz, NIPS 2017, section 4 and
the version_02 "DA context" trainer).

Paper-to-code notation:
    E_1, E_2 (first layers)     vae.enc0["a"], vae.enc0["b"]; the rest of E: ONE shared instance
    q(z | x) = N(mu, sd^2)      mu, sd = vae.encode({"a": x_a, "b": x_b}) (sd learned, softplus)
    G_1, G_2 (last layers)      vae.dec3/dec4["a"], ["b"]; the first decoder layers: shared
    D_1, D_2                    dis.d0["a"], ["b"] then the shared d1..d3 and heads
    x^{1->1}, x^{1->2}          x_aa, x_ab (decoded from a's codes by G_1 / G_2)
    the classifier              dis.classify(x, domain): the class head on D's shared features;
                                trained on labelled source (a) images, read on the target (b)
                                through d0_b, or through d0_a with classifier_front="source"
Images cross the model's boundary as RGB [B, 32, 32, 3] in [-1, 1] like every family's; a grey
domain (channels 1) is read as the channel mean and written back as three equal channels.
"""

import keras
import tensorflow as tf

from unit_tf.config import UNITDAConfig
from unit_tf.models.base import ConfiguredModel, TwoPlayerVariables
from unit_tf.models.contract import DOMAINS, TranslationModel, parse_direction
from unit_tf.networks.coupled_digits import CoupledDis32, CoupledVAE32


@keras.saving.register_keras_serializable(package="unit_tf")
class UNITDA(TwoPlayerVariables, ConfiguredModel, TranslationModel, keras.Model):
    """The coupled VAE-GAN with a classifier head (see the module docstring)."""

    family = "unit_da"
    config_class = UNITDAConfig
    input_size = 32
    classifier_domains = ("b",)  # the adapted classifier of the target domain

    def __init__(self, config: UNITDAConfig = None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.config = config = self.resolve_config(config)
        self.seed = seed
        channels = {d: config.channels(d) for d in DOMAINS}
        self.vae = CoupledVAE32(config.ch_g, channels, name="vae", dtype=self.dtype_policy)
        front = "a" if config.classifier_front == "source" else None  # a is the source
        self.dis = CoupledDis32(config.ch_d, channels, config.num_classes,
                                classifier_front=front, name="dis", dtype=self.dtype_policy)
        self.discriminators = {"coupled": self.dis}
        self.noise_seed = keras.random.SeedGenerator(seed, name="vae_noise_seed")

    # -- the RGB boundary ------------------------------------------------------------------------
    def to_domain(self, images, domain):
        """RGB [B, H, W, 3] -> the domain's channels (grey: the channel mean)."""
        images = tf.cast(images, self.compute_dtype)
        if self.config.channels(domain) == 1:
            return tf.reduce_mean(images, axis=-1, keepdims=True)
        return images

    def to_rgb(self, images):
        return images if images.shape[-1] == 3 else tf.tile(images, [1, 1, 1, 3])

    # -- building blocks -------------------------------------------------------------------------
    def sample(self, mu, sd, training):
        """z = mu + sd * N(0, 1) while training (the official code samples also at test; here
        inference uses mu, so translation and classification are deterministic)."""
        if not training:
            return mu
        return mu + sd * tf.cast(keras.random.normal(tf.shape(mu), seed=self.noise_seed),
                                 mu.dtype)

    def forward(self, images, training=True):
        """{"a": x_a, "b": x_b} in the domains' channels -> x_aa, x_ab, x_ba, x_bb, mu, sd.

        As the reference, the shared decoder runs once and each domain's last layers once, on
        all 2B codes, so their batch-norm statistics are those of both domains' codes: decoder
        a gives [x_aa; x_ba], decoder b [x_ab; x_bb].
        """
        mu, sd = self.vae.encode(images, training)  # [2B, 1, 1, 8 ch_g], a's codes first
        shared = self.vae.decode_shared(self.sample(mu, sd, training), training)  # [2B, 16, 16, .]
        out = {"mu": mu, "sd": sd}
        for tgt in DOMAINS:
            from_a, from_b = tf.split(self.vae.decode_domain(shared, tgt, training), 2, axis=0)
            out[f"x_a{tgt}"], out[f"x_b{tgt}"] = from_a, from_b  # [B, 32, 32, C_tgt] each
        return out

    def translate(self, x, direction="a2b", training=False):
        """RGB [B, 32, 32, 3] of the source -> RGB of the target (codes' means, BN moving
        statistics)."""
        src, tgt = parse_direction(direction)
        mu, sd = self.vae.encode({src: self.to_domain(x, src)}, training)
        return self.to_rgb(self.vae.decode(self.sample(mu, sd, training), tgt, training))

    def discriminate(self, x, domain, training=False):
        """Real/fake logits [B, 2] of D_domain on RGB images."""
        return self.dis.real_fake(self.to_domain(x, domain), domain, training)

    def classify(self, x, domain="b", training=False):
        """Class logits [B, num_classes] of RGB images of `domain` (classify_b: the adapted
        classifier of the target domain)."""
        return self.dis.classify(self.to_domain(x, domain), domain, training)

    # -- variables -------------------------------------------------------------------------------
    @property
    def generator_layers(self):
        return [self.vae]

    @property
    def stride(self) -> int:
        return self.config.stride

    @property
    def min_discriminator_size(self) -> int:
        return self.config.image_size

    def build_networks(self, height=None, width=None, batch=2):
        """Create every variable on zeros [batch, 32, 32, C] per domain."""
        size = self.config.image_size
        if (height or size) != size or (width or height or size) != size:
            raise ValueError(f"the digit networks take {size}x{size} images, not "
                             f"{height}x{width}")
        images = {d: tf.zeros([batch, size, size, self.config.channels(d)]) for d in DOMAINS}
        out = self.forward(images, training=False)
        for d in DOMAINS:
            self.dis.real_fake(out[f"x_{d}{d}"], d)
            self.dis.classify(out[f"x_{d}{d}"], d)
            self.dis.features(out[f"x_{d}{d}"], d)
        self.built = True
        return self
