"""UNIT's digit domain adaptation (mingyuliutw/UNIT version_02, "CoVAE32x32" + "CoDis32x32"):
the coupled networks' widths, the loss weights and the optimiser of the shipped configs.
Layer-by-layer description: ../shared/reference/unit-domain-adaptation.md."""

from __future__ import annotations

import dataclasses

from unit_tf.config.checks import NonNegativeWeights
from unit_tf.config.model import ModelConfig
from unit_tf.config.run import DA_PROTOCOLS, OptimConfig  # noqa: F401 (re-exported)

FEATURE_DISTANCES = ("sq", "l1")  # official: per-image sum of squares; paper: L1
CLASSIFIER_FRONTS = ("own", "source")  # the first layer the target's classifier reads through


@dataclasses.dataclass(frozen=True)
class UNITDAConfig(ModelConfig):
    """Widths of the coupled VAE (`ch_g`) and discriminator (`ch_d`), the channels of each
    domain's images (1 grey, 3 colour; the model reads and writes RGB and converts), the class
    count of the classifier head, the distance of the feature-matching term, and the first
    layer the target's classifier reads through: "own" (d0_b, version_02: only the real/fake,
    feature and semantic terms train it) or "source" (d0_a, the first layer the labelled
    source trains: the path of the source-only baseline; both domains must then have the same
    channels, and d0_b still serves the real/fake and feature terms)."""

    ch_g: int = 96  # the VAE's base width (the code has 8 ch_g channels)
    ch_d: int = 64  # the discriminators' base width
    channels_a: int = 1  # 1: grey digits (MNIST, USPS); 3: colour (MNIST-M)
    channels_b: int = 1
    num_classes: int = 10  # the classifier head
    feature_distance: str = "sq"  # sq (official code) | l1 (paper)
    classifier_front: str = "own"  # own (version_02) | source
    gan_type: str = "softmax"  # two-logit real/fake cross-entropy, as version_02
    image_size: int = 32  # the networks are built for 32x32 (an 8x8 valid conv after 2 halvings)

    def __post_init__(self):
        self.check_positive("ch_g", "ch_d", "num_classes")
        self.check_choice("channels_a", (1, 3))
        self.check_choice("channels_b", (1, 3))
        self.check_choice("feature_distance", FEATURE_DISTANCES)
        self.check_choice("classifier_front", CLASSIFIER_FRONTS)
        if self.classifier_front == "source" and self.channels_a != self.channels_b:
            raise ValueError(
                f"classifier_front='source' reads domain b through domain a's first layer, but "
                f"channels_a={self.channels_a} and channels_b={self.channels_b} differ: read both "
                f"in colour (--channels_a=3 with --recolour=a, or --channels_b=1)")
        self.check_choice("gan_type", ("softmax",))
        self.check_choice("image_size", (32,))

    @property
    def stride(self) -> int:
        return 32  # whole 32x32 images: the encoder ends in a 1x1 code

    def channels(self, domain: str) -> int:
        return {"a": self.channels_a, "b": self.channels_b}[domain]


@dataclasses.dataclass(frozen=True)
class UNITDALossWeights(NonNegativeWeights):
    """The shipped weights: D = gan_w (true + fake) + cls_w cls + feature_w feature;
    G = gan_w adversarial + recon_w (sq(x_aa, x_a) + sq(x_bb, x_b)) + kl_w KL
        [+ cycle_w (sq(x_aba, x_a) + sq(x_bab, x_b))]
    D and G [+ semantic_w CE(classify_b(x_ab), labels of a)];
    D [+ info_max_w (entropy + imbalance of classify_b on unlabelled x_b)].
    cycle_w is 0 in version_02's DA trainer (no cycle term); > 0 adds UNIT's cycle-consistency
    reconstruction (the paper's full objective has it), which ties each translation to its
    input. semantic_w is 0 in version_02 too; > 0 trains the target's classifier on the
    source's labelled digits translated into the target (the D player) and makes the
    translations keep the class that classifier reads (the G player): PixelDA's task loss on
    translated source images. info_max_w is 0 in version_02 too; > 0 adds information
    maximisation on the unlabelled target images (the entropy of each answer, low when the
    classifier is confident, plus the KL of the batch's mean answer from uniform, low when the
    answers spread over the classes), a label-free term from the domain-adaptation
    literature that sharpens the target's decision boundaries without collapsing them."""

    gan_w: float = 1.0
    cls_w: float = 10.0
    feature_w: float = 1e-4
    recon_w: float = 1e-3
    kl_w: float = 1e-4
    cycle_w: float = 0.0
    semantic_w: float = 0.0
    info_max_w: float = 0.0


def da_optim(**overrides) -> OptimConfig:
    """Adam 2e-4 (0.5, 0.999), coupled L2 weight decay 5e-4, constant rate."""
    return dataclasses.replace(OptimConfig(lr=2e-4, weight_decay=5e-4, lr_policy="constant"),
                               **overrides)
