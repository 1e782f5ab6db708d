import numpy as np
import pytest

from unit_tf import losses


def test_l1_and_l2_golden():
    a = np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)
    b = np.zeros_like(a)
    assert losses.l1_loss(a, b).numpy() == pytest.approx(4.5 / 4)
    assert losses.l2_loss(a, b).numpy() == pytest.approx((1 + 1 + 0.25 + 4) / 4)


def test_reduced_kl_is_mean_of_squares():
    mu = np.array([[[[1.0, 2.0]], [[0.0, -3.0]]]], np.float32)
    assert losses.reduced_kl_loss(mu).numpy() == pytest.approx((1 + 4 + 0 + 9) / 4)


def test_gaussian_kl_golden_and_zero_at_prior():
    mu = np.array([[1.0, 0.0]], np.float32)
    sigma = np.array([[1.0, 2.0]], np.float32)
    expected = 0.5 * ((1 + 1 - 0 - 1) + (0 + 4 - np.log(4) - 1))
    assert losses.gaussian_kl_loss(mu, sigma).numpy() == pytest.approx(expected, rel=1e-6)
    assert losses.gaussian_kl_loss(np.zeros((3, 4)), np.ones((3, 4))).numpy() == 0.0


def test_l2_penalty_gradient_is_the_variable():
    import tensorflow as tf

    v = tf.Variable([1.0, -2.0, 3.0])
    with tf.GradientTape() as tape:
        penalty = losses.l2_penalty([v])
    assert penalty.numpy() == pytest.approx(7.0)
    np.testing.assert_allclose(tape.gradient(penalty, v).numpy(), v.numpy())


def test_learned_variance_kl_matches_numpy():
    from unit_tf.losses import learned_variance_kl

    rs = np.random.RandomState(3)
    mu = rs.normal(size=(6, 1, 1, 5)).astype(np.float32)
    sd = rs.uniform(0.2, 2.0, size=(6, 1, 1, 5)).astype(np.float32)
    expected = np.sum(mu ** 2 + sd ** 2 - np.log(sd ** 2)) / 6  # version_02 _compute_kl
    np.testing.assert_allclose(float(learned_variance_kl(mu, sd)), expected, rtol=1e-5)
    # at the prior (mu 0, sd 1) each element contributes 1: sum / N = elements per code
    assert float(learned_variance_kl(np.zeros((4, 3)), np.ones((4, 3)))) == pytest.approx(3.0)


def test_per_image_sums_of_squares_and_absolute_values():
    from unit_tf.losses import per_image_sum_of_abs, per_image_sum_of_squares

    target = np.zeros((2, 2, 2, 1), np.float32)
    prediction = np.array([[[[1.0], [0.0]], [[0.0], [0.0]]],
                           [[[0.0], [2.0]], [[0.0], [-1.0]]]], np.float32)
    # per image: 1 and 4 + 1 = 5 squared; mean over the batch 3
    assert float(per_image_sum_of_squares(prediction, target)) == pytest.approx(3.0)
    assert float(per_image_sum_of_abs(prediction, target)) == pytest.approx((1 + 3) / 2)
