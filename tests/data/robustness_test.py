"""Bad files in a training folder: skipped, counted and named; a folder with no decodable image
stops the stream with a message naming it, never a hang."""

import io
import os
import time

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import DataConfig
from unit_tf.data import DataError, UnpairedData

RS = np.random.RandomState(0)


def png(shape, dtype=np.uint8):
    high = 65535 if dtype == np.uint16 else 255
    return tf.io.encode_png(RS.randint(0, high, shape).astype(dtype)).numpy()


def jpeg(shape=(20, 24, 3)):
    return tf.io.encode_jpeg(RS.randint(0, 255, shape).astype(np.uint8)).numpy()


def palette_png():
    image = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    image.fromarray(RS.randint(0, 255, (12, 10, 3)).astype(np.uint8)).convert("P").save(
        buffer, format="PNG")
    return buffer.getvalue()


def every_kind_of_file(folder):
    """Good files of every format variant, and every kind of bad one; returns the bad names
    the pipeline (not the up-front header check) must skip."""
    folder.mkdir(parents=True)
    good = {"rgb.png": png((16, 20, 3)), "grey.png": png((18, 16, 1)),
            "rgba.png": png((16, 16, 4)), "deep.png": png((16, 16, 3), np.uint16),
            "palette.png": palette_png(), "photo.jpg": jpeg(), "tiny.png": png((2, 3, 3))}
    truncated = jpeg()
    bad = {"truncated.jpg": truncated[:len(truncated) // 2],
           "corrupt.png": png((16, 16, 3))[:40] + b"\0" * 300,
           "zero.png": b"", "notes.jpg": b"this is not an image"}
    for name, data in {**good, **bad}.items():
        (folder / name).write_bytes(data)
    return ["truncated.jpg", "corrupt.png"]


def data_config(root, **kw):
    return DataConfig(**{"data_dir": str(root), "load_size": 16, "crop_size": 16,
                         "batch_size": 2, **kw})


def test_every_bad_file_kind_is_skipped_counted_and_named(tmp_path, caplog):
    undecodable = every_kind_of_file(tmp_path / "trainA")
    (tmp_path / "trainB").mkdir()
    for i in range(4):
        (tmp_path / "trainB" / f"{i}.png").write_bytes(png((16, 16, 3)))
    data = UnpairedData(data_config(tmp_path), seed=1)
    # the up-front header check dropped the empty and the non-image file, by name
    assert "zero.png (empty file)" in caplog.text and "notes.jpg (not a JPEG" in caplog.text
    assert len(data.sources["a"]) == 9
    batches = list(data.dataset().take(20))  # several epochs of trainA
    assert all(b["a"].shape == (2, 16, 16, 3) and b["b"].shape == (2, 16, 16, 3)
               for b in batches)
    assert all(np.isfinite(b["a"].numpy()).all() for b in batches)
    skipped = {os.path.basename(name) for name in data.guards["a"].failures}
    assert skipped == set(undecodable)
    report = data.failure_report()
    assert len(report) == 1 and "skipped 2 unreadable file(s), e.g." in report[0]
    assert "jpeg::Uncompress failed" in report[0] or "Invalid PNG" in report[0]
    assert "truncated.jpg" in caplog.text and "{{function_node" not in report[0]
    assert "[Op:" not in report[0]
    shown = data.display_images(9)["a"]  # display samples are chosen among decodable files
    assert shown.shape == (7, 16, 16, 3)


def test_a_file_deleted_mid_run_is_skipped_and_counted(tmp_path):
    for d in "AB":
        (tmp_path / f"train{d}").mkdir()
        for i in range(4):
            (tmp_path / f"train{d}" / f"{i}.png").write_bytes(png((16, 16, 3)))
    data = UnpairedData(data_config(tmp_path), seed=2)
    iterator = iter(data.dataset())
    next(iterator)
    os.remove(tmp_path / "trainA" / "2.png")
    for _ in range(12):
        assert next(iterator)["a"].shape == (2, 16, 16, 3)
    failures = {os.path.basename(k): v for k, v in data.guards["a"].failures.items()}
    assert list(failures) == ["2.png"]
    assert "no such file" in failures["2.png"].lower() or "not found" in failures["2.png"].lower()


def test_a_domain_with_no_decodable_image_stops_within_seconds(tmp_path):
    (tmp_path / "trainA").mkdir()
    (tmp_path / "trainA" / "0.png").write_bytes(png((16, 16, 3)))
    (tmp_path / "trainB").mkdir()
    for i in range(5):
        (tmp_path / "trainB" / f"{i}.jpg").write_bytes(jpeg()[:100])
    data = UnpairedData(data_config(tmp_path), seed=0)
    started = time.monotonic()
    with pytest.raises(tf.errors.OpError):
        next(iter(data.dataset()))
    assert time.monotonic() - started < 30
    error = data.fatal_error()
    assert isinstance(error, DataError)
    assert "trainB" in str(error) and "no decodable image in 5 tries in a row" in str(error)
