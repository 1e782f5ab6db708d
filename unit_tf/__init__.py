"""unit_tf: UNIT, MUNIT, CycleGAN and pix2pix image-to-image translation in TensorFlow 2 / Keras 3.

Public classes are imported lazily (`unit_tf.UNIT`), so importing the package or running
`unit-tf --help` does not start TensorFlow.
"""

__version__ = "0.1.0"

_LAZY = {"UNIT": "unit_tf.models", "ExperimentConfig": "unit_tf.config",
         "UNITConfig": "unit_tf.config", "unit_preset": "unit_tf.config"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'unit_tf' has no attribute {name!r}")
