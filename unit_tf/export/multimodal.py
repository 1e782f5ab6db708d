"""Serving signatures of multimodal (MUNIT) models, for each direction d:

    d_style    images float32 [B, H, W, 3], style float32 [B or 1, style_dim] -> images float32
    d_guided   images float32 [B, H, W, 3], style_images float32 [B or 1, h, w, 3] (references
               from the target domain, any size) -> images float32 in their style
    d_random   images float32 [B, H, W, 3], seed int64 [] -> images float32 with styles drawn
               from N(0, I) by that seed (the same seed gives the same output)
The plain d / d_uint8 / d_bytes signatures use one fixed style, that of seed 0
(`default_style`), for every image, so serving is deterministic.
"""

import tensorflow as tf

from unit_tf.export.validation import check_images, check_styles
from unit_tf.models import parse_direction
from unit_tf.models.base import translate_full_resolution


def default_style(model, images):
    """The style of seed 0, the same for every image, baked in as a constant (no random op in
    the graph, so the plain signatures also convert to TFLite)."""
    with tf.init_scope():
        style = model.sample_style(1, seed=tf.constant([0, 0], tf.int64)).numpy()
    return tf.tile(tf.constant(style), tf.stack([tf.shape(images)[0], 1]))


def style_signatures(model, direction, max_pixels):
    """{name: (fn, input_signature)} of the three style signatures of `direction`."""
    _, tgt = parse_direction(direction)
    style_dim = model.style_dim

    def translate(images, style):
        return {"images": translate_full_resolution(model, images, direction, style=style)}

    def with_style(images, style):
        images = check_images(images, max_pixels)
        return translate(images, check_styles(style, tf.shape(images)[0], style_dim))

    def guided(images, style_images):
        images = check_images(images, max_pixels)
        references = check_images(style_images, max_pixels)
        style = model.style_encoders[tgt](references)  # [B or 1, style_dim]
        return translate(images, check_styles(style, tf.shape(images)[0], style_dim))

    def random(images, seed):
        images = check_images(images, max_pixels)
        seed = tf.stack([tf.cast(tf.reshape(seed, []), tf.int64), tf.constant(0, tf.int64)])
        return translate(images, model.sample_style(tf.shape(images)[0], seed=seed))

    images = tf.TensorSpec(None, tf.float32, name="images")
    return {
        f"{direction}_style": (with_style, [images, tf.TensorSpec(None, tf.float32,
                                                                  name="style")]),
        f"{direction}_guided": (guided, [images, tf.TensorSpec(None, tf.float32,
                                                               name="style_images")]),
        f"{direction}_random": (random, [images, tf.TensorSpec([], tf.int64, name="seed")]),
    }
