"""The shared-latent Gaussian noise of UNIT's "reduced VAE"."""

import keras


@keras.saving.register_keras_serializable(package="unit_tf")
class LatentNoise(keras.layers.Layer):
    """z = mu + N(0, I) while training, z = mu otherwise (unit variance, nothing learned).

    The noise comes from a `keras.random.SeedGenerator` whose state is a layer variable, so it is
    checkpointed with the model and a resumed run draws the same noise as an uninterrupted one.
    Shape: [B, H, W, C] -> same.
    """

    def __init__(self, stddev: float = 1.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = float(stddev)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")

    def sample(self, mu):
        """N(0, stddev^2) noise shaped like `mu` (what the official `encode` returns)."""
        return keras.random.normal(
            keras.ops.shape(mu), stddev=self.stddev, dtype=mu.dtype, seed=self.seed_generator)

    def call(self, mu, training=None):
        if training:
            return mu + self.sample(mu)
        return mu

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
