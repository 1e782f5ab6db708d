"""unit_tf.data.augment: the geometry of each transform, the ranges of the random draw, and a
draw that is a pure function of its seed; the random colours of grey digits."""

import math

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.data.augment import (affine_parameters, affine_transforms, random_affine,
                                   random_colours, warp)


def one_pixel(row, col, size=9, width=None):
    x = np.zeros((1, size, width or size, 1), np.float32)
    x[0, row, col, 0] = 1.0
    return tf.constant(x)


def bright(images):
    """(row, col) of each image's brightest pixel."""
    flat = images.numpy().reshape(images.shape[0], -1).argmax(axis=1)
    return [divmod(int(i), images.shape[2]) for i in flat]


def transform(zoom=1.0, angle=0.0, shift_x=0.0, shift_y=0.0, height=9, width=9):
    return affine_transforms(*(tf.constant([v], tf.float32)
                               for v in (zoom, angle, shift_x, shift_y)), height, width)


def test_a_shift_moves_the_content_the_other_way_by_whole_pixels():
    moved = warp(one_pixel(4, 4), transform(shift_x=2.0, shift_y=-1.0))
    assert bright(moved) == [(5, 2)]
    assert float(tf.reduce_sum(moved)) == pytest.approx(1.0)


def test_a_quarter_turn_rotates_about_the_centre_of_a_non_square_image():
    # 7 rows x 9 columns: centre (3, 4); a pixel 2 columns right of it
    turned = warp(one_pixel(3, 6, size=7, width=9),
                  transform(angle=math.pi / 2, height=7, width=9))
    assert bright(turned) == [(1, 4)]  # now 2 rows above the centre


def test_a_zoom_of_two_doubles_a_centred_square():
    x = np.zeros((1, 17, 17, 1), np.float32)
    x[0, 6:11, 6:11] = 1.0  # 5x5 around the centre (8, 8)
    zoomed = warp(tf.constant(x), transform(zoom=2.0, height=17, width=17)).numpy()[0, ..., 0]
    assert (zoomed[8] > 0.5).sum() in (9, 10) and (zoomed[:, 8] > 0.5).sum() in (9, 10)


def test_identity_and_strength_zero_keep_the_images():
    x = tf.random.stateless_uniform([2, 8, 6, 3], [0, 1])
    np.testing.assert_allclose(warp(x, tf.tile(transform(height=8, width=6), [2, 1])), x,
                               atol=1e-6)
    assert random_affine(x, 0.0, [0, 1]) is x


def test_the_draw_stays_in_its_ranges_and_is_a_function_of_the_seed():
    zoom, angle, sx, sy = (v.numpy() for v in affine_parameters(4000, 0.2, [3, 4]))
    assert 0.8 <= zoom.min() < 0.82 and 1.18 < zoom.max() <= 1.2
    assert np.abs(angle).max() <= 0.2 * math.pi / 3 + 1e-6 and np.abs(angle).max() > 0.2
    assert np.abs(sx).max() <= 0.2 and np.abs(sy).max() <= 0.2 and abs(sx.mean()) < 0.01
    x = tf.random.stateless_uniform([3, 32, 32, 3], [0, 1], -1.0, 1.0)
    first = random_affine(x, 0.15, tf.constant([5, 6], tf.int64))
    np.testing.assert_array_equal(first, random_affine(x, 0.15, tf.constant([5, 6], tf.int64)))
    assert not np.allclose(first, random_affine(x, 0.15, tf.constant([5, 7], tf.int64)))
    assert first.shape == x.shape and first.dtype == x.dtype


def test_random_colours_paint_paper_and_ink_and_keep_the_grey_level_between_them():
    grey = np.zeros([3, 4, 5, 3], np.float32) - 1.0  # paper everywhere ...
    grey[:, 1, 2] = 1.0  # ... one ink pixel ...
    grey[:, 2, 3] = 0.0  # ... and one half-way pixel
    seed = tf.constant([3, 9], tf.int64)
    painted = random_colours(tf.constant(grey), seed).numpy()
    assert painted.shape == (3, 4, 5, 3)
    paper, ink = painted[:, 0, 0], painted[:, 1, 2]  # [3 images, RGB]
    np.testing.assert_allclose(painted[:, 3, 4], paper)  # one paper colour per image
    np.testing.assert_allclose(painted[:, 2, 3], (paper + ink) / 2, atol=1e-6)
    assert np.all(np.abs(painted) <= 1.0)
    assert len({tuple(np.round(c, 4)) for c in paper}) == 3  # each image draws its own
    np.testing.assert_array_equal(painted, random_colours(tf.constant(grey), seed))
    assert not np.allclose(painted, random_colours(tf.constant(grey), seed + [0, 1]))
    # the draw is not the affine draw of the same seed (a batch takes both with one seed)
    u = tf.random.stateless_uniform([2, 3, 1, 1, 3], seed, -1.0, 1.0).numpy()
    assert not np.allclose(paper, u[0, :, 0, 0])


def test_random_colours_read_one_channel_digits_as_their_grey_level():
    grey = tf.random.stateless_uniform([2, 6, 6, 1], [1, 2], -1.0, 1.0)
    np.testing.assert_allclose(random_colours(grey, [4, 4]),
                               random_colours(tf.tile(grey, [1, 1, 1, 3]), [4, 4]), atol=1e-6)
