"""CycleGAN (Zhu et al., ICCV 2017) and pix2pix (Isola et al., CVPR 2017) with the defaults of
junyanz/pytorch-CycleGAN-and-pix2pix.

Paper-to-code notation:
    CycleGAN G: X -> Y, F: Y -> X   generators["a2b"], generators["b2a"] (junyanz netG_A, netG_B)
    CycleGAN D_Y, D_X               discriminators["b"], discriminators["a"] (netD_A, netD_B):
                                    a discriminator is keyed by the domain it judges
    pix2pix G: x -> y               generators[direction] (a2b = junyanz AtoB, b2a = BtoA)
    pix2pix D(x, y)                 discriminators[tgt] on concat([x, y]) (input_dim + output_dim
                                    channels; the objective builds the pair)
Domain a has `input_dim` channels and domain b `output_dim`, as junyanz input_nc / output_nc.
"""

import keras
import tensorflow as tf

from unit_tf.config import CycleGANConfig, JunyanzConfig, Pix2PixConfig
from unit_tf.models.base import ConfiguredModel, TwoPlayerVariables
from unit_tf.models.contract import DIRECTIONS
from unit_tf.models.translator import Translator
from unit_tf.networks import (PatchDiscriminator, PixelDiscriminator, ResnetGenerator,
                              UnetGenerator)


def make_generator(config: JunyanzConfig, output_dim, name, dtype=None):
    """junyanz `define_G`: resnet_<n>blocks or unet_<side>, init N(0, 0.02)."""
    kind, depth = config.generator
    if kind == "resnet":
        return ResnetGenerator(output_dim, config.ngf, depth, config.norm, config.use_dropout,
                               name=name, dtype=dtype)
    return UnetGenerator(output_dim, depth, config.ngf, config.norm, config.use_dropout,
                         name=name, dtype=dtype)


def make_discriminator(config: JunyanzConfig, name, dtype=None):
    """junyanz `define_D`: basic (70x70 PatchGAN), n_layers (PatchGAN of n_layers_d) or pixel."""
    if config.net_d == "pixel":
        return PixelDiscriminator(config.ndf, config.norm, name=name, dtype=dtype)
    return PatchDiscriminator(config.ndf, config.discriminator_layers, config.norm, name=name,
                              dtype=dtype)


class JunyanzGAN(TwoPlayerVariables, ConfiguredModel, Translator):
    """Generators keyed by direction and discriminators keyed by the domain they judge; a
    Translator for export. Subclasses fix the family: CycleGAN (both directions) or Pix2Pix
    (one direction, conditional D)."""

    config_class = JunyanzConfig
    conditional = False

    def __init__(self, config=None, seed=None, **kwargs):
        config = self.resolve_config(config)
        dtype = kwargs.get("dtype") or keras.config.dtype_policy()
        self.channels = {"a": config.input_dim, "b": config.output_dim}
        generators = {d: make_generator(config, self.channels[tgt], f"gen_{d}", dtype)
                      for d, (_, tgt) in DIRECTIONS.items() if d in self.directions_of(config)}
        super().__init__(generators, self.family, config.stride, config, **kwargs)
        self.seed = seed
        self.discriminators = {tgt: make_discriminator(config, f"dis_{tgt}", dtype)
                               for d, (_, tgt) in DIRECTIONS.items() if d in generators}

    @staticmethod
    def directions_of(config):
        return tuple(DIRECTIONS)

    def discriminate(self, images, domain, training=False):
        """D_domain(images): [B, h, w, 1] float32 logits (PatchGAN) or [B, H, W, 1] (pixel)."""
        return self.discriminators[domain](images, training=training)

    @property
    def generator_layers(self):
        return list(self.generators.values())

    @property
    def min_discriminator_size(self) -> int:
        """A PatchGAN of n strided layers needs 3 * 2^n pixels for a 1x1 logit map."""
        return 1 if self.config.net_d == "pixel" else \
            3 * 2 ** self.config.discriminator_layers

    def discriminator_channels(self, src, tgt):
        return self.channels[tgt] + (self.channels[src] if self.conditional else 0)

    def build_networks(self, height=None, width=None, batch=1):
        """Create every variable by running each network once on zeros."""
        h = height or max(self.stride, self.min_discriminator_size)
        w = width or h
        for direction, (src, tgt) in DIRECTIONS.items():
            if direction in self.generators:
                self.translate(tf.zeros([batch, h, w, self.channels[src]]), direction)
                self.discriminate(tf.zeros([batch, h, w, self.discriminator_channels(src, tgt)]),
                                  tgt)
        self.built = True
        return self


@keras.saving.register_keras_serializable(package="unit_tf")
class CycleGAN(JunyanzGAN):
    family = "cyclegan"
    config_class = CycleGANConfig


@keras.saving.register_keras_serializable(package="unit_tf")
class Pix2Pix(JunyanzGAN):
    family = "pix2pix"
    config_class = Pix2PixConfig
    conditional = True

    @staticmethod
    def directions_of(config):
        return (config.direction,)

    def display_labels(self, direction):
        return ["input", direction, "truth"]

    def display_rows(self, images, direction):
        """Rows of a sample grid: input, translation, ground truth (paired data)."""
        src, tgt = DIRECTIONS[direction]
        return [images[src], self.translate(images[src], direction), images[tgt]]
