"""Spatial padding applied before a 'valid' convolution, as the official `Conv2dBlock` does."""

import keras
import tensorflow as tf

_MODES = {"reflect": "REFLECT", "zero": "CONSTANT"}


def pad_spatial(x, padding, pad_type="reflect", axes=(1, 2)):
    """Pad H and W (or only the `axes` of them) of an NHWC tensor by `padding` on each side:
    [B, H, W, C] -> [B, H + 2p, W + 2p, C] (reflect: PyTorch's ReflectionPad2d; zero:
    ZeroPad2d)."""
    if padding == 0:
        return x
    amounts = [[padding, padding] if axis in axes else [0, 0] for axis in range(4)]
    return tf.pad(x, amounts, mode=_MODES[pad_type])


@keras.saving.register_keras_serializable(package="unit_tf")
class Pad2D(keras.layers.Layer):
    """Pads H and W of an NHWC tensor by `padding` on each side.

    `pad_type='reflect'` is PyTorch's `ReflectionPad2d` (TFLite `MIRROR_PAD`); 'zero' is
    `ZeroPad2d`. Shape: [B, H, W, C] -> [B, H + 2p, W + 2p, C].
    """

    def __init__(self, padding: int = 1, pad_type: str = "reflect", **kwargs):
        super().__init__(**kwargs)
        if pad_type not in _MODES:
            raise ValueError(f"pad_type={pad_type!r} is not one of {', '.join(_MODES)}")
        if padding < 0:
            raise ValueError(f"padding={padding} must be >= 0")
        self.padding = int(padding)
        self.pad_type = pad_type

    def call(self, x):
        return pad_spatial(x, self.padding, self.pad_type)

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        grow = lambda n: None if n is None else n + 2 * self.padding  # noqa: E731
        return (b, grow(h), grow(w), c)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "pad_type": self.pad_type}
