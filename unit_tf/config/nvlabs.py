"""UNIT and MUNIT (mingyuliutw/UNIT, NVlabs/MUNIT): architectures, loss weights, UNIT presets."""

from __future__ import annotations

import dataclasses
from typing import Any

from unit_tf.config.checks import Checked, NonNegativeWeights
from unit_tf.config.model import ModelConfig

ACTIVATIONS = ("relu", "lrelu", "tanh", "none")
PAD_TYPES = ("reflect", "zero")
NORMS = ("none", "in", "in_affine", "ln", "adain", "bn", "sn")
GAN_TYPES = ("lsgan", "nsgan", "hinge")


@dataclasses.dataclass(frozen=True)
class DiscriminatorConfig(Checked):
    """The official `MsImageDis` hyper-parameters (`dis:` section of the official YAML)."""

    SECTION = "model.dis"

    dim: int = 64
    n_layer: int = 4
    norm: str = "none"
    activ: str = "lrelu"
    num_scales: int = 3
    pad_type: str = "reflect"

    def __post_init__(self):
        self.check_positive("dim", "n_layer", "num_scales")
        self.check_choice("norm", NORMS)
        self.check_choice("activ", ACTIVATIONS)
        self.check_choice("pad_type", PAD_TYPES)


@dataclasses.dataclass(frozen=True)
class NVLabsConfig(ModelConfig):
    """What UNIT and MUNIT generators and discriminators share (the official `gen:`/`dis:`
    sections): widths, down-sampling, res-blocks, activation, padding, GAN loss, the D."""

    input_dim: int = 3
    dim: int = 64
    n_downsample: int = 2
    n_res: int = 4
    activ: str = "relu"
    pad_type: str = "reflect"
    gan_type: str = "lsgan"
    dis: DiscriminatorConfig = DiscriminatorConfig()

    def __post_init__(self):
        self.check_positive("input_dim", "dim")
        self.check_positive("n_downsample", "n_res", allow_zero=True)
        self.check_choice("activ", ACTIVATIONS)
        self.check_choice("pad_type", PAD_TYPES)
        self.check_choice("gan_type", GAN_TYPES)

    @property
    def stride(self) -> int:
        """Input sides must be multiples of this for full-resolution translation."""
        return 2 ** self.n_downsample

    @property
    def latent_dim(self) -> int:
        """Channels of the content (UNIT: latent) code: dim * 2^n_downsample."""
        return self.dim * 2 ** self.n_downsample


@dataclasses.dataclass(frozen=True)
class UNITConfig(NVLabsConfig):
    """UNIT generator/discriminator architecture.

    `n_shared_enc` of the `n_res` encoder res-blocks (the last ones) and `n_shared_dec` of the
    decoder res-blocks (the first ones) are single layer instances used by both domains; 0 and 0
    reproduce mingyuliutw/UNIT master, 1 and 1 the NIPS 2017 model (version_02).
    """

    n_shared_enc: int = 0
    n_shared_dec: int = 0
    res_dropout: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        for name in ("n_shared_enc", "n_shared_dec"):
            value = getattr(self, name)
            if not 0 <= value <= self.n_res:
                raise ValueError(f"{self.field(name)}={value} must lie in "
                                 f"[0, {self.field('n_res')}={self.n_res}]")
        if not 0.0 <= self.res_dropout < 1.0:
            raise ValueError(f"{self.field('res_dropout')}={self.res_dropout} must lie in [0, 1)")


@dataclasses.dataclass(frozen=True)
class MUNITConfig(NVLabsConfig):
    """MUNIT architecture (NVlabs/MUNIT `configs/*.yaml`): adds the style code and its MLP.

    The style encoder always has 4 down-samplings (`StyleEncoder(4, ...)` in the official code);
    `n_downsample` is the content encoder's.
    """

    style_dim: int = 8
    mlp_dim: int = 256

    def __post_init__(self):
        super().__post_init__()
        self.check_positive("style_dim", "mlp_dim")

    @property
    def content_dim(self) -> int:
        return self.latent_dim


@dataclasses.dataclass(frozen=True)
class NVLabsLossWeights(NonNegativeWeights):
    """The weights UNIT and MUNIT share, under their official names: adversarial, image
    reconstruction, cycle reconstruction (0 = off) and the optional VGG perceptual term."""

    gan_w: float = 1.0
    recon_x_w: float = 10.0
    recon_x_cyc_w: float = 0.0
    vgg_w: float = 0.0


@dataclasses.dataclass(frozen=True)
class MUNITLossWeights(NVLabsLossWeights):
    """The official MUNIT `gen_update` / `dis_update` weights (edges2handbags defaults;
    recon_x_cyc_w = 10 in the summer2winter and synthia configs): adds the style and content
    code reconstructions."""

    recon_s_w: float = 1.0
    recon_c_w: float = 1.0


@dataclasses.dataclass(frozen=True)
class UNITLossWeights(NVLabsLossWeights):
    """The official UNIT `gen_update` / `dis_update` weights: the cycle term on, and the KL of
    the latent code of each image and of its translation."""

    recon_x_cyc_w: float = 10.0
    recon_kl_w: float = 0.01
    recon_kl_cyc_w: float = 0.01


def unit_preset(name: str, **overrides: Any) -> UNITConfig:
    """The two UNIT presets; keyword overrides replace single fields.

    official: mingyuliutw/UNIT master `configs/unit_*.yaml` (no sharing, LSGAN, 3-scale D).
    paper:    the NIPS 2017 model (version_02): last encoder and first decoder res-block shared,
              NSGAN; see `paper_loss_weights` for its x10 weights.
    """
    if name == "official":
        base = UNITConfig(preset="official")
    elif name == "paper":
        base = UNITConfig(preset="paper", n_shared_enc=1, n_shared_dec=1, gan_type="nsgan")
    else:
        raise ValueError(f"unknown UNIT preset {name!r}; choose 'official' or 'paper'")
    return dataclasses.replace(base, **overrides)


def paper_loss_weights() -> UNITLossWeights:
    """version_02 weights: GAN 10 / L1 100 / KL 0.1 / cyc-L1 100 / cyc-KL 0.1."""
    return UNITLossWeights(gan_w=10.0, recon_x_w=100.0, recon_kl_w=0.1, recon_x_cyc_w=100.0,
                           recon_kl_cyc_w=0.1, vgg_w=0.0)
