"""Paired translation quality: translations compared with their ground truth, per image.

All images are float [-1, 1], [B, H, W, C]; every function returns one value per image, [B]:
    pixel_l1          mean |y - t|
    psnr              10 log10(peak^2 / MSE) on [0, 1] images (peak 1)
    ssim              structural similarity on [0, 1] images (tf.image.ssim, 11x11 Gaussian; needs
                      sides of at least 11)
    pixel_accuracy    share of pixels whose every channel is within 16 (of 255) of the truth (the
                      UNIT paper's maps metric)
    sharpness_ratio   mean gradient magnitude of y over that of t (1 = as sharp as the truth;
                      regression to the mean, e.g. L1-only training, gives < 1)
    feature_distance  mean squared difference of instance-normalised features of y and t, under
                      any feature function (e.g. a network trained on real images of the domain)
"""

import tensorflow as tf


def _unit(images):
    return (tf.cast(images, tf.float32) + 1.0) / 2.0


def pixel_l1(outputs, targets):
    return tf.reduce_mean(tf.abs(tf.cast(outputs, tf.float32) - tf.cast(targets, tf.float32)),
                          axis=[1, 2, 3])


def psnr(outputs, targets):
    return tf.image.psnr(_unit(outputs), _unit(targets), max_val=1.0)


def ssim(outputs, targets):
    return tf.image.ssim(_unit(outputs), _unit(targets), max_val=1.0)


def pixel_accuracy(outputs, targets, tolerance=16):
    """Share of pixels with every channel within `tolerance` grey levels (0-255) of the truth."""
    diff = tf.abs(_unit(outputs) - _unit(targets)) * 255.0
    close = tf.reduce_all(diff <= float(tolerance), axis=-1)
    return tf.reduce_mean(tf.cast(close, tf.float32), axis=[1, 2])


def _gradient_magnitude(images):
    dy, dx = tf.image.image_gradients(tf.cast(images, tf.float32))
    return tf.reduce_mean(tf.sqrt(dx * dx + dy * dy + 1e-12), axis=[1, 2, 3])


def sharpness_ratio(outputs, targets):
    return _gradient_magnitude(outputs) / (_gradient_magnitude(targets) + 1e-12)


def _instance_normalize(features):
    mean, variance = tf.nn.moments(tf.cast(features, tf.float32), axes=[1, 2], keepdims=True)
    return (features - mean) * tf.math.rsqrt(variance + 1e-5)


def feature_distance(features_fn, outputs, targets):
    """Per image: mean over `features_fn`'s feature maps of the mean squared difference of the
    instance-normalised features (the perceptual-loss distance, kept per image)."""
    per_map = [tf.reduce_mean(tf.square(_instance_normalize(a) - _instance_normalize(b)),
                              axis=[1, 2, 3])
               for a, b in zip(features_fn(outputs), features_fn(targets))]
    return tf.add_n(per_map) / len(per_map)


def paired_metrics(outputs, targets, features_fn=None):
    """{metric: [B] values} of the metrics above (feature_distance when features_fn is given)."""
    result = {"pixel_l1": pixel_l1(outputs, targets), "psnr": psnr(outputs, targets),
              "ssim": ssim(outputs, targets), "pixel_accuracy": pixel_accuracy(outputs, targets),
              "sharpness_ratio": sharpness_ratio(outputs, targets)}
    if features_fn is not None:
        result["feature_distance"] = feature_distance(features_fn, outputs, targets)
    return result


def in_batches(images, batch_size=16):
    """[{domain: [<= batch_size, ...]}] slices of {domain: [N, ...]} (for evaluate_paired)."""
    count = len(next(iter(images.values())))
    return [{d: v[i:i + batch_size] for d, v in images.items()}
            for i in range(0, count, batch_size)]


def evaluate_paired(model, pairs, direction, features_fn=None):
    """Means over the pairs of `paired_metrics`, for translations of `direction`.

    pairs: iterable of {domain: [B, H, W, C]} float [-1, 1] batches holding both domains (e.g.
    the halves of side-by-side test images). Returns {metric: mean, "images": count}.
    """
    src, tgt = direction.split("2")
    sums, count = {}, 0
    for batch in pairs:
        outputs = model.translate(batch[src], direction)
        for name, values in paired_metrics(outputs, batch[tgt], features_fn).items():
            sums[name] = sums.get(name, 0.0) + float(tf.reduce_sum(values))
        count += int(batch[src].shape[0])
    if not count:
        raise ValueError("no image pairs to evaluate")
    return {**{name: total / count for name, total in sums.items()}, "images": count}
