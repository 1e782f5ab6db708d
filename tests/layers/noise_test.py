import numpy as np

from unit_tf.layers import LatentNoise
from unit_tf.testing.test_case import check_precision, check_serialization


def test_unit_variance_noise_only_while_training():
    layer = LatentNoise(seed=3)
    mu = np.full((4, 32, 32, 16), 2.0, np.float32)
    np.testing.assert_array_equal(layer(mu, training=False).numpy(), mu)
    z = layer(mu, training=True).numpy()
    assert abs((z - mu).mean()) < 0.02 and abs((z - mu).std() - 1.0) < 0.02
    assert not np.allclose(layer(mu, training=True).numpy(), z)  # a fresh draw each call


def test_same_seed_same_noise_and_state_is_a_variable():
    a, b = LatentNoise(seed=7), LatentNoise(seed=7)
    mu = np.zeros((1, 4, 4, 2), np.float32)
    np.testing.assert_array_equal(a(mu, training=True).numpy(), b(mu, training=True).numpy())
    assert len(a.non_trainable_variables) == 1  # the seed state, checkpointed with the model


def test_config_round_trip_and_precision():
    check_serialization(LatentNoise, {"stddev": 1.0, "seed": 5})
    check_precision(LatentNoise, {"seed": 1}, np.zeros((1, 2, 2, 2), np.float32),
                       "mixed_float16")
