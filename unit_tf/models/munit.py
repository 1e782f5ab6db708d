"""MUNIT: Multimodal Unsupervised Image-to-Image Translation (Huang, Liu, Belongie, Kautz, 2018).

Paper-to-code notation:
    E^c_1, E^c_2 (content encoders)   content_encoders["a"], ["b"]  (ContentEncoder, IN)
    E^s_1, E^s_2 (style encoders)     style_encoders["a"], ["b"]    (StyleEncoder, no norm)
    G_1, G_2 (decoders)               decoders["a"], ["b"] (Decoder with AdaIN res-blocks) fed by
                                      mlps["a"], ["b"] (style -> AdaIN parameters)
    D_1, D_2                          discriminators["a"], ["b"]  (the UNIT multi-scale D)
    c_1, s_1 = E_1(x_1)               content, style = encode(x, "a")
    x_{1->2} = G_2(c_1, s_2)          decode(content, style, "b"), s_2 ~ N(0, I) (sample_style)
    s_1 in R^{style_dim}              style codes are [B, style_dim] here ([B, 8, 1, 1] in PyTorch)

The networks are the ones UNIT uses (one `networks` package, as the official MUNIT and UNIT master
share one networks.py); only the wiring differs. Source->target code is written once, keyed by
direction.
"""

import keras
import tensorflow as tf

from unit_tf.config import MUNITConfig
from unit_tf.models.contract import DIRECTIONS, DOMAINS, parse_direction
from unit_tf.models.nvlabs import NVLabsModel
from unit_tf.networks import MLP, ContentEncoder, Decoder, StyleEncoder

STYLE_ENCODER_DOWNSAMPLES = 4  # `StyleEncoder(4, ...)` in the official AdaINGen
DISPLAY_STYLES = 3  # styles per input in sample grids


@keras.saving.register_keras_serializable(package="unit_tf")
class MUNIT(NVLabsModel):
    """Content/style auto-encoders per domain with AdaIN decoders (see the module docstring)."""

    family = "munit"
    config_class = MUNITConfig
    multimodal = True

    def __init__(self, config: MUNITConfig = None, seed=None, **kwargs):
        super().__init__(config, seed, **kwargs)
        c = self.config
        self.content_encoders = {
            d: ContentEncoder(c.n_downsample, c.n_res, c.input_dim, c.dim, "in", c.activ,
                              c.pad_type, name=f"enc_content_{d}", dtype=self.dtype_policy)
            for d in DOMAINS}
        self.style_encoders = {
            d: StyleEncoder(STYLE_ENCODER_DOWNSAMPLES, c.input_dim, c.dim, c.style_dim, "none",
                            c.activ, c.pad_type, name=f"enc_style_{d}", dtype=self.dtype_policy)
            for d in DOMAINS}
        self.decoders = {
            d: Decoder(c.n_downsample, c.n_res, c.content_dim, c.input_dim, "adain", "ln",
                       c.activ, c.pad_type, name=f"dec_{d}", dtype=self.dtype_policy)
            for d in DOMAINS}
        self.mlps = {
            d: MLP(c.style_dim, self.decoders[d].num_adain_params, c.mlp_dim, 3, c.activ,
                   name=f"mlp_{d}", dtype=self.dtype_policy)
            for d in DOMAINS}
        self.style_seed = keras.random.SeedGenerator(seed, name="style_seed")

    # -- building blocks -------------------------------------------------------------------------
    def encode(self, x, domain, training=False):
        """x [B, H, W, 3] -> (content [B, H/s, W/s, content_dim], style [B, style_dim])."""
        return (self.content_encoders[domain](x, training=training),
                self.style_encoders[domain](x, training=training))

    def decode(self, content, style, domain, training=False):
        """G_domain(content, style) -> [B, H, W, 3] float32 in [-1, 1]."""
        adain_params = self.mlps[domain](style)  # [B, num_adain_params]
        return self.decoders[domain](content, adain_params=adain_params, training=training)

    def sample_style(self, batch, seed=None):
        """s ~ N(0, I), [batch, style_dim]: from the model's checkpointed seed stream, or, with
        `seed` (a [2] integer tensor), reproducibly from that seed."""
        shape = (batch, self.config.style_dim)
        if seed is None:
            return keras.random.normal(shape, seed=self.style_seed)
        return tf.random.stateless_normal(shape, seed=tf.cast(seed, tf.int64))

    def translate(self, x, direction="a2b", style=None, training=False):
        """x_src -> G_tgt(E^c_src(x), style); style [B, style_dim], default a sampled one."""
        src, tgt = parse_direction(direction)
        content = self.content_encoders[src](x, training=training)
        if style is None:
            style = self.sample_style(tf.shape(x)[0])
        return self.decode(content, style, tgt, training)

    def translate_guided(self, x, reference, direction="a2b", training=False):
        """Example-guided: the style of `reference` (images of the target domain)."""
        _, tgt = parse_direction(direction)
        return self.translate(x, direction, self.style_encoders[tgt](reference,
                                                                     training=training), training)

    def display_labels(self, direction):
        src, _ = parse_direction(direction)
        return ["input", f"recon {src}"] + [f"style {k + 1}" for k in range(DISPLAY_STYLES)]

    def display_rows(self, images, direction):
        """Rows of a sample grid ({domain: images}): input, reconstruction with its own style,
        then one row per fixed style (seeded, the same style across a row and at every step)."""
        src, tgt = parse_direction(direction)
        x = images[src]
        content, own_style = self.encode(x, src)
        rows = [x, self.decode(content, own_style, src)]
        batch = tf.shape(x)[0]
        for k in range(DISPLAY_STYLES):
            style = tf.tile(self.sample_style(1, seed=tf.constant([k, 7919], tf.int64)),
                            [batch, 1])
            rows.append(self.decode(content, style, tgt))
        return rows

    def forward_direction(self, x, src, tgt, style, training=True, with_cycle=False):
        """What one source batch feeds, for a sampled target style `style`:
        content, own style, recon (G_src(c, s_src)), trans (G_tgt(c, style)), content_trans and
        style_trans (E_tgt(trans)), and with `with_cycle` cycle (G_src(content_trans, s_src))."""
        content, own_style = self.encode(x, src, training)
        out = {"content": content, "style": own_style,
               "recon": self.decode(content, own_style, src, training),
               "trans": self.decode(content, style, tgt, training)}
        out["content_trans"], out["style_trans"] = self.encode(out["trans"], tgt, training)
        if with_cycle:
            out["cycle"] = self.decode(out["content_trans"], own_style, src, training)
        return out

    def call(self, inputs, training=False):
        outputs = {}
        for direction, (src, tgt) in DIRECTIONS.items():
            style = self.sample_style(tf.shape(inputs[src])[0])
            out = self.forward_direction(inputs[src], src, tgt, style, training)
            outputs.update({f"{src}2{src}": out["recon"], direction: out["trans"]})
        return outputs

    # -- variables -------------------------------------------------------------------------------
    @property
    def generator_layers(self):
        return [net[d] for net in (self.content_encoders, self.style_encoders, self.decoders,
                                   self.mlps) for d in DOMAINS]

    @property
    def style_dim(self) -> int:
        return self.config.style_dim

    def build_networks(self, height=None, width=None, batch=1):
        h = height or max(4 * self.stride, self.min_discriminator_size, 16)
        w = width or h
        x = tf.zeros([batch, h, w, self.config.input_dim])
        for d in DOMAINS:
            content, style = self.encode(x, d)
            self.decode(content, style, d)
        self.build_discriminators(x)
        self.built = True
        return self
