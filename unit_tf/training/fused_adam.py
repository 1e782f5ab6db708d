"""Adam and AdamW whose per-variable update is ONE kernel (TensorFlow's ResourceApplyAdam).

Keras 3's Adam updates each variable with about ten element-wise ops (subtract, multiply,
assign-add for each moment, square, square root, add, divide, multiply, assign-sub), each a full
pass over the variable; a UNIT official model has 38.8M parameters, so that is over a gigabyte
of memory traffic per step. ResourceApplyAdam reads the variable, both moments and the gradient
once and writes the three back, with the same formula:

    m += (g - m) (1 - beta_1);  v += (g^2 - v) (1 - beta_2)
    w -= alpha m / (sqrt(v) + epsilon),  alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)

(Keras' `Adam.update_step` and TensorFlow's `ApplyAdam` functor, term for term; results agree
to float rounding, tests/training/fused_adam_test.py). Slots, their names and checkpoints are
Keras Adam's: a checkpoint written with one restores into the other. AMSGrad and sparse
(IndexedSlices) gradients take Keras' own update.
"""

import keras
import tensorflow as tf


def _handle(variable):
    """The resource handle of a tf.Variable (or of the one a Keras variable wraps); inside a
    strategy's update() a distributed variable gives the current device's."""
    return variable.handle if hasattr(variable, "handle") else variable.value.handle


class _FusedAdamUpdate:
    """Mixin for keras.optimizers.Adam subclasses: update_step through ResourceApplyAdam."""

    def update_step(self, gradient, variable, learning_rate):
        if self.amsgrad or isinstance(gradient, tf.IndexedSlices):
            return super().update_step(gradient, variable, learning_rate)
        dtype = variable.dtype
        step = tf.cast(self.iterations + 1, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        index = self._get_variable_index(variable)
        tf.raw_ops.ResourceApplyAdam(
            var=_handle(variable), m=_handle(self._momentums[index]),
            v=_handle(self._velocities[index]),
            beta1_power=tf.pow(beta_1, step), beta2_power=tf.pow(beta_2, step),
            lr=tf.cast(learning_rate, dtype), beta1=beta_1, beta2=beta_2,
            epsilon=tf.cast(self.epsilon, dtype), grad=tf.cast(gradient, dtype))


@keras.saving.register_keras_serializable(package="unit_tf")
class FusedAdam(_FusedAdamUpdate, keras.optimizers.Adam):
    """keras.optimizers.Adam, one kernel per variable update (module docstring)."""


@keras.saving.register_keras_serializable(package="unit_tf")
class FusedAdamW(_FusedAdamUpdate, keras.optimizers.AdamW):
    """keras.optimizers.AdamW (decoupled decay applied by Keras before the update), one kernel
    per variable update."""
