import numpy as np
import pytest
import tensorflow as tf

import keras
from unit_tf.config import OptimConfig
from unit_tf.training.optim import ConstantThenLinearDecay, learning_rate, make_optimizer


def test_step_policy_halves_every_step_size():
    schedule = learning_rate(OptimConfig(lr=1e-4, lr_policy="step", step_size=10, gamma=0.5))
    assert float(schedule(0)) == pytest.approx(1e-4)
    assert float(schedule(9)) == pytest.approx(1e-4)
    assert float(schedule(10)) == pytest.approx(5e-5)
    assert float(schedule(25)) == pytest.approx(2.5e-5)


def test_constant_then_linear_decay_golden_and_round_trip():
    schedule = ConstantThenLinearDecay(2e-4, 100, 50)
    assert float(schedule(100)) == pytest.approx(2e-4)
    assert float(schedule(125)) == pytest.approx(1e-4)
    assert float(schedule(200)) == 0.0
    clone = ConstantThenLinearDecay.from_config(schedule.get_config())
    assert float(clone(125)) == pytest.approx(1e-4)


def test_optimizer_kinds_follow_config_and_precision():
    opt = make_optimizer(OptimConfig())
    assert isinstance(opt, keras.optimizers.Adam) and not isinstance(opt, keras.optimizers.AdamW)
    assert opt.beta_1 == 0.5 and opt.epsilon == 1e-8
    assert isinstance(make_optimizer(OptimConfig(weight_decay_mode="decoupled")),
                      keras.optimizers.AdamW)
    assert isinstance(make_optimizer(OptimConfig(), "mixed_float16"),
                      keras.optimizers.LossScaleOptimizer)


def test_coupled_weight_decay_equals_pytorch_adam_first_step():
    """PyTorch Adam(weight_decay=wd) adds wd * w to the gradient; so does our L2 term."""
    from unit_tf.losses import l2_penalty

    w = keras.Variable(np.array([1.0, -2.0], np.float32))
    opt = keras.optimizers.Adam(0.1, beta_1=0.5, beta_2=0.999, epsilon=1e-8)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * np.array([0.5, 0.5], np.float32)) + 0.1 * l2_penalty([w])
    grad = tape.gradient(loss, [w])
    np.testing.assert_allclose(grad[0].numpy(), [0.5 + 0.1, 0.5 - 0.2], rtol=1e-6)
    opt.apply(grad, [w])
    np.testing.assert_allclose(w.numpy(), [0.9, -2.1], rtol=1e-5)  # first Adam step = lr*sign


def test_epoch_schedule_is_junyanz_linear_rule_stepped_per_epoch():
    from unit_tf.training.optim import EpochLinearDecay

    optim = OptimConfig(lr=2e-4, lr_policy="linear", n_epochs=3, n_epochs_decay=2,
                        steps_per_epoch=10)
    schedule = learning_rate(optim)
    assert isinstance(schedule, EpochLinearDecay)

    def junyanz(epoch):  # lambda_rule with epoch_count 1
        return 2e-4 * (1.0 - max(0, epoch + 1 - 3) / float(2 + 1))

    for step in range(0, 60, 3):
        assert float(schedule(step)) == pytest.approx(max(junyanz(step // 10), 0.0)), step
    assert float(schedule(29)) == pytest.approx(2e-4)  # epoch 2, the last constant one
    assert float(schedule(30)) == pytest.approx(2e-4 * 2 / 3)
    assert float(schedule(10_000)) == 0.0
    clone = EpochLinearDecay.from_config(schedule.get_config())
    assert float(clone(35)) == float(schedule(35))
    with pytest.raises(ValueError, match="steps_per_epoch"):
        learning_rate(OptimConfig(lr_policy="linear", n_epochs=1))
    with pytest.raises(ValueError, match="lr_policy='step' does not use them"):
        OptimConfig(lr_policy="step", n_epochs=1)
