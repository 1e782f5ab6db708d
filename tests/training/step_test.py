import numpy as np
import pytest
import tensorflow as tf

import keras
from unit_tf.config import DiscriminatorConfig, OptimConfig, UNITLossWeights, unit_preset
from unit_tf.models import UNIT
from unit_tf.objectives import UNITObjective
from unit_tf.training.optim import make_optimizer
from unit_tf.training.step import AlternatingGANStep


def make_step(precision="float32", weight_decay=1e-4):
    model = UNIT(unit_preset("paper", dim=8, n_res=2,
                             dis=DiscriminatorConfig(dim=8, n_layer=2, num_scales=2)),
                 seed=0).build_networks(16, 16)
    optimizers = {p: make_optimizer(OptimConfig(), precision, name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, UNITObjective("nsgan", UNITLossWeights()),
                              UNITLossWeights(), optimizers, weight_decay)
    step.build()
    rs = np.random.RandomState(0)
    batch = {d: rs.uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32) for d in "ab"}
    return model, step, batch


def test_one_step_updates_both_players_and_logs_every_term():
    model, step, batch = make_step()
    before_g = [v.numpy().copy() for v in model.generator_variables]
    before_d = [v.numpy().copy() for v in model.discriminator_variables]
    logs = tf.function(step.__call__)(batch)
    assert {"g/total", "d/total", "g/lr", "d/lr", "g/gan/a2b", "g/recon_x/a",
            "g/recon_kl_cyc/b", "d/gan/a", "d/gan/b"} <= set(logs)
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert all(not np.array_equal(b, v.numpy())
               for b, v in zip(before_g, model.generator_variables))
    assert all(not np.array_equal(b, v.numpy())
               for b, v in zip(before_d, model.discriminator_variables))
    assert int(step.optimizers["g"].iterations.numpy()) == 1


def test_d_update_runs_before_g_update():
    _, step, _ = make_step()
    assert step.objective.players == ("d", "g")


def test_mixed_float16_step_uses_loss_scaling_and_stays_finite():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model, step, batch = make_step("mixed_float16")
    logs = tf.function(step.__call__)(batch)
    assert isinstance(step.optimizers["g"], keras.optimizers.LossScaleOptimizer)
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert all(np.all(np.isfinite(v.numpy())) for v in model.trainable_variables)


def test_mirrored_two_replicas_match_one_replica_on_the_same_global_batch():
    """Losses are divided by the replica count: gradients summed over replicas equal the
    single-device gradient of the same global batch."""
    devices = tf.config.list_logical_devices("CPU")
    if len(devices) < 2:
        pytest.skip("needs 2 logical CPU devices (configured in tests/conftest.py)")
    grads = {}
    for name, strategy in [("one", tf.distribute.OneDeviceStrategy(devices[0].name)),
                           ("two", tf.distribute.MirroredStrategy([d.name for d in devices[:2]]))]:
        keras.utils.set_random_seed(5)
        with strategy.scope():
            model = UNIT(unit_preset("official", dim=4, n_res=1,
                                     dis=DiscriminatorConfig(dim=4, n_layer=2, num_scales=1)),
                         seed=0).build_networks(8, 8)
            w = model.encoders["a"].front[0].conv.kernel
        x = np.random.RandomState(1).uniform(-1, 1, (4, 8, 8, 3)).astype(np.float32)
        dataset = tf.data.Dataset.from_tensors(x)
        dist = iter(strategy.experimental_distribute_dataset(dataset))

        @tf.function
        def grad_of(batch):
            def replica(b):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.abs(model.translate(b, "a2b")
                                                 - b)) / strategy.num_replicas_in_sync
                return tape.gradient(loss, w)
            per_replica = strategy.run(replica, args=(batch,))
            return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

        grads[name] = grad_of(next(dist)).numpy()
    np.testing.assert_allclose(grads["one"], grads["two"], rtol=1e-4, atol=1e-6)
