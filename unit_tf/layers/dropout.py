"""Dropout whose random state has a stable checkpoint path."""

import keras


@keras.saving.register_keras_serializable(package="unit_tf")
class SeededDropout(keras.layers.Layer):
    """`keras.layers.Dropout` with its SeedGenerator named `seed_name`.

    Keras' Dropout names its generator `seed_generator_<n>` from a process-wide counter, so the
    variable's checkpoint path depends on how many were created before: a run resumed, or a
    model rebuilt, in a process that built another one first would not find its dropout state.
    `seed_name` must be unique within the model (the owner's name plus an index).
    """

    def __init__(self, rate, seed_name, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.seed_name = seed_name
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name=seed_name)

    def call(self, x, training=None):
        if not training or self.rate == 0.0:
            return x
        return keras.random.dropout(x, self.rate, seed=self.seed_generator)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed_name": self.seed_name,
                "seed": self.seed}
