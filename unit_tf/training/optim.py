"""Optimisers and learning-rate policies (official defaults: Adam(0.5, 0.999), lr 1e-4, coupled
weight decay 1e-4, StepLR per iteration with step 100k and gamma 0.5)."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="unit_tf")
class ConstantThenLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """lr for `constant_steps` steps, then linearly to 0 over `decay_steps` (junyanz 'linear')."""

    def __init__(self, lr, constant_steps, decay_steps):
        self.lr = float(lr)
        self.constant_steps = int(constant_steps)
        self.decay_steps = int(decay_steps)

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        past = tf.maximum(step - float(self.constant_steps), 0.0)
        return self.lr * tf.maximum(1.0 - past / float(self.decay_steps), 0.0)

    def get_config(self):
        return {"lr": self.lr, "constant_steps": self.constant_steps,
                "decay_steps": self.decay_steps}


def learning_rate(optim):
    """The schedule of an OptimConfig, evaluated at the optimiser's own step counter."""
    if optim.lr_policy == "constant":
        return optim.lr
    if optim.lr_policy == "step":
        return keras.optimizers.schedules.ExponentialDecay(
            optim.lr, decay_steps=optim.step_size, decay_rate=optim.gamma, staircase=True)
    if optim.lr_policy == "linear":
        return ConstantThenLinearDecay(optim.lr, optim.constant_steps, optim.decay_steps)
    raise ValueError(f"--lr_policy={optim.lr_policy!r} is not one of constant, step, linear")


def make_optimizer(optim, precision="float32", name=None):
    """Adam, or AdamW for weight_decay_mode='decoupled' (coupled decay is added to the loss by
    the step, as PyTorch's Adam(weight_decay=...) does); wrapped in a LossScaleOptimizer under
    mixed_float16."""
    common = dict(learning_rate=learning_rate(optim), beta_1=optim.beta1, beta_2=optim.beta2,
                  epsilon=optim.epsilon, name=name)
    if optim.weight_decay_mode == "decoupled" and optim.weight_decay > 0:
        optimizer = keras.optimizers.AdamW(weight_decay=optim.weight_decay, **common)
    else:
        optimizer = keras.optimizers.Adam(**common)
    if precision == "mixed_float16":
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer, name=f"{name}_loss_scale")
    return optimizer


def current_learning_rate(optimizer):
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    lr = inner.learning_rate
    return lr(inner.iterations) if callable(lr) else lr
