"""`AvgPool2d(3, stride=2, padding=1, count_include_pad=False)` of the official MsImageDis."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="unit_tf")
class AvgPoolExcludePad(keras.layers.Layer):
    """3x3 average pooling, stride 2, one pixel of padding whose zeros are NOT counted.

    Border windows average only the real pixels. Keras' `AveragePooling2D(3, 2, 'same')` pads on
    the bottom/right only and so aligns its windows differently; this layer pads 1 on every side.
    Shape: [B, H, W, C] -> [B, (H - 1) // 2 + 1, (W - 1) // 2 + 1, C].
    """

    def __init__(self, pool_size: int = 3, strides: int = 2, padding: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = int(pool_size)
        self.strides = int(strides)
        self.padding = int(padding)

    def _window_sum(self, x):
        p = self.padding
        padded = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]])
        mean = tf.nn.avg_pool2d(padded, self.pool_size, self.strides, "VALID")
        return mean * float(self.pool_size * self.pool_size)

    def call(self, x):
        ones = tf.ones_like(x[:1, :, :, :1])  # [1, H, W, 1]
        return self._window_sum(x) / self._window_sum(ones)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding}
