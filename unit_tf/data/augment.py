"""Random affine augmentation of small images (the digit protocols' `--augment`), and random
colours for grey digits (`--recolour`).

One strength s sets all three ranges, each drawn uniformly and independently per image:
    zoom      a factor in [1 - s, 1 + s] about the image centre
    rotation  an angle in [-60 s, 60 s] degrees
    shift     up to s * W / 2 pixels across and s * H / 2 down
s = 0.15 is a zoom of 0.85-1.15, +-9 degrees and +-2.4 pixels at 32x32. Pixels that come from
outside the image repeat its nearest edge (a digit's background, black or textured). The draw is
stateless: a pure function of the seed, so a resumed run sees the same augmented batches.
"""

import math

import tensorflow as tf

MAX_ROTATION = math.pi / 3  # radians at strength 1


def affine_parameters(count, strength, seed):
    """(zoom, angle in radians, shift_x, shift_y as fractions of half the image), each [count]
    float32, drawn for the stateless `seed` [2]."""
    u = tf.random.stateless_uniform([count, 4], seed, -1.0, 1.0)
    return (1.0 + strength * u[:, 0], strength * MAX_ROTATION * u[:, 1],
            strength * u[:, 2], strength * u[:, 3])


def affine_transforms(zoom, angle, shift_x, shift_y, height, width):
    """The [B, 8] projective transforms (output pixel -> input pixel, as
    ImageProjectiveTransformV3 reads them) of per-image zoom factors, angles in radians and
    shifts in pixels, all [B]: the output shows the input zoomed by `zoom` about the centre,
    rotated by `angle` and moved by (-shift_x, -shift_y) pixels."""
    cx, cy = (width - 1) / 2, (height - 1) / 2
    cos, sin = tf.cos(angle) / zoom, tf.sin(angle) / zoom
    zeros = tf.zeros_like(cos)
    # input = R(angle) (output - c) / zoom + c + shift
    return tf.stack([cos, -sin, cx - cos * cx + sin * cy + shift_x,
                     sin, cos, cy - sin * cx - cos * cy + shift_y, zeros, zeros], axis=1)


def warp(images, transforms):
    """images [B, H, W, C] float -> the same shape read through `transforms` [B, 8] (bilinear;
    outside the image: its nearest edge pixel)."""
    out = tf.raw_ops.ImageProjectiveTransformV3(
        images=tf.cast(images, tf.float32), transforms=transforms,
        output_shape=tf.shape(images)[1:3], fill_value=0.0, interpolation="BILINEAR",
        fill_mode="NEAREST")  # [B, H, W, C]
    return tf.cast(out, images.dtype)


def random_affine(images, strength, seed):
    """images [B, H, W, C] float -> the same shape, each image zoomed, rotated and shifted at
    random (module docstring) with the stateless `seed` [2]; strength 0 returns the images
    unchanged."""
    if strength == 0:
        return images
    shape = tf.shape(images)
    height, width = tf.cast(shape[1], tf.float32), tf.cast(shape[2], tf.float32)
    zoom, angle, shift_x, shift_y = affine_parameters(shape[0], strength, seed)
    return warp(images, affine_transforms(zoom, angle, shift_x * width / 2,
                                          shift_y * height / 2, height, width))


COLOUR_SEED_OFFSET = 104_729  # keeps the colour draw apart from the affine draw of one batch


def random_colours(images, seed):
    """Grey digits [B, H, W, C] float in [-1, 1] -> [B, H, W, 3], each image painted with two
    colours drawn uniformly and independently from the RGB cube for the stateless `seed` [2]:
    its paper (grey level -1) and its ink (grey level 1), mixed linearly by the grey level (the
    channel mean), so either may be the lighter. Nothing of any target domain enters the draw."""
    grey = (tf.reduce_mean(images, axis=-1, keepdims=True) + 1.0) / 2.0  # [B, H, W, 1] in [0, 1]
    seed = tf.cast(seed, tf.int64) + tf.constant([COLOUR_SEED_OFFSET, 0], tf.int64)
    paper, ink = tf.unstack(tf.random.stateless_uniform(
        [2, tf.shape(images)[0], 1, 1, 3], seed, -1.0, 1.0, dtype=grey.dtype))  # [B, 1, 1, 3]
    return paper + (ink - paper) * grey  # [B, H, W, 3]


def augmented_digits(images, strength, recolour, seed):
    """A batch of training digits as the protocols augment them: `random_affine` at `strength`,
    then, if `recolour`, `random_colours`, both from the stateless `seed` [2]."""
    images = random_affine(images, strength, seed)
    return random_colours(images, seed) if recolour else images
