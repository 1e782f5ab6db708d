import os

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import PROJECT_ROOT
from unit_tf.config import DataConfig
from unit_tf.data import DataError, PairedData, UnpairedData, centred_pairs
from unit_tf.data.sources import side_by_side_source

FACADES_TINY = str(PROJECT_ROOT / "demo_data" / "facades_tiny")


def side_by_side(tmp_path, count=5, height=24, width=40, splits=("train", "val")):
    """A|B PNGs whose right half is the negative of the left: B = 255 - A, pixel for pixel; a
    non-square half, so resizing and cropping differ from identity."""
    rs = np.random.RandomState(0)
    for split in splits:
        os.makedirs(tmp_path / split, exist_ok=True)
        for i in range(count):
            a = rs.randint(0, 256, (height, width // 2, 3)).astype(np.uint8)
            a[..., 0] = i * 25  # which image this is, readable from the red channel of A
            pair = np.concatenate([a, 255 - a], axis=1)
            tf.io.write_file(str(tmp_path / split / f"{i}.png"), tf.io.encode_png(pair))
    return str(tmp_path)


def config(data_dir, **kw):
    kw = {"layout": "side_by_side", "resize": "square", "load_size": 20, "crop_size": 16,
          "batch_size": 4, **kw}
    return DataConfig(data_dir=data_dir, **kw)


def test_both_halves_get_the_same_resize_crop_and_flip(tmp_path):
    data = PairedData(config(side_by_side(tmp_path)), seed=3)
    assert len(data) == 5
    for batch in data.dataset().take(4):
        a, b = batch["a"].numpy(), batch["b"].numpy()
        assert a.shape == b.shape == (4, 16, 16, 3)
        # B = 255 - A survives any jitter applied identically: in [-1, 1], b = -a
        np.testing.assert_allclose(b, -a, atol=1e-4)


def test_paired_stream_resumes_exactly_and_is_seeded(tmp_path):
    data = PairedData(config(side_by_side(tmp_path), batch_size=1), seed=1)
    full = [x["a"].numpy() for x in data.dataset().take(6)]
    resumed = [x["a"].numpy() for x in data.dataset(start_step=2).take(4)]
    for x, y in zip(full[2:], resumed):
        np.testing.assert_array_equal(x, y)


def test_display_pairs_come_from_test_or_val(tmp_path):
    data = PairedData(config(side_by_side(tmp_path), load_size=16), seed=0)
    shown = data.display_images(3)
    assert shown["a"].shape == (3, 16, 16, 3)
    np.testing.assert_allclose(shown["b"].numpy(), -shown["a"].numpy(), atol=1e-4)


def test_centred_pairs_process_both_halves_alike_and_keep_the_order(tmp_path):
    source = side_by_side_source(side_by_side(tmp_path, count=4, height=24, width=40), "test")
    pairs = centred_pairs(source, 10, 12, 12, "short_side")  # more asked than there are
    assert pairs["a"].shape == pairs["b"].shape == (4, 12, 12, 3)
    np.testing.assert_allclose(pairs["b"].numpy(), -pairs["a"].numpy(), atol=1e-4)
    red = (pairs["a"].numpy()[:, 0, 0, 0] + 1.0) * 127.5  # image i has red level 25 i
    np.testing.assert_allclose(red, [0, 25, 50, 75], atol=1.0)
    assert centred_pairs(source, 2, 12, 12)["a"].shape[0] == 2
    with pytest.raises(DataError, match="no A|B images"):
        centred_pairs(source, 0, 12, 12)


def test_unpaired_side_by_side_draws_halves_of_different_images(tmp_path):
    data = UnpairedData(config(side_by_side(tmp_path, count=8), batch_size=1), seed=0)
    paired = 0
    for batch in data.dataset().take(40):
        a, b = batch["a"].numpy()[0], batch["b"].numpy()[0]
        paired += int(np.allclose(b, -a, atol=1e-4))
        assert a.shape == (16, 16, 3)
    assert paired < 20  # independent shuffles: mostly halves of different images
    assert len(data) == 8


def test_bundled_facades_are_labels_on_the_right():
    data = PairedData(config(FACADES_TINY, load_size=64, crop_size=64, batch_size=2), seed=0)
    assert len(data) == 16
    shown = data.display_images(2)
    assert shown["a"].shape == shown["b"].shape == (2, 64, 64, 3)


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(DataError, match="no train/ folder of A|B images"):
        PairedData(config(str(tmp_path)))
    with pytest.raises(DataError, match="--layout=side_by_side"):
        PairedData(DataConfig(data_dir=str(tmp_path)))
    with pytest.raises(DataError, match="does not exist"):
        PairedData(config(str(tmp_path / "missing")))
    # the two-folder layout given as side-by-side: say which layout it is
    (tmp_path / "trainA").mkdir()
    (tmp_path / "trainB").mkdir()
    with pytest.raises(DataError, match="holds trainA/ and trainB/.*use --layout=domains"):
        PairedData(config(str(tmp_path)))
    # no --data_dir at all: what it must hold, and where the examples are
    with pytest.raises(DataError, match="--data_dir is required.*trainA/ and trainB/.*"
                                        "flags/unit_tiny.flags"):
        PairedData(config(""))
    with pytest.raises(ValueError, match="data.source='npz' has no such layout"):
        DataConfig(source="npz", layout="side_by_side")
