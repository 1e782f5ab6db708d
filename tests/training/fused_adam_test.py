import numpy as np
import pytest
import tensorflow as tf

import keras
from unit_tf.training.fused_adam import FusedAdam, FusedAdamW


def run(optimizer, steps=6, shapes=((3, 3, 4, 5), (5,))):
    """Variables after `steps` updates with fixed, changing gradients."""
    variables = [keras.Variable(np.linspace(-1.0, 1.0, int(np.prod(s)), dtype=np.float32)
                                .reshape(s)) for s in shapes]
    optimizer.build(variables)
    apply = tf.function(lambda grads: optimizer.apply(grads, variables))
    for step in range(steps):
        apply([tf.constant(np.sin(np.arange(np.prod(s)) * (step + 1.3)).reshape(s)
                           .astype(np.float32)) for s in shapes])
    return [v.numpy() for v in variables]


def schedule():
    return keras.optimizers.schedules.ExponentialDecay(1e-2, 2, 0.5, staircase=True)


@pytest.mark.parametrize("kind", ["adam", "adamw"])
def test_fused_update_equals_keras_to_float_rounding(kind):
    common = dict(learning_rate=schedule(), beta_1=0.5, beta_2=0.99, epsilon=1e-8)
    if kind == "adam":
        ours, theirs = FusedAdam(**common), keras.optimizers.Adam(**common)
    else:
        ours = FusedAdamW(weight_decay=0.1, **common)
        theirs = keras.optimizers.AdamW(weight_decay=0.1, **common)
    fused, reference = run(ours), run(theirs)
    start = run(keras.optimizers.SGD(0.0))
    for a, b, s in zip(fused, reference, start):
        assert np.abs(b - s).max() > 1e-2  # the six steps moved the weights
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    for a, b in zip(ours.variables, theirs.variables):  # moments and step count too
        # a few float32 ulps (FMA and evaluation order differ); a wrong beta is off by >1e-2
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-9)


def test_the_update_is_one_resource_apply_adam_per_variable():
    optimizer = FusedAdam(1e-3)
    variables = [keras.Variable(np.ones([3, 2], np.float32)), keras.Variable(np.ones([2]))]
    optimizer.build(variables)
    graph = tf.function(lambda grads: optimizer.apply(grads, variables)).get_concrete_function(
        [tf.TensorSpec([3, 2]), tf.TensorSpec([2])]).graph

    def op_types(g):
        types = [op.type for op in g.get_operations()]
        for f in g._functions.values():  # bodies of conds (Keras' iteration bookkeeping)
            types += [op.type for op in f.graph.get_operations()]
        return types

    types = op_types(graph)
    assert types.count("ResourceApplyAdam") == 2
    assert "Sqrt" not in types  # Keras' element-wise update is gone


def test_amsgrad_takes_keras_update():
    fused = run(FusedAdam(1e-2, amsgrad=True))
    reference = run(keras.optimizers.Adam(1e-2, amsgrad=True))
    for a, b in zip(fused, reference):
        np.testing.assert_array_equal(a, b)


def test_keras_adam_checkpoint_restores_into_fused_adam_and_continues_alike(tmp_path):
    shape = (4, 3)

    def make(cls):
        variable = keras.Variable(np.linspace(0, 1, 12, dtype=np.float32).reshape(shape))
        optimizer = cls(1e-2, beta_1=0.5)
        optimizer.build([variable])
        return variable, optimizer

    def steps(variable, optimizer, first, count):
        for step in range(first, first + count):
            grad = tf.constant(np.cos(np.arange(12) * step).reshape(shape).astype(np.float32))
            optimizer.apply([grad], [variable])

    variable, optimizer = make(keras.optimizers.Adam)
    steps(variable, optimizer, 0, 3)
    path = tf.train.Checkpoint(v=variable, opt=optimizer).write(str(tmp_path / "ckpt"))
    steps(variable, optimizer, 3, 3)

    restored, fused = make(FusedAdam)
    tf.train.Checkpoint(v=restored, opt=fused).read(path).assert_consumed()
    assert int(fused.iterations.numpy()) == 3
    steps(restored, fused, 3, 3)
    np.testing.assert_allclose(restored.numpy(), variable.numpy(), rtol=1e-6, atol=1e-7)


def test_fused_adam_under_mirrored_strategy_and_loss_scaling():
    devices = tf.config.list_logical_devices("CPU")
    if len(devices) < 2:
        pytest.skip("needs 2 logical CPU devices (configured in tests/conftest.py)")
    # reduction without collectives: another MirroredStrategy's collective instance keys in
    # this process (tests/training/step_test.py) would otherwise clash with these
    strategy = tf.distribute.MirroredStrategy(
        [d.name for d in devices[:2]], cross_device_ops=tf.distribute.ReductionToOneDevice())
    results = {}
    for name, cls in [("fused", FusedAdam), ("keras", keras.optimizers.Adam)]:
        with strategy.scope():
            variable = keras.Variable(np.linspace(-1, 1, 6, dtype=np.float32))
            optimizer = keras.optimizers.LossScaleOptimizer(cls(1e-2), initial_scale=8.0)
            optimizer.build([variable])

        @tf.function
        def step():
            def replica():
                with tf.GradientTape() as tape:
                    loss = tf.reduce_sum(tf.square(variable - 3.0)) / 2.0  # two replicas
                    scaled = optimizer.scale_loss(loss)
                optimizer.apply(tape.gradient(scaled, [variable]), [variable])
            strategy.run(replica)

        for _ in range(4):
            step()
        results[name] = variable.numpy()
    assert np.abs(results["keras"] - np.linspace(-1, 1, 6)).max() > 1e-2
    np.testing.assert_allclose(results["fused"], results["keras"], rtol=1e-6, atol=1e-7)
