"""Decoding and preprocessing single images, as the official UNIT/MUNIT/CycleGAN loaders do.

Every function here is a pure tf function on one image, usable inside `tf.data.Dataset.map`.
"""

import tensorflow as tf

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")


def decode_rgb(image_bytes):
    """JPEG/PNG/BMP/GIF bytes -> uint8 [H, W, 3]: greyscale is repeated, alpha dropped, palettes
    expanded, 16-bit PNG scaled to 8 bits, animated GIFs give their first frame. JPEGs are
    decoded with the accurate integer DCT, bit for bit as PIL (the official loaders, and the FID
    reference) decodes them; TF's default DCT differs by up to 13 grey levels."""
    image = tf.cond(
        tf.io.is_jpeg(image_bytes),
        lambda: tf.io.decode_jpeg(image_bytes, channels=3, dct_method="INTEGER_ACCURATE"),
        lambda: tf.io.decode_image(image_bytes, channels=3, dtype=tf.uint8,
                                   expand_animations=False))
    image.set_shape([None, None, 3])
    return image


def _header_bytes(image_bytes, count=32):
    """The first `count` bytes as int64 [count] (zero-padded when the data is shorter)."""
    head = tf.strings.substr(tf.strings.join([tf.strings.substr(image_bytes, 0, count),
                                              tf.constant(b"\0" * count)]), 0, count)
    return tf.cast(tf.io.decode_raw(head, tf.uint8), tf.int64)


def _number(head, start, size, big_endian):
    digits = [head[start + i] for i in range(size)]
    if not big_endian:
        digits.reverse()
    value = tf.constant(0, tf.int64)
    for digit in digits:
        value = value * 256 + digit
    return value


def encoded_image_size(image_bytes):
    """int64 [height, width] of JPEG/PNG/GIF/BMP bytes read from the header alone (nothing is
    decompressed, so a decompression bomb costs nothing here); [-1, -1] for other data."""
    head = _header_bytes(image_bytes)
    png = tf.reduce_all(tf.equal(head[:8], [137, 80, 78, 71, 13, 10, 26, 10]))
    gif = tf.reduce_all(tf.equal(head[:3], [71, 73, 70]))
    bmp = tf.reduce_all(tf.equal(head[:2], [66, 77]))

    def bmp_size():
        height = _number(head, 22, 4, False)
        height = tf.where(height >= 2 ** 31, 2 ** 32 - height, height)  # top-down BMPs
        return tf.stack([height, _number(head, 18, 4, False)])

    return tf.case([
        (png, lambda: tf.stack([_number(head, 20, 4, True), _number(head, 16, 4, True)])),
        (gif, lambda: tf.stack([_number(head, 8, 2, False), _number(head, 6, 2, False)])),
        (bmp, bmp_size),
        (tf.io.is_jpeg(image_bytes),
         lambda: tf.cast(tf.io.extract_jpeg_shape(image_bytes)[:2], tf.int64)),
    ], default=lambda: tf.constant([-1, -1], tf.int64), exclusive=True)


def check_encoded_size(image_bytes, max_pixels):
    """`image_bytes`, after checking from the header that the image has at most `max_pixels`
    (H*W) pixels; an InvalidArgumentError names the size and the limit otherwise."""
    size = encoded_image_size(image_bytes)
    if tf.executing_eagerly():  # a plain message, not the graph Assert's summary
        height, width = (int(v) for v in size.numpy())
        if height * width > max_pixels:
            raise tf.errors.InvalidArgumentError(
                None, None, f"image of {height}x{width} pixels is larger than the "
                            f"{max_pixels}-pixel limit (H*W), checked before decoding")
        return image_bytes
    check = tf.debugging.Assert(
        size[0] * size[1] <= max_pixels,
        [f"image larger than the {max_pixels}-pixel limit (H*W), checked before decoding; got "
         "height, width", size[0], size[1]])
    with tf.control_dependencies([check]):
        return tf.identity(image_bytes)


def decode_rgb_limited(image_bytes, max_pixels):
    """`decode_rgb` of images of at most `max_pixels` (H*W), checked before decoding."""
    return decode_rgb(check_encoded_size(image_bytes, max_pixels))


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
