"""UNIT: Unsupervised Image-to-Image Translation Networks (Liu, Breuel, Kautz, NIPS 2017).

Paper-to-code notation:
    E_1, E_2 (encoders)          encoders["a"], encoders["b"]   (ContentEncoder)
    G_1, G_2 (generators)        decoders["a"], decoders["b"]   (Decoder)
    D_1, D_2                     discriminators["a"], discriminators["b"]
    z ~ q(z | x) = N(E(x), I)    mu = encode(x, d); z = noise(mu)  ("reduced VAE": unit variance)
    shared high-level layers     shared_encoder_blocks / shared_decoder_blocks: ONE instance each,
                                 the last encoder and first decoder res-blocks of both domains
    x^{1->1}, x^{1->2}           outputs["a2a"], outputs["a2b"]
    x^{1->2->1}                  outputs["a2b2a"]
    E(x^{1->2})                  outputs["h_a2b"] (re-encoded translation, for the cycle KL)

Presets (see `unit_tf.config.unit_preset`): "official" = mingyuliutw/UNIT master (no sharing,
LSGAN, 3-scale D); "paper" = the shared-latent NIPS model with NSGAN. Forward passes return dicts
keyed by direction; the source->target computation is written once in `forward_direction`.
"""

import keras
import tensorflow as tf

from unit_tf.config import UNITConfig
from unit_tf.layers import LatentNoise, ResBlock
from unit_tf.models.contract import DIRECTIONS, DOMAINS, parse_direction
from unit_tf.models.nvlabs import NVLabsModel
from unit_tf.networks import ContentEncoder, Decoder


@keras.saving.register_keras_serializable(package="unit_tf")
class UNIT(NVLabsModel):
    """Two VAE-GANs whose high-level layers are shared (see the module docstring)."""

    family = "unit"
    config_class = UNITConfig

    def __init__(self, config: UNITConfig = None, seed=None, **kwargs):
        super().__init__(config, seed, **kwargs)
        c = self.config
        latent = c.latent_dim
        res = dict(norm="in", activation=c.activ, pad_type=c.pad_type, dropout=c.res_dropout,
                   init_type="kaiming", dtype=self.dtype_policy)
        # The shared latent: ONE instance of each block, given to both domains.
        self.shared_encoder_blocks = [
            ResBlock(latent, name=f"shared_enc_res{i}", **res) for i in range(c.n_shared_enc)]
        self.shared_decoder_blocks = [
            ResBlock(latent, name=f"shared_dec_res{i}", **res) for i in range(c.n_shared_dec)]
        self.encoders = {
            d: ContentEncoder(c.n_downsample, c.n_res, c.input_dim, c.dim, "in", c.activ,
                              c.pad_type, c.res_dropout, "kaiming",
                              shared_blocks=self.shared_encoder_blocks, name=f"enc_{d}",
                              dtype=self.dtype_policy)
            for d in DOMAINS}
        self.decoders = {
            d: Decoder(c.n_downsample, c.n_res, latent, c.input_dim, "in", "ln", c.activ,
                       c.pad_type, c.res_dropout, "kaiming",
                       shared_blocks=self.shared_decoder_blocks, name=f"dec_{d}",
                       dtype=self.dtype_policy)
            for d in DOMAINS}
        self.noise = LatentNoise(1.0, seed=seed, name="latent_noise", dtype=self.dtype_policy)

    # -- building blocks -------------------------------------------------------------------------
    def encode(self, x, domain, training=False):
        """mu = E_domain(x): [B, H, W, 3] -> [B, H/s, W/s, latent_dim]."""
        return self.encoders[domain](x, training=training)

    def decode(self, z, domain, training=False):
        """x = G_domain(z): [B, H/s, W/s, latent_dim] -> [B, H, W, 3] (float32, [-1, 1])."""
        return self.decoders[domain](z, training=training)

    def translate(self, x, direction="a2b", training=False):
        """G_tgt(E_src(x)) with no latent noise (the official `test.py`)."""
        src, tgt = parse_direction(direction)
        mu = self.encode(x, src, training)
        return self.decode(self.noise(mu, training=training), tgt, training)

    def forward_direction(self, x, src, tgt, training=True, with_cycle=True):
        """Everything one source image feeds: reconstruction, translation and cycle.

        Keys: h (mu of x), recon (G_src(z)), trans (G_tgt(z)), h_trans (E_tgt(trans)) and, when
        `with_cycle`, cycle (G_src(noise(h_trans))). z = h + N(0, I) while training.
        """
        h = self.encode(x, src, training)  # [B, H/s, W/s, latent]
        z = self.noise(h, training=training)
        out = {"h": h, "recon": self.decode(z, src, training),
               "trans": self.decode(z, tgt, training)}
        out["h_trans"] = self.encode(out["trans"], tgt, training)
        if with_cycle:
            z_cycle = self.noise(out["h_trans"], training=training)
            out["cycle"] = self.decode(z_cycle, src, training)
        return out

    def call(self, inputs, training=False):
        """inputs {"a": x_a, "b": x_b} -> outputs keyed a2a, a2b, a2b2a, h_a, h_a2b (and b's)."""
        outputs = {}
        for direction, (src, tgt) in DIRECTIONS.items():
            out = self.forward_direction(inputs[src], src, tgt, training)
            outputs.update({f"{src}2{src}": out["recon"], direction: out["trans"],
                            f"{direction}2{src}": out["cycle"], f"h_{src}": out["h"],
                            f"h_{direction}": out["h_trans"]})
        return outputs

    # -- variables -------------------------------------------------------------------------------
    @property
    def generator_layers(self):
        return [self.encoders[d] for d in DOMAINS] + [self.decoders[d] for d in DOMAINS]

    def build_networks(self, height=None, width=None, batch=1):
        """Create every variable by running each network once on zeros, domain a first (so the
        shared blocks' variable paths are stable)."""
        h = height or max(4 * self.stride, self.min_discriminator_size)
        w = width or h
        x = tf.zeros([batch, h, w, self.config.input_dim])
        for d in DOMAINS:
            self.decode(self.encode(x, d), d)
        self.build_discriminators(x)
        self.noise(self.encode(x, "a"))
        self.built = True
        return self
