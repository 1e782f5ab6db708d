"""Input checks shared by every serving signature: they fail with messages naming the problem."""

import tensorflow as tf


def gate_shape(tensor, ok, static_shape, message, *details):
    """`tensor` with `static_shape` set when the runtime predicate `ok` holds; otherwise an
    InvalidArgumentError carrying `message`, the tensor's shape and `details`.

    The signatures declare an unknown rank on purpose: TF Serving feeds tensors of any shape, and
    with a declared rank TF folds a rank check away (and shape inference then fails inside the
    network with an obscure message). Gating through a `tf.cond` makes the check run first.
    """

    def refuse():
        fail = tf.debugging.Assert(False, [message, tf.shape(tensor), *details], summarize=8)
        with tf.control_dependencies([fail]):
            return tf.zeros([0 if d is None else d for d in static_shape], tensor.dtype)

    gated = tf.cond(ok, lambda: tf.identity(tensor), refuse)
    gated.set_shape(static_shape)
    return gated


def check_images(images, max_pixels, rank=4):
    """Refuse a batch that is not [B, H, W, 3] (an image that is not [H, W, 3] for rank 3) or
    whose images are larger than `max_pixels` (H*W), with messages naming the expectation."""
    expected = [None, None, None, 3] if rank == 4 else [None, None, 3]
    wanted = "[batch, height, width, 3]" if rank == 4 else "[height, width, 3]"
    shape = tf.shape(images)
    ok = tf.logical_and(tf.equal(tf.size(shape), rank), tf.equal(shape[-1], 3))
    images = gate_shape(images, ok, expected, f"images must have shape {wanted}; got")
    shape = tf.shape(images)
    pixels = tf.cast(shape[-3], tf.int64) * tf.cast(shape[-2], tf.int64)
    checks = [tf.debugging.assert_less_equal(
        pixels, tf.constant(max_pixels, tf.int64),
        message=f"image larger than the {max_pixels}-pixel limit (H*W) of this SavedModel")]
    if rank == 4:
        checks.append(tf.debugging.assert_positive(
            shape[0], message="images must hold at least one image (the batch is empty)"))
    checks.append(tf.debugging.assert_positive(
        pixels, message="images must have at least one pixel (height and width > 0)"))
    with tf.control_dependencies(checks):
        return tf.identity(images)


def check_styles(style, batch, style_dim):
    """[B, style_dim] or [1, style_dim] (broadcast over the batch) float32 style codes."""
    shape = tf.shape(style)
    ok = tf.logical_and(tf.equal(tf.size(shape), 2), tf.equal(shape[-1], style_dim))
    ok = tf.logical_and(ok, tf.logical_or(tf.equal(shape[0], 1), tf.equal(shape[0], batch)))
    style = gate_shape(style, ok, [None, style_dim],
                       f"style must have shape [batch or 1, {style_dim}]; got", "for a batch of",
                       batch)
    return tf.broadcast_to(style, tf.stack([batch, style_dim]))
