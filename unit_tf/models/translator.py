"""Direct image-to-image generators keyed by direction (CycleGAN's G_A / G_B, pix2pix's G): the
model `import-official` builds for junyanz checkpoints and `export` serves."""

import keras

from unit_tf.models.contract import DIRECTIONS, TranslationModel, parse_direction


class Translator(TranslationModel, keras.Model):
    """{direction: generator}; translate(x, direction) = generator(x) in inference mode.

    Paper-to-code: CycleGAN G: X -> Y is generators["a2b"], F: Y -> X generators["b2a"]; pix2pix
    G (AtoB) is generators["a2b"] (or "b2a" for a BtoA model).
    """

    def __init__(self, generators, family, stride, config=None, **kwargs):
        super().__init__(**kwargs)
        for direction in generators:
            parse_direction(direction)
        self.generators = dict(generators)
        self.family = family
        self.config = config
        self._stride = int(stride)
        self.built = all(g.built for g in self.generators.values())

    @property
    def directions(self):
        return tuple(d for d in DIRECTIONS if d in self.generators)

    @property
    def stride(self):
        return self._stride

    def translate(self, x, direction="a2b", training=False):
        if direction not in self.generators:
            raise ValueError(f"this {self.family} model translates {', '.join(self.directions)}, "
                             f"not {direction!r}")
        return self.generators[direction](x, training=training)

    def call(self, x, training=False):
        return {d: self.translate(x, d, training) for d in self.directions}
