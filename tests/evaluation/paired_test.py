import numpy as np
import pytest
import tensorflow as tf

from unit_tf.evaluation import (evaluate_paired, feature_distance, in_batches, paired_metrics,
                                pixel_accuracy, pixel_l1, psnr, sharpness_ratio, ssim)


def images(seed=0, shape=(2, 16, 16, 3)):
    return tf.constant(np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32))


def test_golden_values():
    target = images()
    shifted = tf.clip_by_value(target + 0.2, -1.0, 1.0)
    mse = tf.reduce_mean(tf.square((shifted - target) / 2.0), axis=[1, 2, 3]).numpy()
    np.testing.assert_allclose(psnr(shifted, target).numpy(), 10 * np.log10(1.0 / mse),
                               rtol=1e-4)
    np.testing.assert_allclose(pixel_l1(shifted, target).numpy(),
                               tf.reduce_mean(tf.abs(shifted - target), [1, 2, 3]).numpy())
    np.testing.assert_allclose(ssim(target, target).numpy(), [1.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(sharpness_ratio(target, target).numpy(), [1.0, 1.0], rtol=1e-6)
    blurred = tf.nn.avg_pool2d(target, 3, 1, "SAME")
    assert (sharpness_ratio(blurred, target).numpy() < 0.7).all()
    assert float(ssim(blurred, target)[0]) < 1.0


def test_pixel_accuracy_counts_pixels_with_every_channel_within_16_levels():
    target = tf.zeros([1, 1, 4, 3])
    step = 2.0 / 255.0  # one grey level in [-1, 1] units
    outputs = tf.constant([[[[16 * step, 0, 0], [17 * step, 0, 0], [0, -16 * step, 0],
                             [0, 0, 40 * step]]]])
    assert float(pixel_accuracy(outputs, target)[0]) == pytest.approx(0.5)


def test_feature_distance_is_zero_for_equal_images_and_ignores_per_map_scale():
    target = images()

    def features(x):
        return [x, 3.0 * tf.nn.avg_pool2d(x, 2, 2, "VALID")]

    np.testing.assert_allclose(feature_distance(features, target, target).numpy(), 0, atol=1e-6)
    # instance normalisation: a per-image affine change of the features is invisible
    np.testing.assert_allclose(
        feature_distance(features, 2.0 * target + 0.5, target).numpy(), 0, atol=1e-4)
    assert (feature_distance(features, images(1), target).numpy() > 0.5).all()


def test_in_batches_slices_every_domain_alike_and_keeps_the_remainder():
    column = tf.reshape(tf.range(5.0), [5, 1, 1, 1])
    pairs = {"a": column, "b": -column}
    batches = in_batches(pairs, 2)
    assert [int(b["a"].shape[0]) for b in batches] == [2, 2, 1]
    for batch in batches:
        np.testing.assert_array_equal(batch["b"].numpy(), -batch["a"].numpy())
    np.testing.assert_array_equal(np.concatenate([b["a"] for b in batches]).ravel(), np.arange(5))


def test_evaluate_paired_averages_over_every_image():
    class Identity:
        def translate(self, x, direction):
            return x

    pairs = [{"a": images(0), "b": images(0)}, {"a": images(1, (1, 16, 16, 3)),
                                                "b": -images(1, (1, 16, 16, 3))}]
    metrics = evaluate_paired(Identity(), pairs, "a2b")
    assert metrics["images"] == 3
    expected_l1 = (0 + 0 + float(pixel_l1(images(1, (1, 16, 16, 3)),
                                          -images(1, (1, 16, 16, 3)))[0])) / 3
    assert metrics["pixel_l1"] == pytest.approx(expected_l1, rel=1e-5)
    assert set(metrics) == {"pixel_l1", "psnr", "ssim", "pixel_accuracy", "sharpness_ratio",
                            "images"}
    assert metrics["pixel_accuracy"] == pytest.approx(
        (2 + float(pixel_accuracy(images(1, (1, 16, 16, 3)), -images(1, (1, 16, 16, 3)))[0])) / 3)
    with pytest.raises(ValueError, match="no image pairs"):
        evaluate_paired(Identity(), [], "a2b")
    assert set(paired_metrics(images(), images(), lambda x: [x])) >= {"feature_distance"}
