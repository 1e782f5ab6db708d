import numpy as np
import tensorflow as tf
import pytest

from unit_tf import losses

REAL = [np.array([[[[1.0], [0.0]], [[2.0], [-1.0]]]], np.float32),  # [1, 2, 2, 1] patches
        np.array([[[[0.5]]]], np.float32)]  # a second, coarser scale
FAKE = [np.array([[[[0.0], [1.0]], [[-2.0], [0.5]]]], np.float32),
        np.array([[[[-0.5]]]], np.float32)]


def test_lsgan_golden_values_over_scales():
    # D: scale0 mean((r-1)^2) = (0+1+1+4)/4 = 1.5, mean(f^2) = (0+1+4+.25)/4 = 1.3125;
    #    scale1 (0.25) + (0.25)  -> 1.5 + 1.3125 + 0.5 = 3.3125
    assert losses.lsgan_discriminator_loss(REAL, FAKE).numpy() == pytest.approx(3.3125)
    # G: scale0 mean((f-1)^2) = (1+0+9+.25)/4 = 2.5625; scale1 2.25 -> 4.8125
    assert losses.lsgan_generator_loss(FAKE).numpy() == pytest.approx(4.8125)


def test_nsgan_golden_values():
    sp = lambda v: np.log1p(np.exp(v))  # noqa: E731
    real = np.array([[1.0, -1.0]], np.float32)
    fake = np.array([[0.0, 2.0]], np.float32)
    d = np.mean(sp(-real)) + np.mean(sp(fake))
    assert losses.nsgan_discriminator_loss(real, fake).numpy() == pytest.approx(d, rel=1e-6)
    assert losses.nsgan_generator_loss(fake).numpy() == pytest.approx(np.mean(sp(-fake)),
                                                                     rel=1e-6)
    # the value at logit 0 is log 2, the BCE of a 0.5 prediction
    assert losses.nsgan_generator_loss(np.zeros((2, 3))).numpy() == pytest.approx(np.log(2))


def test_hinge_golden_values():
    real = np.array([0.5, 2.0], np.float32)
    fake = np.array([-2.0, 0.0], np.float32)
    assert losses.hinge_discriminator_loss(real, fake).numpy() == pytest.approx(0.25 + 0.5)
    assert losses.hinge_generator_loss(fake).numpy() == pytest.approx(1.0)


def test_dispatch_and_unknown_type():
    assert losses.generator_loss("lsgan", FAKE).numpy() == pytest.approx(4.8125)
    with pytest.raises(ValueError, match="gan_type='wgan'"):
        losses.generator_loss("wgan", FAKE)


def test_float16_logits_are_computed_in_float32():
    out = losses.lsgan_generator_loss(np.full((2, 2), 300.0, np.float16))
    assert out.dtype.name == "float32" and out.numpy() == pytest.approx(299.0 ** 2)


def test_wasserstein_losses_and_vanilla_alias():
    from unit_tf.losses import discriminator_loss, generator_loss

    real, fake = tf.constant([[1.0, 3.0]]), tf.constant([[0.5, -0.5]])
    assert float(discriminator_loss("wgangp", real, fake)) == pytest.approx(0.0 - 2.0)
    assert float(generator_loss("wgangp", fake)) == pytest.approx(0.0)
    assert float(generator_loss("vanilla", fake)) == float(generator_loss("nsgan", fake))


def test_gradient_penalty_of_a_linear_critic_is_exact():
    from unit_tf.losses import gradient_penalty

    w = tf.constant(np.arange(1, 13, dtype=np.float32).reshape(1, 2, 2, 3) / 10.0)

    def critic(x):  # D(x) = sum(w * x): gradient w everywhere, norm ||w||
        return tf.reduce_sum(w * x, axis=[1, 2, 3])

    rs = np.random.RandomState(0)
    real = rs.normal(size=(3, 2, 2, 3)).astype(np.float32)
    fake = rs.normal(size=(3, 2, 2, 3)).astype(np.float32)
    alpha = tf.constant(rs.uniform(size=(3, 1, 1, 1)).astype(np.float32))
    norm = float(np.sqrt(np.sum(np.square(w.numpy()))))
    assert float(gradient_penalty(critic, real, fake, alpha)) == pytest.approx(
        (norm - 1.0) ** 2, rel=1e-5)
