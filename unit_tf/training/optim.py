"""Optimisers and learning-rate policies (official defaults: Adam(0.5, 0.999), lr 1e-4, coupled
weight decay 1e-4, StepLR per iteration with step 100k and gamma 0.5)."""

import keras
import tensorflow as tf

from unit_tf.training.fused_adam import FusedAdam, FusedAdamW


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


@keras.saving.register_keras_serializable(package="unit_tf")
class EpochLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """junyanz 'linear' policy, stepped once an epoch: lr * (1 - max(0, epoch + 1 - n_epochs) /
    (n_epochs_decay + 1)) with epoch = step // steps_per_epoch (epoch_count 1), floored at 0."""

    def __init__(self, lr, steps_per_epoch, n_epochs, n_epochs_decay):
        self.lr = float(lr)
        self.steps_per_epoch = int(steps_per_epoch)
        self.n_epochs = int(n_epochs)
        self.n_epochs_decay = int(n_epochs_decay)

    def __call__(self, step):
        epoch = tf.math.floordiv(tf.cast(step, tf.float32), float(self.steps_per_epoch))
        past = tf.maximum(epoch + 1.0 - float(self.n_epochs), 0.0)
        return self.lr * tf.maximum(1.0 - past / float(self.n_epochs_decay + 1), 0.0)

    def get_config(self):
        return {"lr": self.lr, "steps_per_epoch": self.steps_per_epoch,
                "n_epochs": self.n_epochs, "n_epochs_decay": self.n_epochs_decay}


def learning_rate(optim):
    """The schedule of an OptimConfig, evaluated at the optimiser's own step counter."""
    if optim.lr_policy == "constant":
        return optim.lr
    if optim.lr_policy == "step":
        return keras.optimizers.schedules.ExponentialDecay(
            optim.lr, decay_steps=optim.step_size, decay_rate=optim.gamma, staircase=True)
    if optim.epoch_schedule:
        if not optim.steps_per_epoch:
            raise ValueError("the epoch schedule needs steps_per_epoch (set from the data by "
                             "unit_tf.training.train)")
        return EpochLinearDecay(optim.lr, optim.steps_per_epoch, optim.n_epochs,
                                optim.n_epochs_decay)
    if optim.lr_policy == "linear":
        return ConstantThenLinearDecay(optim.lr, optim.constant_steps, optim.decay_steps)
    raise ValueError(f"--lr_policy={optim.lr_policy!r} is not one of constant, step, linear")


def make_optimizer(optim, precision="float32", name=None):
    """Adam, or AdamW for weight_decay_mode='decoupled' (coupled decay is added to the loss by
    the step, as PyTorch's Adam(weight_decay=...) does), each variable updated by one kernel
    (`fused_adam`); wrapped in a LossScaleOptimizer under mixed_float16."""
    common = dict(learning_rate=learning_rate(optim), beta_1=optim.beta1, beta_2=optim.beta2,
                  epsilon=optim.epsilon, name=name)
    if optim.weight_decay_mode == "decoupled" and optim.weight_decay > 0:
        optimizer = FusedAdamW(weight_decay=optim.weight_decay, **common)
    else:
        optimizer = FusedAdam(**common)
    if precision == "mixed_float16":
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer, name=f"{name}_loss_scale")
    return optimizer


def current_learning_rate(optimizer):
    inner = optimizer.inner_optimizer if isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer) else optimizer
    lr = inner.learning_rate
    return lr(inner.iterations) if callable(lr) else lr
