import logging
import os

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import PROJECT_ROOT
from unit_tf.config import DataConfig
from unit_tf.data import DataError, UnpairedData, image_paths

DIGITS = str(PROJECT_ROOT / "demo_data" / "mnist2usps")


def write(path, array, fmt="png"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    encode = tf.io.encode_png if fmt == "png" else tf.io.encode_jpeg
    tf.io.write_file(str(path), encode(array))


def folder(tmp_path, count=3, size=(20, 30)):
    rs = np.random.RandomState(0)
    for split in ("trainA", "trainB"):
        for i in range(count):
            write(tmp_path / split / f"{i}.png", rs.randint(0, 255, size + (3,), dtype=np.uint8))
    return str(tmp_path)


def test_batches_from_the_bundled_digits_have_the_crop_shape_and_range():
    data = UnpairedData(DataConfig(data_dir=DIGITS, load_size=32, crop_size=24, batch_size=4))
    batch = next(iter(data.dataset()))
    for d in "ab":
        assert tuple(batch[d].shape) == (4, 24, 24, 3) and batch[d].dtype == tf.float32
        assert -1.0 <= float(tf.reduce_min(batch[d])) and float(tf.reduce_max(batch[d])) <= 1.0
    assert len(data.sources["a"]) == 1000 and len(data.sources["b"]) == 1000


def test_grey_rgba_palette_and_non_square_images_become_rgb(tmp_path):
    rs = np.random.RandomState(1)
    write(tmp_path / "trainA" / "grey.png", rs.randint(0, 255, (40, 17, 1), dtype=np.uint8))
    write(tmp_path / "trainA" / "rgba.png", rs.randint(0, 255, (25, 60, 4), dtype=np.uint8))
    write(tmp_path / "trainB" / "photo.jpg", rs.randint(0, 255, (33, 21, 3), dtype=np.uint8),
          "jpg")
    data = UnpairedData(DataConfig(data_dir=str(tmp_path), load_size=16, crop_size=16,
                                   batch_size=2))
    batch = next(iter(data.dataset()))
    assert tuple(batch["a"].shape) == (2, 16, 16, 3) and tuple(batch["b"].shape) == (2, 16, 16, 3)


def test_same_seed_same_stream_and_start_step_resumes_it(tmp_path):
    config = DataConfig(data_dir=folder(tmp_path, 5), load_size=24, crop_size=16, batch_size=2)
    full = [b["a"].numpy() for b in UnpairedData(config, seed=3).dataset().take(5)]
    again = [b["a"].numpy() for b in UnpairedData(config, seed=3).dataset().take(5)]
    resumed = [b["a"].numpy() for b in UnpairedData(config, seed=3).dataset(start_step=3).take(2)]
    other = [b["a"].numpy() for b in UnpairedData(config, seed=4).dataset().take(5)]
    for x, y in zip(full, again):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(resumed[0], full[3])
    np.testing.assert_array_equal(resumed[1], full[4])
    assert not all(np.array_equal(x, y) for x, y in zip(full, other))


def test_missing_data_dir_and_missing_domain_are_named(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        UnpairedData(DataConfig(data_dir=str(tmp_path / "nowhere")))
    os.makedirs(tmp_path / "trainA")
    with pytest.raises(DataError, match="trainB"):
        UnpairedData(DataConfig(data_dir=str(tmp_path)))


def test_empty_domain_folder_fails_fast(tmp_path):
    folder(tmp_path)
    for name in os.listdir(tmp_path / "trainB"):
        os.remove(tmp_path / "trainB" / name)
    with pytest.raises(DataError, match=r"trainB.*no readable images.*empty"):
        UnpairedData(DataConfig(data_dir=str(tmp_path)))


def test_unreadable_files_are_skipped_with_a_count_naming_them(tmp_path, caplog):
    folder(tmp_path)
    (tmp_path / "trainA" / "broken.png").write_bytes(b"this is not an image")
    (tmp_path / "trainA" / "empty.jpg").write_bytes(b"")
    with caplog.at_level(logging.WARNING):
        data = UnpairedData(DataConfig(data_dir=str(tmp_path), load_size=16, crop_size=16))
    assert len(data.sources["a"]) == 3
    assert "skipping 2 unreadable image(s) of 5" in caplog.text
    assert "broken.png" in caplog.text and "empty.jpg" in caplog.text


def test_corrupt_image_data_past_the_header_is_skipped_in_the_pipeline(tmp_path):
    folder(tmp_path, 2)
    good = (tmp_path / "trainA" / "0.png").read_bytes()
    (tmp_path / "trainA" / "truncated.png").write_bytes(good[:40])  # valid magic, bad body
    data = UnpairedData(DataConfig(data_dir=str(tmp_path), load_size=16, crop_size=16,
                                   batch_size=1))
    batches = list(data.dataset().take(6))
    assert len(batches) == 6 and all(b["a"].shape == (1, 16, 16, 3) for b in batches)


def test_display_images_prefer_the_test_split():
    data = UnpairedData(DataConfig(data_dir=DIGITS, load_size=32, crop_size=32))
    display = data.display_images(3)
    assert tuple(display["a"].shape) == (3, 32, 32, 3)
    test_first = tf.io.decode_png(tf.io.read_file(os.path.join(DIGITS, "testA", "00000.png")))
    assert float(tf.reduce_max(tf.abs(display["a"][0, 2:30, 2:30, 0] - (tf.image.resize(
        tf.cast(test_first, tf.float32), [32, 32], antialias=True)[2:30, 2:30, 0] / 127.5 - 1)))) \
        < 0.02


def test_npz_arrays_are_a_source(tmp_path):
    rs = np.random.RandomState(2)
    path = tmp_path / "digits.npz"
    np.savez(path, mnist=rs.randint(0, 255, (6, 28, 28), dtype=np.uint8),
             usps=rs.uniform(-1, 1, (4, 16, 16)).astype(np.float32))
    config = DataConfig(source="npz", npz_a=f"{path}:mnist", npz_b=f"{path}:usps", load_size=16,
                        crop_size=16, batch_size=2)
    batch = next(iter(UnpairedData(config).dataset()))
    assert tuple(batch["a"].shape) == (2, 16, 16, 3) and tuple(batch["b"].shape) == (2, 16, 16, 3)
    with pytest.raises(DataError, match="no array 'svhn'"):
        UnpairedData(DataConfig(source="npz", npz_a=f"{path}:svhn", npz_b=f"{path}:usps"))


def test_tfds_source_reads_prepared_data_offline_and_fails_fast_when_absent(tmp_path):
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=4):
        config = DataConfig(source="tfds", tfds_name="cycle_gan/horse2zebra", load_size=16,
                            crop_size=16, batch_size=2)
        batch = next(iter(UnpairedData(config).dataset()))
        assert tuple(batch["a"].shape) == (2, 16, 16, 3)
    with pytest.raises(DataError, match="not available offline.*tfds build"):
        UnpairedData(DataConfig(source="tfds", tfds_name="cycle_gan/horse2zebra",
                                tfds_data_dir=str(tmp_path)))


def test_image_paths_of_file_and_folder(tmp_path):
    folder(tmp_path, 2)
    assert len(image_paths(str(tmp_path / "trainA"))) == 2
    assert image_paths(str(tmp_path / "trainA" / "0.png")) == [str(tmp_path / "trainA" / "0.png")]
