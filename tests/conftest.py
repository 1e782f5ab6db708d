"""Test configuration: quiet TF, a fixed seed, and paths to ../shared (skipped when absent)."""

import atexit
import os
import pathlib
import shutil
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# oneDNN (on by default on recent x86 CPUs) is outside TF's op determinism: the bit-exact resume
# tests need it off (unit_tf.training.runtime.ONEDNN_NOT_DETERMINISTIC). tests/cli/main_test.py
# runs the command line with it on, as a user on such a machine runs it.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# FID weights converted by a test (or by `unit-tf eval --fid=auto` in a subprocess) go to a
# temporary cache, never to the user's ~/.cache/unit_tf.
if "UNIT_TF_CACHE" not in os.environ:
    os.environ["UNIT_TF_CACHE"] = tempfile.mkdtemp(prefix="unit_tf_test_cache_")
    atexit.register(shutil.rmtree, os.environ["UNIT_TF_CACHE"], ignore_errors=True)

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from unit_tf.training.runtime import run_one_op_at_a_time  # noqa: E402

# The bit-exact resume tests train in this process with runtime.deterministic, which needs one
# inter-op thread; that is fixed when TF's runtime starts, so it is set here, before any op.
assert run_one_op_at_a_time(), "TF started before tests/conftest.py"

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


def stand_in_fid_weights(path, seed=0):
    """An .npz in the FID converter's format from a randomly initialised network (no torch):
    for tests of the plumbing, not of the numbers."""
    import numpy as np

    from unit_tf.evaluation.fid_weights import weight_key
    from unit_tf.networks.fid_inception import MIN_SIZE, FIDInceptionV3

    model = FIDInceptionV3()
    model(np.zeros((1, MIN_SIZE, MIN_SIZE, 3), np.float32))
    rs = np.random.RandomState(seed)
    arrays = {weight_key(v.path): rs.normal(0, 0.05, v.shape).astype(np.float32)
              for v in model.weights}
    np.savez(path, **arrays)
    return arrays


@pytest.fixture(scope="session")
def _stand_in_fid_dir(tmp_path_factory):
    from unit_tf.evaluation.fid_weights import WEIGHTS_FILE

    folder = tmp_path_factory.mktemp("fid_cache")
    stand_in_fid_weights(folder / WEIGHTS_FILE)
    return folder


@pytest.fixture
def stand_in_fid_cache(_stand_in_fid_dir, monkeypatch):
    """UNIT_TF_CACHE pointing at stand-in FID weights (subprocesses inherit it)."""
    monkeypatch.setenv("UNIT_TF_CACHE", str(_stand_in_fid_dir))
    return _stand_in_fid_dir
