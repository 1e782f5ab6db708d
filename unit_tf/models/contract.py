"""The contract every translation model keeps, and the domain/direction names they share.

A family (UNIT, MUNIT, CycleGAN, pix2pix, ...) is a Keras model implementing `TranslationModel`:

    config               the family's frozen model config (one attribute name in every family)
    family               the family name ("unit", "munit", ...), the key of `models.MODELS`
    directions           the directions it translates, a subset of DIRECTIONS ("a2b", "b2a")
    stride               input sides must be multiples of this for full-resolution translation
    multimodal           True when a translation depends on a style code (`sample_style`)
    input_size           the one image side the networks take (None: any multiple of stride)
    classifier_domains   domains with a class head (`classify(x, domain)`), e.g. ("b",)
    translate(x, direction)               [B, H, W, C_src] -> [B, H, W, C_tgt] float32
    discriminate(x, domain)               the critic of `domain` (what its objective expects)
    display_rows(images, direction)       the rows of a sample grid ({domain: images} in)
    trainable_variables_of(player)        "g" / "d": the variables that player's optimiser updates
    build_networks(height, width, batch)  create every variable; returns the model
    sample_style(batch, seed)             multimodal models only

The training loop, the objectives base, export and evaluation talk to models through these
names only; nothing probes a model with hasattr/getattr.
"""

DOMAINS = ("a", "b")
DIRECTIONS = {"a2b": ("a", "b"), "b2a": ("b", "a")}


def parse_direction(direction: str):
    """'a2b' -> ('a', 'b'); anything else is refused with the valid names."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r} is not one of {', '.join(DIRECTIONS)}")
    return DIRECTIONS[direction]


class TranslationModel:
    """Mixin base of every family (listed before `keras.Model` in the class bases).

    Subclasses set `family`, `multimodal` and `self.config`, and implement `translate`,
    `build_networks`, `stride` and (for trainable families) `discriminate` and
    `trainable_variables_of`; the defaults below give the two-way, unimodal behaviour.
    """

    family = ""
    multimodal = False
    input_size = None
    classifier_domains = ()

    @property
    def directions(self):
        return tuple(DIRECTIONS)

    @property
    def stride(self) -> int:
        raise NotImplementedError

    def translate(self, x, direction="a2b", training=False):
        raise NotImplementedError

    def discriminate(self, x, domain, training=False):
        raise NotImplementedError(f"this {self.family} model has no discriminators (a "
                                  "translator for inference only)")

    def trainable_variables_of(self, player: str):
        raise NotImplementedError(f"this {self.family} model cannot be trained")

    def build_networks(self, height=None, width=None, batch=1):
        raise NotImplementedError

    @property
    def min_discriminator_size(self) -> int:
        """Smallest training crop side the discriminators accept."""
        return 1

    def display_rows(self, images, direction):
        """Sample-grid rows: input, translation, back-translation (two-way models)."""
        src, tgt = parse_direction(direction)
        trans = self.translate(images[src], direction)
        return [images[src], trans, self.translate(trans, f"{tgt}2{src}")]

    def display_labels(self, direction):
        """The column labels of `display_rows` (drawn into the sample grids)."""
        src, tgt = parse_direction(direction)
        return ["input", direction, f"back {tgt}2{src}"]

    def classify(self, x, domain="b", training=False):
        raise ValueError(f"this {self.family} model has no classifier")

    def sample_style(self, batch, seed=None):
        raise ValueError(f"this {self.family} model is unimodal: it has no style codes")

    @property
    def style_dim(self) -> int:
        raise ValueError(f"this {self.family} model is unimodal: it has no style codes")

    def translation_pairs(self):
        """{direction: (src, tgt)} for the directions this model translates."""
        return {d: DIRECTIONS[d] for d in self.directions}
