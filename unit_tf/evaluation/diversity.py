"""Multimodal diversity: how much the output of one input changes with the style code.

For each input x and K styles s_1..s_K drawn by a seed, the outputs y_k = G_tgt(E^c_src(x), s_k):
    pixel diversity     mean over pairs i < j of mean |y_i - y_j| (in [-1, 1] units; 2 = maximal)
    feature diversity   the same on the target discriminator's multi-scale outputs, each scale
                        averaged (a learned, domain-aware feature space; no download needed)
    reconstruction      mean |G_src(E_src(x)) - x|: style must not buy diversity by losing content
Reported as means over the inputs.
"""

import itertools

import numpy as np
import tensorflow as tf

from unit_tf.evaluation.batches import signed_batch_outputs
from unit_tf.models import parse_direction


def mean_pairwise_l1(outputs):
    """[K, ...] -> mean over the K(K-1)/2 pairs of the mean absolute difference (0 for K < 2)."""
    outputs = tf.cast(outputs, tf.float32)
    k = int(outputs.shape[0])
    if k < 2:
        return 0.0
    pairs = [float(tf.reduce_mean(tf.abs(outputs[i] - outputs[j])))
             for i, j in itertools.combinations(range(k), 2)]
    return float(np.mean(pairs))


def evaluate_diversity(model, images, direction="a2b", num_styles=4, seed=0):
    """images: iterable of float32 [1, H, W, 3] in [-1, 1] (sides multiples of the stride).
    Returns {"pixel_diversity", "feature_diversity", "reconstruction_l1", "images", "styles"}."""
    if num_styles < 2:
        raise ValueError(f"num_styles={num_styles}: diversity needs at least 2 styles")
    src, tgt = parse_direction(direction)
    pixel, feature, recon = [], [], []
    for index, x in enumerate(images):
        x = tf.convert_to_tensor(x, tf.float32)
        content, own_style = model.encode(x, src)
        styles = model.sample_style(num_styles, seed=tf.constant([seed, index], tf.int64))
        outputs = model.decode(tf.repeat(content, num_styles, axis=0), styles, tgt)
        pixel.append(mean_pairwise_l1(outputs))
        maps = model.discriminate(outputs, tgt)  # per scale [K, h, w, 1]
        feature.append(np.mean([mean_pairwise_l1(m) for m in maps]))
        recon.append(float(tf.reduce_mean(tf.abs(model.decode(content, own_style, src) - x))))
    if not pixel:
        raise ValueError("no images to evaluate")
    return {"pixel_diversity": float(np.mean(pixel)), "feature_diversity": float(np.mean(feature)),
            "reconstruction_l1": float(np.mean(recon)), "images": len(pixel),
            "styles": num_styles}


def pixel_spread(images):
    """The per-pixel standard deviation across images [N, H, W, C], averaged over pixels and
    channels: how much the images differ from one another."""
    return float(np.asarray(images, np.float64).std(axis=0).mean())


def translation_spread(model, images, direction="a2b", batch=256):
    """`pixel_spread` of `model.translate(., direction)` (inference mode) over `images` (uint8
    [N, H, W, 3]), in [-1, 1] units. Near 0 means every input gets the same output (the
    translator ignores its input: a collapsed generator, whose codes carry nothing to the other
    domain); compare with the inputs' own spread. Needs no labels."""
    if len(images) < 2:
        raise ValueError("translation_spread needs at least 2 images")
    translate = tf.function(lambda x: model.translate(x, direction))
    return pixel_spread(np.concatenate(signed_batch_outputs(translate, images, batch)))
