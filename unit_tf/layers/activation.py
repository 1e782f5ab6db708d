"""Activation layers by the official names, with the LeakyReLU slope always explicit."""

import keras

ACTIVATIONS = ("relu", "lrelu", "tanh", "none")


def make_activation(activation: str, negative_slope: float = 0.2, name=None, dtype=None):
    """A layer for `activation`, or None for 'none'.

    'lrelu' uses `negative_slope` (0.2 in the official UNIT/MUNIT/junyanz code; Keras' own
    default of 0.3 and PyTorch's of 0.01 are both different, so it is never left implicit).
    """
    if activation == "relu":
        return keras.layers.ReLU(name=name, dtype=dtype)
    if activation == "lrelu":
        return keras.layers.LeakyReLU(negative_slope=negative_slope, name=name, dtype=dtype)
    if activation == "tanh":
        return keras.layers.Activation("tanh", name=name, dtype=dtype)
    if activation == "none":
        return None
    raise ValueError(f"activation={activation!r} is not one of {', '.join(ACTIVATIONS)}")
