"""The MUNIT style MLP: style code -> AdaIN parameters of the decoder."""

import keras

from unit_tf.layers import make_activation
from unit_tf.layers.initializers import get_initializer


@keras.saving.register_keras_serializable(package="unit_tf")
class MLP(keras.layers.Layer):
    """`n_blk` fully connected layers (official `MLP`: Linear+activation, (n_blk - 2) x
    Linear+activation at `dim`, then a plain Linear to `output_dim`). No norm (MUNIT's setting).

    Shape: [B, input_dim] (or [B, 1, 1, input_dim]) -> [B, output_dim], float32.
    """

    def __init__(self, input_dim, output_dim, dim=256, n_blk=3, activation="relu",
                 init_type="kaiming", **kwargs):
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.dim = int(dim)
        self.n_blk = int(n_blk)
        self.activation = activation
        self.init_type = init_type
        if self.n_blk < 2:
            raise ValueError(f"MLP n_blk={n_blk} must be at least 2")
        widths = [self.dim] * (self.n_blk - 1) + [self.output_dim]
        self.dense = [keras.layers.Dense(w, kernel_initializer=get_initializer(init_type),
                                         name=f"fc{i}", dtype=self.dtype_policy)
                      for i, w in enumerate(widths)]
        self.activations = [make_activation(activation, name=f"act{i}", dtype=self.dtype_policy)
                            for i in range(self.n_blk - 1)]

    def call(self, style):
        x = keras.ops.reshape(style, (-1, self.input_dim))  # [B, style_dim]
        for dense, act in zip(self.dense[:-1], self.activations):
            x = dense(x)  # [B, dim]
            x = act(x) if act is not None else x
        return keras.ops.cast(self.dense[-1](x), "float32")  # [B, output_dim]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim, "dim": self.dim, "n_blk": self.n_blk,
                "activation": self.activation, "init_type": self.init_type}
