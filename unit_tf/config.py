"""Frozen configuration dataclasses: the typed boundary between the CLI and the library.

Only `unit_tf/cli/` reads flags; it builds an `ExperimentConfig` once and everything below takes
these objects (or plain typed arguments). No TensorFlow import here, so configs are cheap to build,
compare and serialise.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Mapping

ACTIVATIONS = ("relu", "lrelu", "tanh", "none")
PAD_TYPES = ("reflect", "zero")
NORMS = ("none", "in", "in_affine", "ln", "adain", "bn", "sn")
GAN_TYPES = ("lsgan", "nsgan", "hinge")
# junyanz `--gan_mode`: vanilla = BCE with logits (non-saturating G), wgangp = Wasserstein loss
# plus the gradient penalty of `cal_gradient_penalty`.
JUNYANZ_GAN_TYPES = ("lsgan", "vanilla", "wgangp")
JUNYANZ_D = ("basic", "n_layers", "pixel")
JUNYANZ_NORMS = ("in", "bn", "none")  # junyanz instance (affine-free) / batch / none
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
STRATEGIES = ("default", "one_device", "mirrored", "multi_worker")
LR_POLICIES = ("constant", "step", "linear")
LAYOUTS = ("domains", "side_by_side")
RESIZES = ("short_side", "square")
WEIGHT_DECAY_MODES = ("coupled", "decoupled")


def _check_choice(name: str, value: Any, choices) -> None:
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(str, choices))}")


def _check_positive(name: str, value, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name}={value!r} must be {'>= 0' if allow_zero else '> 0'}")


@dataclasses.dataclass(frozen=True)
class DiscriminatorConfig:
    """The official `MsImageDis` hyper-parameters (`dis:` section of the official YAML)."""

    dim: int = 64
    n_layer: int = 4
    norm: str = "none"
    activ: str = "lrelu"
    num_scales: int = 3
    pad_type: str = "reflect"

    def __post_init__(self):
        _check_positive("dis.dim", self.dim)
        _check_positive("dis.n_layer", self.n_layer)
        _check_positive("dis.num_scales", self.num_scales)
        _check_choice("dis.norm", self.norm, NORMS)
        _check_choice("dis.activ", self.activ, ACTIVATIONS)
        _check_choice("dis.pad_type", self.pad_type, PAD_TYPES)


@dataclasses.dataclass(frozen=True)
class UNITConfig:
    """UNIT generator/discriminator architecture (the official `gen:`/`dis:` sections).

    `n_shared_enc` of the `n_res` encoder res-blocks (the last ones) and `n_shared_dec` of the
    decoder res-blocks (the first ones) are single layer instances used by both domains; 0 and 0
    reproduce mingyuliutw/UNIT master, 1 and 1 the NIPS 2017 model (version_02).
    """

    preset: str = "official"
    input_dim: int = 3
    dim: int = 64
    n_downsample: int = 2
    n_res: int = 4
    activ: str = "relu"
    pad_type: str = "reflect"
    n_shared_enc: int = 0
    n_shared_dec: int = 0
    res_dropout: float = 0.0
    gan_type: str = "lsgan"
    dis: DiscriminatorConfig = DiscriminatorConfig()

    def __post_init__(self):
        _check_positive("input_dim", self.input_dim)
        _check_positive("dim", self.dim)
        _check_positive("n_downsample", self.n_downsample, allow_zero=True)
        _check_positive("n_res", self.n_res, allow_zero=True)
        _check_choice("activ", self.activ, ACTIVATIONS)
        _check_choice("pad_type", self.pad_type, PAD_TYPES)
        _check_choice("gan_type", self.gan_type, GAN_TYPES)
        for name in ("n_shared_enc", "n_shared_dec"):
            value = getattr(self, name)
            if not 0 <= value <= self.n_res:
                raise ValueError(f"{name}={value} must lie in [0, n_res={self.n_res}]")
        if not 0.0 <= self.res_dropout < 1.0:
            raise ValueError(f"res_dropout={self.res_dropout} must lie in [0, 1)")

    @property
    def stride(self) -> int:
        """Input sides must be multiples of this for full-resolution translation."""
        return 2 ** self.n_downsample

    @property
    def latent_dim(self) -> int:
        return self.dim * 2 ** self.n_downsample


@dataclasses.dataclass(frozen=True)
class MUNITConfig:
    """MUNIT generator/discriminator architecture (NVlabs/MUNIT `configs/*.yaml`, `gen:`/`dis:`).

    The style encoder always has 4 down-samplings (`StyleEncoder(4, ...)` in the official code);
    `n_downsample` is the content encoder's.
    """

    preset: str = "official"
    input_dim: int = 3
    dim: int = 64
    style_dim: int = 8
    mlp_dim: int = 256
    n_downsample: int = 2
    n_res: int = 4
    activ: str = "relu"
    pad_type: str = "reflect"
    gan_type: str = "lsgan"
    dis: DiscriminatorConfig = DiscriminatorConfig()

    def __post_init__(self):
        for name in ("input_dim", "dim", "style_dim", "mlp_dim"):
            _check_positive(name, getattr(self, name))
        _check_positive("n_downsample", self.n_downsample, allow_zero=True)
        _check_positive("n_res", self.n_res, allow_zero=True)
        _check_choice("activ", self.activ, ACTIVATIONS)
        _check_choice("pad_type", self.pad_type, PAD_TYPES)
        _check_choice("gan_type", self.gan_type, GAN_TYPES)

    @property
    def stride(self) -> int:
        return 2 ** self.n_downsample

    @property
    def content_dim(self) -> int:
        return self.dim * 2 ** self.n_downsample


class _NonNegativeWeights:
    """Loss weights are >= 0 (0 switches a term off); the message names the weight."""

    def __post_init__(self):
        for field in dataclasses.fields(self):
            _check_positive(field.name, getattr(self, field.name), allow_zero=True)


@dataclasses.dataclass(frozen=True)
class MUNITLossWeights(_NonNegativeWeights):
    """Weights of the official MUNIT `gen_update` / `dis_update` terms (edges2handbags defaults;
    recon_x_cyc_w = 10 in the summer2winter and synthia configs)."""

    gan_w: float = 1.0
    recon_x_w: float = 10.0
    recon_s_w: float = 1.0
    recon_c_w: float = 1.0
    recon_x_cyc_w: float = 0.0
    vgg_w: float = 0.0



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
    raise ValueError(f"netG={net_g!r} is not resnet_<n>blocks (e.g. resnet_9blocks, "
                     "resnet_6blocks) nor unet_<side> with side a power of 2 >= 32 (unet_256, "
                     "unet_128, unet_64)")


@dataclasses.dataclass(frozen=True)
class JunyanzConfig:
    """The networks of junyanz/pytorch-CycleGAN-and-pix2pix (`--netG --ngf --netD --ndf
    --n_layers_D --norm --no_dropout --gan_mode --pool_size`); init N(0, 0.02)."""

    preset: str = "official"
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
        for name in ("input_dim", "output_dim", "ngf", "ndf", "n_layers_d"):
            _check_positive(name, getattr(self, name))
        _check_positive("pool_size", self.pool_size, allow_zero=True)
        parse_generator(self.net_g)
        _check_choice("net_d", self.net_d, JUNYANZ_D)
        _check_choice("norm", self.norm, JUNYANZ_NORMS)
        _check_choice("gan_type", self.gan_type, JUNYANZ_GAN_TYPES)

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
        _check_choice("direction", self.direction, ("a2b", "b2a"))
        if self.pool_size:
            raise ValueError(f"pool_size={self.pool_size}: pix2pix's conditional discriminator "
                             "takes no history pool (junyanz forces 0)")


@dataclasses.dataclass(frozen=True)
class _JunyanzWeights(_NonNegativeWeights):
    """What both junyanz objectives weigh alike: the generator's adversarial term (gan_w), the
    discriminator's (dis_gan_w: junyanz loss_D = (real + fake) x 0.5) and the gradient penalty
    of gan_type wgangp (lambda_gp)."""

    gan_w: float = 1.0
    dis_gan_w: float = 0.5
    lambda_gp: float = 10.0

    def term_weight(self, player, group, key=None):
        """The weight of term `group[key]` for `player` ('g' or 'd')."""
        table = self.generator_weights(key) if player == "g" else {"gan": self.dis_gan_w,
                                                                    "gp": self.lambda_gp}
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


@dataclasses.dataclass(frozen=True)
class UNITLossWeights(_NonNegativeWeights):
    """Weights of the official `gen_update` / `dis_update` terms, under their official names."""

    gan_w: float = 1.0
    recon_x_w: float = 10.0
    recon_kl_w: float = 0.01
    recon_x_cyc_w: float = 10.0
    recon_kl_cyc_w: float = 0.01
    vgg_w: float = 0.0



@dataclasses.dataclass(frozen=True)
class OptimConfig:
    """Adam and learning-rate policy; defaults are the official UNIT/MUNIT master ones."""

    lr: float = 1e-4
    beta1: float = 0.5
    beta2: float = 0.999
    epsilon: float = 1e-8
    weight_decay: float = 1e-4
    weight_decay_mode: str = "coupled"
    lr_policy: str = "step"
    step_size: int = 100_000
    gamma: float = 0.5
    constant_steps: int = 100_000
    decay_steps: int = 100_000
    # junyanz epoch schedule (lr_policy linear): n_epochs at lr, then n_epochs_decay epochs of
    # linear decay, stepped once an epoch. steps_per_epoch is filled in from the data at train
    # time (0 = not yet known); with n_epochs = n_epochs_decay = 0 the step counts above apply.
    n_epochs: int = 0
    n_epochs_decay: int = 0
    steps_per_epoch: int = 0

    @property
    def epoch_schedule(self) -> bool:
        return self.lr_policy == "linear" and (self.n_epochs > 0 or self.n_epochs_decay > 0)

    def __post_init__(self):
        _check_positive("lr", self.lr)
        _check_positive("weight_decay", self.weight_decay, allow_zero=True)
        _check_choice("weight_decay_mode", self.weight_decay_mode, WEIGHT_DECAY_MODES)
        _check_choice("lr_policy", self.lr_policy, LR_POLICIES)
        _check_positive("step_size", self.step_size)
        _check_positive("decay_steps", self.decay_steps)
        _check_positive("constant_steps", self.constant_steps, allow_zero=True)
        for name in ("n_epochs", "n_epochs_decay", "steps_per_epoch"):
            _check_positive(name, getattr(self, name), allow_zero=True)
        if (self.n_epochs or self.n_epochs_decay) and self.lr_policy != "linear":
            raise ValueError(f"n_epochs/n_epochs_decay set the 'linear' policy's epochs; "
                             f"lr_policy={self.lr_policy!r} does not use them")


@dataclasses.dataclass(frozen=True)
class DataConfig:
    """Where images come from and how they are preprocessed (as the official loaders do)."""

    source: str = "folder"  # folder | npz | tfds
    data_dir: str = ""
    # domains: <data_dir>/trainA, trainB (testA, testB); side_by_side: <data_dir>/train (test,
    # val) of A|B images, A the left half (the pix2pix layout)
    layout: str = "domains"
    # short_side: resize the short side to load_size (UNIT/MUNIT); square: resize to
    # load_size x load_size (junyanz resize_and_crop)
    resize: str = "short_side"
    npz_a: str = ""  # "file.npz:key" for source=npz
    npz_b: str = ""
    tfds_name: str = ""
    tfds_data_dir: str = ""
    load_size: int = 256
    crop_size: int = 256
    batch_size: int = 1
    flip: bool = True
    shuffle_files: int = 10_000
    max_image_pixels: int = 64_000_000

    def __post_init__(self):
        _check_choice("data_source", self.source, ("folder", "npz", "tfds"))
        _check_choice("layout", self.layout, LAYOUTS)
        _check_choice("resize", self.resize, RESIZES)
        if self.layout == "side_by_side" and self.source != "folder":
            raise ValueError("layout=side_by_side reads A|B images from folders; "
                             f"data_source={self.source!r} has no such layout")
        _check_positive("load_size", self.load_size)
        _check_positive("crop_size", self.crop_size)
        _check_positive("batch_size", self.batch_size)
        if self.crop_size > self.load_size:
            raise ValueError(
                f"crop_size={self.crop_size} is larger than load_size={self.load_size}: the short "
                "side is resized to load_size before the random crop"
            )


@dataclasses.dataclass(frozen=True)
class RuntimeConfig:
    """Devices, numerics and reproducibility."""

    strategy: str = "default"
    precision: str = "float32"
    jit_compile: bool = False
    seed: int = 0
    deterministic: bool = False

    def __post_init__(self):
        _check_choice("strategy", self.strategy, STRATEGIES)
        _check_choice("precision", self.precision, PRECISIONS)


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """The generic loop's schedule of steps, checkpoints, summaries and samples."""

    model_dir: str = "runs/unit"
    max_steps: int = 1000  # -1: (n_epochs + n_epochs_decay) epochs of the optimiser config
    checkpoint_every: int = 1000
    keep_checkpoints: int = 3
    log_every: int = 10
    summary_every: int = 100
    sample_every: int = 1000
    num_samples: int = 4
    export_dir: str = ""
    progress: bool = True

    def __post_init__(self):
        if self.max_steps < -1:
            raise ValueError(f"max_steps={self.max_steps} must be >= 0 (or -1: from the epochs)")
        for name in ("checkpoint_every", "keep_checkpoints", "log_every", "summary_every",
                     "sample_every", "num_samples"):
            _check_positive(name, getattr(self, name))


@dataclasses.dataclass(frozen=True)
class ExperimentConfig:
    family: str = "unit"
    model: UNITConfig = UNITConfig()
    loss_weights: UNITLossWeights = UNITLossWeights()
    optim: OptimConfig = OptimConfig()
    data: DataConfig = DataConfig()
    runtime: RuntimeConfig = RuntimeConfig()
    train: TrainConfig = TrainConfig()
    # VGG16 weights of the perceptual loss (used only when loss_weights.vgg_w > 0): "imagenet"
    # (Keras' cached file; never downloaded) or a path to a VGG16 notop weights file.
    vgg_weights: str = "imagenet"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


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


# family -> (model config class, loss weights class)
FAMILY_CONFIGS = {"unit": (UNITConfig, UNITLossWeights), "munit": (MUNITConfig, MUNITLossWeights),
                  "cyclegan": (CycleGANConfig, CycleGANLossWeights),
                  "pix2pix": (Pix2PixConfig, Pix2PixLossWeights)}
JUNYANZ_FAMILIES = ("cyclegan", "pix2pix")


def junyanz_optim(**overrides: Any) -> OptimConfig:
    """junyanz defaults: Adam 2e-4 (0.5, 0.999), no weight decay, 100 epochs constant then 100
    of linear decay."""
    return dataclasses.replace(OptimConfig(lr=2e-4, weight_decay=0.0, lr_policy="linear",
                                           n_epochs=100, n_epochs_decay=100), **overrides)


def from_dict(cls, values: Mapping[str, Any]):
    """Rebuild a (nested) config dataclass from `dataclasses.asdict` output (an
    ExperimentConfig's model and loss weights take the classes of its family)."""
    kwargs = {}
    classes = {}
    if cls is ExperimentConfig:
        family = values.get("family", "unit")
        if family not in FAMILY_CONFIGS:
            raise ValueError(f"unknown model family {family!r}; known: {', '.join(FAMILY_CONFIGS)}")
        classes = dict(zip(("model", "loss_weights"), FAMILY_CONFIGS[family]))
    for field in dataclasses.fields(cls):
        if field.name not in values:
            continue
        value = values[field.name]
        if field.name in classes and isinstance(value, Mapping):
            value = from_dict(classes[field.name], value)
        elif dataclasses.is_dataclass(field.default) and isinstance(value, Mapping):
            value = from_dict(type(field.default), value)
        kwargs[field.name] = value
    return cls(**kwargs)
