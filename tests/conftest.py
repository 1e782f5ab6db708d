"""Test configuration: quiet TF, a fixed seed, and paths to ../shared (skipped when absent)."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Two logical CPU devices, so MirroredStrategy is exercised on a machine without GPUs. This must
# happen before TensorFlow initialises its runtime, i.e. before any test runs an op.
try:
    tf.config.set_logical_device_configuration(
        tf.config.list_physical_devices("CPU")[0],
        [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
except RuntimeError:
    pass

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = pathlib.Path(os.environ.get("UNIT_TF_SHARED", PROJECT_ROOT.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "official"
DATASETS = SHARED / "datasets"


def require(path: pathlib.Path) -> pathlib.Path:
    """Skip the calling test, naming the path, when shared material is not beside the project."""
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside the project)")
    return path


@pytest.fixture(autouse=True)
def _seed_and_policy():
    import keras

    keras.utils.set_random_seed(1234)
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")
