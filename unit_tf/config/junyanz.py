"""CycleGAN and pix2pix (junyanz/pytorch-CycleGAN-and-pix2pix): networks, loss weights and the
epoch-based optimiser defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

from unit_tf.config.checks import NonNegativeWeights
from unit_tf.config.model import ModelConfig
from unit_tf.config.run import OptimConfig

# junyanz `--gan_mode`: vanilla = BCE with logits (non-saturating G), wgangp = Wasserstein loss
# plus the gradient penalty of `cal_gradient_penalty`.
JUNYANZ_GAN_TYPES = ("lsgan", "vanilla", "wgangp")
JUNYANZ_D = ("basic", "n_layers", "pixel")
JUNYANZ_NORMS = ("in", "bn", "none")  # junyanz instance (affine-free) / batch / none
JUNYANZ_FAMILIES = ("cyclegan", "pix2pix")


def parse_generator(net_g: str):
    """junyanz `--netG` -> ("resnet", n_blocks) for resnet_<n>blocks, or ("unet", num_downs) for
    unet_<side> (side = 2^num_downs: unet_256 has 8 levels, unet_128 7, unet_64 6)."""
    if net_g.startswith("resnet_") and net_g.endswith("blocks"):
        count = net_g[len("resnet_"):-len("blocks")]
        if count.isdigit() and int(count) > 0:
            return "resnet", int(count)
    if net_g.startswith("unet_") and net_g[len("unet_"):].isdigit():
        side = int(net_g[len("unet_"):])
        if side >= 32 and side & (side - 1) == 0:
            return "unet", side.bit_length() - 1
    raise ValueError(f"model.net_g={net_g!r} is not resnet_<n>blocks (e.g. resnet_9blocks, "
                     "resnet_6blocks) nor unet_<side> with side a power of 2 >= 32 (unet_256, "
                     "unet_128, unet_64)")


@dataclasses.dataclass(frozen=True)
class JunyanzConfig(ModelConfig):
    """The networks of junyanz/pytorch-CycleGAN-and-pix2pix (`--netG --ngf --netD --ndf
    --n_layers_D --norm --no_dropout --gan_mode --pool_size`); init N(0, 0.02)."""

    input_dim: int = 3
    output_dim: int = 3
    net_g: str = "resnet_9blocks"
    ngf: int = 64
    net_d: str = "basic"
    ndf: int = 64
    n_layers_d: int = 3
    norm: str = "in"
    use_dropout: bool = False
    gan_type: str = "lsgan"
    pool_size: int = 50

    def __post_init__(self):
        self.check_positive("input_dim", "output_dim", "ngf", "ndf", "n_layers_d")
        self.check_positive("pool_size", allow_zero=True)
        parse_generator(self.net_g)
        self.check_choice("net_d", JUNYANZ_D)
        self.check_choice("norm", JUNYANZ_NORMS)
        self.check_choice("gan_type", JUNYANZ_GAN_TYPES)

    @property
    def generator(self):
        return parse_generator(self.net_g)

    @property
    def stride(self) -> int:
        kind, depth = self.generator
        return 4 if kind == "resnet" else 2 ** depth

    @property
    def discriminator_layers(self) -> int:
        """PatchGAN strided layers: 3 for 'basic' (70x70), n_layers_d for 'n_layers'."""
        return 3 if self.net_d == "basic" else self.n_layers_d


@dataclasses.dataclass(frozen=True)
class CycleGANConfig(JunyanzConfig):
    """CycleGAN defaults: resnet_9blocks, instance norm, no dropout, LSGAN, a 50-image pool."""


@dataclasses.dataclass(frozen=True)
class Pix2PixConfig(JunyanzConfig):
    """pix2pix defaults: unet_256, batch norm, dropout, vanilla GAN, no pool, a conditional D;
    `direction` a2b (junyanz AtoB) or b2a (BtoA)."""

    net_g: str = "unet_256"
    norm: str = "bn"
    use_dropout: bool = True
    gan_type: str = "vanilla"
    pool_size: int = 0
    direction: str = "a2b"

    def __post_init__(self):
        super().__post_init__()
        self.check_choice("direction", ("a2b", "b2a"))
        if self.pool_size:
            raise ValueError(f"model.pool_size={self.pool_size}: pix2pix's conditional discriminator "
                             "takes no history pool (junyanz forces 0)")


@dataclasses.dataclass(frozen=True)
class _JunyanzWeights(NonNegativeWeights):
    """What both junyanz objectives weigh alike: the generator's adversarial term (gan_w), the
    discriminator's (dis_gan_w: junyanz loss_D = (real + fake) x 0.5) and the gradient penalty
    of gan_type wgangp (lambda_gp)."""

    gan_w: float = 1.0
    dis_gan_w: float = 0.5
    lambda_gp: float = 10.0

    def term_weight(self, player, group, key=None):
        """The weight of term `group[key]` for `player` ('g' or 'd')."""
        if player == "g":
            table = self.generator_weights(key)
        else:
            table = {"gan": self.dis_gan_w, "gp": self.lambda_gp}
        if group not in table:
            raise KeyError(f"no weight in {type(self).__name__} for {player} loss term {group!r}")
        return float(table[group])


@dataclasses.dataclass(frozen=True)
class CycleGANLossWeights(_JunyanzWeights):
    """junyanz CycleGAN weights: loss_G = gan + lambda_A cycle_A + lambda_B cycle_B +
    lambda_identity (lambda_B idt_A + lambda_A idt_B)."""

    lambda_A: float = 10.0
    lambda_B: float = 10.0
    lambda_identity: float = 0.5

    def generator_weights(self, key):
        """cycle and idt are keyed by the domain of the images they compare: cycle[a] is
        |F(G(a)) - a| (lambda_A), idt[b] is |G(b) - b| (junyanz idt_A, lambda_B x identity);
        key None (or a direction) gives the larger lambda."""
        lam = {"a": self.lambda_A, "b": self.lambda_B}
        lam_key = lam.get(key, max(lam.values()))
        return {"gan": self.gan_w, "cycle": lam_key, "idt": self.lambda_identity * lam_key}


@dataclasses.dataclass(frozen=True)
class Pix2PixLossWeights(_JunyanzWeights):
    """junyanz pix2pix weights: loss_G = gan + lambda_L1 |G(x) - y|."""

    lambda_L1: float = 100.0

    def generator_weights(self, key):
        return {"gan": self.gan_w, "l1": self.lambda_L1}


def junyanz_optim(**overrides: Any) -> OptimConfig:
    """junyanz defaults: Adam 2e-4 (0.5, 0.999), no weight decay, 100 epochs constant then 100
    of linear decay."""
    return dataclasses.replace(OptimConfig(lr=2e-4, weight_decay=0.0, lr_policy="linear",
                                           n_epochs=100, n_epochs_decay=100), **overrides)
