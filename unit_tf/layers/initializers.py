"""Weight initialisers named as in the official code (`weights_init(init_type)`)."""

import keras

INIT_TYPES = ("kaiming", "gaussian", "normal", "xavier", "glorot", "default")


def get_initializer(init_type: str, seed=None):
    """Kernel initialiser for `init_type`; biases are always zero, as `weights_init` sets them.

    kaiming:  PyTorch `kaiming_normal_(a=0, mode='fan_in')`, an UNTRUNCATED normal with
              std sqrt(2 / fan_in) (Keras' `HeNormal` is truncated, so it is not used).
    gaussian: N(0, 0.02), the official UNIT/MUNIT discriminator initialisation.
    normal:   junyanz `init_weights('normal', 0.02)`: kernels N(0, 0.02) and, unlike gaussian,
              batch-norm scales N(1, 0.02) (see `norm_scale_initializer`).
    """
    if init_type == "kaiming":
        return keras.initializers.VarianceScaling(
            scale=2.0, mode="fan_in", distribution="untruncated_normal", seed=seed)
    if init_type in ("gaussian", "normal"):
        return keras.initializers.RandomNormal(mean=0.0, stddev=0.02, seed=seed)
    if init_type in ("xavier", "glorot"):
        return keras.initializers.GlorotNormal(seed=seed)
    if init_type == "default":
        return keras.initializers.GlorotUniform(seed=seed)
    raise ValueError(f"unknown init_type {init_type!r}; choose one of {', '.join(INIT_TYPES)}")


def norm_scale_initializer(init_type: str, seed=None):
    """Initialiser of a batch-norm scale: N(1, 0.02) for junyanz 'normal', else ones."""
    if init_type == "normal":
        return keras.initializers.RandomNormal(mean=1.0, stddev=0.02, seed=seed)
    return "ones"
