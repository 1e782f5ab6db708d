"""What every family shares: the optimiser, data, runtime and loop configs."""

from __future__ import annotations

import dataclasses

from unit_tf.config.checks import Checked

PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
STRATEGIES = ("default", "one_device", "mirrored", "multi_worker")
LR_POLICIES = ("constant", "step", "linear")
LAYOUTS = ("domains", "side_by_side")
RESIZES = ("short_side", "square")
WEIGHT_DECAY_MODES = ("coupled", "decoupled")
SOURCES = ("folder", "npz", "tfds")
WRITE_ERROR_POLICIES = ("stop", "continue")
# labelled digit domain-adaptation protocols (family unit_da; data_dir = the datasets root)
DA_PROTOCOLS = ("mnist_to_usps", "usps_to_mnist", "mnist_to_mnist_m")
INVERSIONS = ("", "a", "b", "ab")


@dataclasses.dataclass(frozen=True)
class OptimConfig(Checked):
    """Adam and learning-rate policy; defaults are the official UNIT/MUNIT master ones."""

    SECTION = "optim"

    lr: float = 1e-4  # the initial learning rate of every player
    beta1: float = 0.5  # Adam's first-moment decay
    beta2: float = 0.999  # Adam's second-moment decay
    epsilon: float = 1e-8  # Adam's denominator guard (PyTorch's default, not Keras' 1e-7)
    weight_decay: float = 1e-4  # L2 factor; 0 switches it off
    # coupled: added to the gradient (torch.optim.Adam); decoupled: AdamW
    weight_decay_mode: str = "coupled"
    lr_policy: str = "step"  # constant | step | linear
    step_size: int = 100_000  # step: multiply the rate by gamma every step_size steps
    gamma: float = 0.5
    # linear by steps: constant_steps at lr, then a linear decay to 0 over decay_steps
    constant_steps: int = 100_000
    decay_steps: int = 100_000
    # junyanz epoch schedule (lr_policy linear): n_epochs at lr, then n_epochs_decay epochs of
    # linear decay, stepped once an epoch. steps_per_epoch is filled in from the data at train
    # time (0 = not yet known); with n_epochs = n_epochs_decay = 0 the step counts above apply.
    n_epochs: int = 0
    n_epochs_decay: int = 0
    steps_per_epoch: int = 0
    # True: the generator update comes first and the discriminator update judges the
    # translations that update made (gradients stopped), as junyanz's CycleGAN does; the
    # generators run once per step instead of twice. False: each update makes its own, in the
    # family's official order (UNIT/MUNIT: D then G). UNIT, MUNIT and CycleGAN only.
    reuse_fakes: bool = False

    @property
    def epoch_schedule(self) -> bool:
        return self.lr_policy == "linear" and (self.n_epochs > 0 or self.n_epochs_decay > 0)

    def __post_init__(self):
        self.check_positive("lr", "step_size", "decay_steps")
        self.check_positive("weight_decay", "constant_steps", "n_epochs", "n_epochs_decay",
                            "steps_per_epoch", allow_zero=True)
        self.check_choice("weight_decay_mode", WEIGHT_DECAY_MODES)
        self.check_choice("lr_policy", LR_POLICIES)
        if (self.n_epochs or self.n_epochs_decay) and self.lr_policy != "linear":
            raise ValueError(f"optim.n_epochs/optim.n_epochs_decay set the 'linear' policy's "
                             f"epochs; optim.lr_policy={self.lr_policy!r} does not use them")


@dataclasses.dataclass(frozen=True)
class DataConfig(Checked):
    """Where images come from and how they are preprocessed (as the official loaders do)."""

    SECTION = "data"

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
    protocol: str = ""  # one of DA_PROTOCOLS for family unit_da (source labels, target images)
    # unit_da: domains ("a", "b" or "ab") whose training digits are doubled with inverted copies
    # (255 - x, labels kept); version_02's use_inversion does it for its target
    invert: str = ""
    # unit_da: strength of a random zoom / rotation / shift of every training digit of both
    # domains (unit_tf.data.augment; 0.15: zoom 0.85-1.15, +-9 degrees, +-2.4 px); 0 = none
    augment: float = 0.0
    # unit_da: domains ("a", "b" or "ab") whose grey training digits are painted with a random
    # paper and ink colour each (unit_tf.data.augment.random_colours); read them with 3 channels
    recolour: str = ""

    def __post_init__(self):
        self.check_choice("source", SOURCES)
        self.check_choice("layout", LAYOUTS)
        self.check_choice("resize", RESIZES)
        self.check_choice("protocol", ("",) + DA_PROTOCOLS)
        self.check_choice("invert", INVERSIONS)
        if self.invert and not self.protocol:
            raise ValueError(f"data.invert={self.invert!r} doubles digit training sets with "
                             "inverted copies: it needs a domain-adaptation --protocol")
        self.check_choice("recolour", INVERSIONS)
        if self.recolour and not self.protocol:
            raise ValueError(f"data.recolour={self.recolour!r} paints digit training sets: it "
                             "needs a domain-adaptation --protocol")
        if not 0.0 <= self.augment < 1.0:
            raise ValueError(f"data.augment={self.augment} must be in [0, 1): the largest "
                             "relative zoom, and the shift as a fraction of half the image")
        if self.augment and not self.protocol:
            raise ValueError(f"data.augment={self.augment} augments digit training sets: it "
                             "needs a domain-adaptation --protocol")
        if self.layout == "side_by_side" and self.source != "folder":
            raise ValueError("data.layout=side_by_side reads A|B images from folders; "
                             f"data.source={self.source!r} has no such layout")
        self.check_positive("load_size", "crop_size", "batch_size", "max_image_pixels")
        if self.crop_size > self.load_size:
            raise ValueError(
                f"data.crop_size={self.crop_size} is larger than data.load_size={self.load_size}: "
                "the short side is resized to load_size before the random crop"
            )


@dataclasses.dataclass(frozen=True)
class RuntimeConfig(Checked):
    """Devices, numerics and reproducibility."""

    SECTION = "runtime"

    strategy: str = "default"
    devices: str = ""  # e.g. "GPU:0,GPU:1" or "CPU": the devices to train on ("" = the strategy's)
    precision: str = "float32"
    jit_compile: bool = False
    seed: int = 0
    deterministic: bool = False

    def __post_init__(self):
        self.check_choice("strategy", STRATEGIES)
        self.check_choice("precision", PRECISIONS)


@dataclasses.dataclass(frozen=True)
class TrainConfig(Checked):
    """The generic loop's schedule of steps, checkpoints, summaries and samples."""

    SECTION = "train"

    model_dir: str = "runs/unit"  # checkpoints, config.json, samples/, tensorboard/
    max_steps: int = 1000  # -1: (n_epochs + n_epochs_decay) epochs of the optimiser config
    # every interval counts training steps; the last step always saves and samples
    checkpoint_every: int = 1000
    keep_checkpoints: int = 3  # the newest N checkpoints stay on disk
    keep_every: int = 0  # and every checkpoint at a multiple of this step, for good (0: none)
    log_every: int = 10  # progress line
    summary_every: int = 100  # TensorBoard scalars
    sample_every: int = 1000  # sample grids (PNG and TensorBoard images)
    num_samples: int = 4  # rows of each sample grid
    export_dir: str = ""  # a SavedModel is written here at the end when set
    progress: bool = True
    # stop after this many steps in a row whose updates were skipped as non-finite
    max_nonfinite_steps: int = 20
    on_write_error: str = "stop"  # stop | continue (checkpoints and samples)

    def __post_init__(self):
        if self.max_steps < -1:
            raise ValueError(f"train.max_steps={self.max_steps} must be >= 0 (or -1: from the "
                             "epochs)")
        self.check_positive("checkpoint_every", "keep_checkpoints", "log_every", "summary_every",
                            "sample_every", "num_samples", "max_nonfinite_steps")
        self.check_positive("keep_every", allow_zero=True)
        self.check_choice("on_write_error", WRITE_ERROR_POLICIES)
