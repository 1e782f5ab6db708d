"""Decoding and preprocessing single images, as the official UNIT/MUNIT/CycleGAN loaders do.

Every function here is a pure tf function on one image, usable inside `tf.data.Dataset.map`.
"""

import tensorflow as tf

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")


def decode_rgb(image_bytes):
    """JPEG/PNG/BMP/GIF bytes -> uint8 [H, W, 3]: greyscale is repeated, alpha dropped, palettes
    expanded, 16-bit PNG scaled to 8 bits, animated GIFs give their first frame."""
    image = tf.io.decode_image(image_bytes, channels=3, dtype=tf.uint8, expand_animations=False)
    image.set_shape([None, None, 3])
    return image


def to_signed(image_uint8):
    """uint8 [0, 255] -> float32 [-1, 1] (`Normalize((0.5,)*3, (0.5,)*3)` after ToTensor)."""
    return tf.cast(image_uint8, tf.float32) / 127.5 - 1.0


def to_uint8(image_signed):
    """float [-1, 1] -> uint8 [0, 255], rounded and clipped."""
    return tf.cast(tf.clip_by_value(tf.round((tf.cast(image_signed, tf.float32) + 1.0) * 127.5),
                                    0.0, 255.0), tf.uint8)


def resize_short_side(image, size):
    """Resize so the short side equals `size`, keeping the aspect ratio (torchvision `Resize(int)`,
    bilinear with antialiasing). Works on uint8 or float; returns float32."""
    shape = tf.shape(image)
    h, w = tf.cast(shape[0], tf.float32), tf.cast(shape[1], tf.float32)
    scale = tf.cast(size, tf.float32) / tf.minimum(h, w)
    new_h = tf.maximum(tf.cast(tf.round(h * scale), tf.int32), size)
    new_w = tf.maximum(tf.cast(tf.round(w * scale), tf.int32), size)
    return tf.image.resize(tf.cast(image, tf.float32), [new_h, new_w], method="bilinear",
                           antialias=True)


def resize_square(image, size):
    """Resize to size x size, ignoring the aspect ratio (junyanz `resize_and_crop`: Resize([load,
    load]), bicubic there, bilinear with antialiasing here). Returns float32."""
    return tf.image.resize(tf.cast(image, tf.float32), [size, size], method="bilinear",
                           antialias=True)


RESIZES = {"short_side": resize_short_side, "square": resize_square}


def _resize(image, size, resize):
    if resize not in RESIZES:
        raise ValueError(f"resize={resize!r} is not one of {', '.join(RESIZES)}")
    return RESIZES[resize](image, size)


def split_side_by_side(image):
    """A|B image [H, W, C] -> (A [H, W//2, C], B [H, W//2, C]): left and right halves (the
    pix2pix layout; an odd last column is dropped)."""
    half = tf.shape(image)[1] // 2
    return image[:, :half], image[:, half:2 * half]


def train_preprocess(image_uint8, seed, load_size, crop_size, flip=True, resize="short_side"):
    """Official training transform: resize (short side, or square) -> random crop -> random flip
    -> [-1, 1]. Any channel count: A and B stacked on channels get the same crop and flip.

    `seed` is a [2] int tensor: the randomness is stateless, so the same element index always
    gets the same crop and flip (what makes a checkpointed pipeline resume exactly).
    """
    channels = image_uint8.shape[-1]
    image = _resize(image_uint8, load_size, resize)
    crop_seed, flip_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    image = tf.image.stateless_random_crop(image, [crop_size, crop_size, channels], crop_seed)
    if flip:
        image = tf.image.stateless_random_flip_left_right(image, flip_seed)
    return tf.clip_by_value(image / 127.5 - 1.0, -1.0, 1.0)


def center_preprocess(image_uint8, load_size, crop_size, resize="short_side"):
    """Deterministic counterpart for sample grids: resize, centre crop, [-1, 1]."""
    channels = image_uint8.shape[-1]
    image = _resize(image_uint8, load_size, resize)
    shape = tf.shape(image)
    top = (shape[0] - crop_size) // 2
    left = (shape[1] - crop_size) // 2
    image = image[top:top + crop_size, left:left + crop_size]
    image.set_shape([crop_size, crop_size, channels])
    return tf.clip_by_value(image / 127.5 - 1.0, -1.0, 1.0)
