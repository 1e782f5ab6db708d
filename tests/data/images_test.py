import numpy as np
import tensorflow as tf

from unit_tf.data.images import (center_preprocess, resize_short_side, to_signed, to_uint8,
                                 train_preprocess)


def test_signed_uint8_round_trip_is_exact():
    x = np.arange(256, dtype=np.uint8).reshape(1, 16, 16, 1)
    np.testing.assert_array_equal(to_uint8(to_signed(x)).numpy(), x)
    assert float(to_signed(np.uint8(0))) == -1.0 and float(to_signed(np.uint8(255))) == 1.0


def test_short_side_resize_keeps_aspect():
    assert tuple(resize_short_side(tf.zeros([40, 100, 3]), 20).shape) == (20, 50, 3)
    assert tuple(resize_short_side(tf.zeros([90, 30, 3]), 15).shape) == (45, 15, 3)


def test_train_preprocess_is_a_function_of_its_seed():
    image = tf.constant(np.random.RandomState(0).randint(0, 255, (40, 60, 3), dtype=np.uint8))
    a = train_preprocess(image, tf.constant([1, 2], tf.int64), 32, 24)
    b = train_preprocess(image, tf.constant([1, 2], tf.int64), 32, 24)
    c = train_preprocess(image, tf.constant([1, 3], tf.int64), 32, 24)
    assert tuple(a.shape) == (24, 24, 3)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())


def test_center_preprocess_shape():
    assert tuple(center_preprocess(tf.zeros([50, 80, 3], tf.uint8), 32, 32).shape) == (32, 32, 3)


def test_jpeg_decodes_as_pil_bit_for_bit_and_png_unchanged(tmp_path):
    from PIL import Image

    from unit_tf.data.images import decode_rgb

    image = np.random.RandomState(1).randint(0, 256, (40, 56, 3)).astype(np.uint8)
    Image.fromarray(image).save(tmp_path / "x.jpg", quality=75)
    Image.fromarray(image).save(tmp_path / "x.png")
    jpeg = decode_rgb(tf.io.read_file(str(tmp_path / "x.jpg"))).numpy()
    np.testing.assert_array_equal(jpeg, np.asarray(Image.open(tmp_path / "x.jpg").convert("RGB")))
    assert np.abs(jpeg.astype(int) - image).max() > 0  # lossy: a real JPEG path was taken
    np.testing.assert_array_equal(decode_rgb(tf.io.read_file(str(tmp_path / "x.png"))), image)
    inside = tf.function(decode_rgb)(tf.io.read_file(str(tmp_path / "x.jpg")))  # traced too
    np.testing.assert_array_equal(inside, jpeg)
