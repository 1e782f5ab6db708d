"""What the model families share: checkpointable variables, the player split, the config round
trip, any-size translation."""

import dataclasses
import math

from unit_tf.config import from_dict


def parameter_count(variables) -> int:
    """The number of scalars in `variables` (a layer's weights, a player's variables)."""
    return int(sum(math.prod(v.shape) for v in variables))


def variables_by_path(model) -> dict:
    """{variable.path: variable} for every variable of `model` (trainable or not), for
    `tf.train.Checkpoint`.

    Keras 3 layers held in lists or dicts are not children in TensorFlow's checkpoint object
    graph, so a model is checkpointed through this flat dict instead. Paths are fixed by the build
    order (domain a before b), which `build_networks` keeps stable.
    """
    result = {}
    for v in model.variables:
        if v.path in result and result[v.path] is not v:
            raise ValueError(f"two variables share the path {v.path!r}; give the layers unique names")
        result[v.path] = v
    return result


def unique_variables(layers, trainable=True):
    """Trainable (or all) variables of `layers`, each exactly once, in first-seen order."""
    seen, result = set(), []
    for layer in layers:
        for v in (layer.trainable_variables if trainable else layer.variables):
            if id(v) not in seen:
                seen.add(id(v))
                result.append(v)
    return result


class ConfiguredModel:
    """A Keras model built from one frozen config dataclass (`config_class`) and a seed: the
    config (an instance, its dict, or None for the defaults) becomes `self.config`, and
    `get_config`/`from_config` round-trip both. Listed before `keras.Model` in the bases."""

    config_class = None

    def resolve_config(self, config):
        if config is None:
            return self.config_class()
        return from_dict(self.config_class, config) if isinstance(config, dict) else config

    def get_config(self):
        return {**super().get_config(), "config": dataclasses.asdict(self.config),
                "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(from_dict(cls.config_class, config.pop("config")), **config)


class TwoPlayerVariables:
    """The generator/discriminator split of a two-domain GAN model, written once.

    The model defines `generator_layers` and a `discriminators` dict; the step's optimisers ask
    `trainable_variables_of("g" | "d")`.
    """

    @property
    def discriminator_layers(self):
        return list(self.discriminators.values())

    @property
    def generator_variables(self):
        return unique_variables(self.generator_layers)

    @property
    def discriminator_variables(self):
        return unique_variables(self.discriminator_layers)

    def trainable_variables_of(self, player: str):
        """'g' or 'd': the variables that player's optimizer updates."""
        if player not in ("g", "d"):
            raise ValueError(f"unknown player {player!r}; players are 'g' and 'd'")
        return self.generator_variables if player == "g" else self.discriminator_variables


def pad_to_multiple(images, multiple):
    """Reflect-pad the bottom/right of [B, H, W, C] so H and W are multiples of `multiple`.

    Returns (padded, H, W) for cropping back. Reflection needs each pad < the side, so an image
    side must be at least `multiple // 2 + 1` pixels; smaller inputs fail with a named error.
    """
    import tensorflow as tf

    shape = tf.shape(images)
    height, width = shape[1], shape[2]
    pad_h = (multiple - height % multiple) % multiple
    pad_w = (multiple - width % multiple) % multiple
    tf.debugging.assert_less(
        tf.maximum(pad_h - height, pad_w - width), 0,
        message=f"image sides must be at least {multiple // 2 + 1} pixels to reflect-pad to a "
                f"multiple of the network stride {multiple}")
    padded = tf.pad(images, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]], mode="REFLECT")
    return padded, height, width


def translate_full_resolution(model, images, direction, **kwargs):
    """Translate float [-1, 1] images of ANY size: reflect-pad to the stride, translate, crop back.

    [B, H, W, 3] -> [B, H, W, 3] float32. `kwargs` go to `model.translate` (MUNIT: style=).
    A model with a fixed `input_size` (the digit DA networks) gets its inputs resized to it and
    answers at that size: [B, S, S, 3].
    """
    import tensorflow as tf

    if model.input_size:
        side = model.input_size
        images = tf.image.resize(tf.cast(images, tf.float32), [side, side], antialias=True)
        return model.translate(images, direction, **kwargs)
    padded, height, width = pad_to_multiple(images, model.stride)
    return model.translate(padded, direction, **kwargs)[:, :height, :width, :]
