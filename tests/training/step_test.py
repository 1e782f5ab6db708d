"""The real AlternatingGANStep: updates, logs, player order, loss scaling and replica scaling."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import CycleGANLossWeights, OptimConfig, UNITLossWeights
from unit_tf.models import CycleGAN, UNIT, build_model
from unit_tf.objectives import CycleGANObjective, UNITObjective
from unit_tf.testing.tiny import tiny_experiment, tiny_model_config
from unit_tf.training.experiment import build_objective
from unit_tf.training.optim import make_optimizer
from unit_tf.training.step import AlternatingGANStep


def batch_of(size=16, count=2, seed=0):
    rs = np.random.RandomState(seed)
    return {d: rs.uniform(-1, 1, (count, size, size, 3)).astype(np.float32) for d in "ab"}


def make_step(precision="float32", weight_decay=1e-4):
    model = UNIT(tiny_model_config("unit"), seed=0).build_networks(16, 16)
    optimizers = {p: make_optimizer(OptimConfig(), precision, name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, UNITObjective("nsgan", UNITLossWeights()), optimizers,
                              weight_decay)
    step.build()
    return model, step, batch_of()


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


def record_updates(step, order):
    """Wrap each optimiser's `apply` so the player is appended to `order` when it runs."""
    for player, optimizer in step.optimizers.items():
        def apply(grads, variables, _apply=optimizer.apply, _player=player):
            order.append(_player)
            return _apply(grads, variables)
        optimizer.apply = apply


def test_training_normalises_with_the_fused_kernel_and_translation_without():
    model, step, batch = make_step()
    ops = lambda fn, *args: {op.type for op in  # noqa: E731
                             tf.function(fn).get_concrete_function(*args).graph.get_operations()}
    assert "FusedBatchNormV3" in ops(step.__call__, batch)  # training=True reached every norm
    translate = ops(lambda x: model.translate(x, "a2b"), tf.constant(batch["a"]))
    assert "FusedBatchNormV3" not in translate and "Mean" in translate  # exports: int8-safe


@pytest.mark.parametrize("family, order", [("unit", ["d", "g"]), ("munit", ["d", "g"]),
                                           ("cyclegan", ["g", "d"]), ("pix2pix", ["d", "g"])])
def test_players_update_in_the_official_order(family, order, tmp_path):
    """UNIT/MUNIT (NVlabs dis_update, gen_update) and pix2pix update D first, CycleGAN G first
    (junyanz optimize_parameters); recorded as the updates run, twice."""
    config = tiny_experiment(family, tmp_path, tmp_path, model={"pool_size": 0}
                             if family == "cyclegan" else None)
    model = build_model(config)
    optimizers = {p: make_optimizer(config.optim, name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, build_objective(config), optimizers)
    step.build()
    ran = []
    record_updates(step, ran)
    size = config.data.crop_size
    step(batch_of(size))  # eagerly: the appends happen as the updates run
    step(batch_of(size, seed=1))
    assert ran == order * 2


def test_cyclegan_d_step_translates_with_the_updated_generators():
    model = CycleGAN(tiny_model_config("cyclegan", pool_size=0), seed=0).build_networks(32)
    optimizers = {p: make_optimizer(OptimConfig(), name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, CycleGANObjective("lsgan", CycleGANLossWeights()),
                              optimizers)
    step.build()
    ran, translations = [], []
    record_updates(step, ran)
    original = model.translate

    def translate(x, direction="a2b", training=False):
        translations.append((tuple(ran), direction))
        return original(x, direction, training)

    model.translate = translate
    step(batch_of(32))
    assert ((("g",), "a2b") in translations) and ((("g",), "b2a") in translations)


def test_mixed_float16_step_uses_loss_scaling_and_stays_finite():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model, step, batch = make_step("mixed_float16")
    logs = tf.function(step.__call__)(batch)
    assert isinstance(step.optimizers["g"], keras.optimizers.LossScaleOptimizer)
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert all(np.all(np.isfinite(v.numpy())) for v in model.trainable_variables)


def run_real_step(strategy, global_batch):
    """One AlternatingGANStep of a deterministic CycleGAN (instance norm, no pool, no dropout)
    under `strategy` on `global_batch`, with plain SGD (so a wrong gradient scale shows in the
    update; Adam's first step would hide it). Returns every variable before and after."""
    keras.utils.set_random_seed(5)
    with strategy.scope():
        model = CycleGAN(tiny_model_config("cyclegan", pool_size=0), seed=0).build_networks(32)
        optimizers = {p: keras.optimizers.SGD(0.5, name=f"sgd_{p}") for p in ("g", "d")}
        step = AlternatingGANStep(model, CycleGANObjective("lsgan", CycleGANLossWeights()),
                                  optimizers, weight_decay=1e-2)
        step.build()
    dataset = tf.data.Dataset.from_tensors(global_batch)
    batch = next(iter(strategy.experimental_distribute_dataset(dataset)))

    @tf.function
    def train_step(batch):
        return strategy.run(step, args=(batch,))

    before = [v.numpy() for v in model.variables]
    train_step(batch)
    return before, [v.numpy() for v in model.variables]


def test_two_replicas_update_the_weights_as_one_replica_on_the_same_global_batch():
    """Each replica's loss is divided by the replica count, so the all-reduced (summed)
    gradients equal the one-device gradient of the global batch: the same updated weights."""
    devices = tf.config.list_logical_devices("CPU")
    if len(devices) < 2:
        pytest.skip("needs 2 logical CPU devices (configured in tests/conftest.py)")
    global_batch = batch_of(32, count=4, seed=1)
    initial, one = run_real_step(tf.distribute.OneDeviceStrategy(devices[0].name), global_batch)
    initial_two, two = run_real_step(
        tf.distribute.MirroredStrategy([d.name for d in devices[:2]]), global_batch)
    for a, b in zip(initial, initial_two):
        np.testing.assert_array_equal(a, b)  # the same starting point
    moved = [float(np.abs(a - b).max()) for a, b in zip(one, initial)]
    assert np.median(moved) > 1e-2  # a real step (biases before instance norm barely move)
    # Biases that feed instance norm have a true gradient of 0: what they get is float32
    # rounding of sums that cancel, summed in another order on two replicas (seen: 1.3e-6 after
    # the 0.5-rate step). A wrong replica scaling would be off by the update itself (>= 1e-2).
    for a, b in zip(one, two):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_a_non_finite_batch_is_skipped_without_touching_weights_or_optimizer_state():
    model, step, batch = make_step()
    fn = tf.function(step.__call__)
    poisoned = {d: x.copy() for d, x in batch.items()}
    poisoned["a"][0, 0, 0, 0] = np.nan
    before = [v.numpy().copy() for v in model.trainable_variables]  # (the noise seed moves on)
    logs = fn(poisoned)
    assert float(logs["nonfinite/g"]) == 1.0 and float(logs["nonfinite/d"]) == 1.0
    assert not np.isfinite(float(logs["g/total"]))
    assert all(np.array_equal(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
    assert int(step.optimizers["g"].iterations.numpy()) == 0  # no Adam step was taken
    logs = fn(batch)
    assert float(logs["nonfinite/g"]) == 0.0 and float(logs["nonfinite/d"]) == 0.0
    assert int(step.optimizers["g"].iterations.numpy()) == 1
    assert all(np.isfinite(v.numpy()).all() for v in model.variables)


@pytest.mark.parametrize("family", ["unit", "munit", "cyclegan"])
def test_reuse_fakes_updates_g_first_and_d_translates_nothing(family, tmp_path):
    """With optim.reuse_fakes the G update comes first and the D update judges G's
    translations: recorded as the updates run, no translation happens after G's update."""
    config = tiny_experiment(family, tmp_path, tmp_path, optim={"reuse_fakes": True},
                             model={"pool_size": 0} if family == "cyclegan" else None)
    model = build_model(config)
    optimizers = {p: make_optimizer(config.optim, name=p) for p in ("g", "d")}
    step = AlternatingGANStep(model, build_objective(config), optimizers)
    step.build()
    ran, calls = [], []
    record_updates(step, ran)
    for name in ("encode", "translate", "decode"):
        if hasattr(model, name):
            original = getattr(model, name)

            def traced(*args, _original=original, **kwargs):
                calls.append(tuple(ran))
                return _original(*args, **kwargs)

            setattr(model, name, traced)
    logs = step(batch_of(config.data.crop_size))
    assert ran == ["g", "d"]
    assert calls and all(after == () for after in calls)  # every generator pass came before G's update
    assert all(np.isfinite(float(v)) for v in logs.values())


@pytest.mark.large  # slow (the default stage stays under 15 minutes)
def test_reuse_fakes_saves_exactly_the_d_steps_translations():
    """UNIT: the step without reuse runs one more translation per direction (the D update's,
    forward only, in training mode: latent noise and the training-time convolutions), and nothing
    else differs: counted in FLOPs of the traced steps."""
    from unit_tf.profiling import function_flops

    batch = {d: tf.TensorSpec([2, 16, 16, 3]) for d in "ab"}
    flops = {}
    for reuse in (False, True):
        model = UNIT(tiny_model_config("unit"), seed=0).build_networks(16, 16)
        optimizers = {p: make_optimizer(OptimConfig(), name=p) for p in ("g", "d")}
        objective = UNITObjective("lsgan", UNITLossWeights(), reuse_fakes=reuse)
        step = AlternatingGANStep(model, objective, optimizers)
        step.build()
        flops[reuse] = function_flops(step.__call__, batch)
    translations = sum(function_flops(lambda x, d=d: model.translate(x, d, training=True),
                                      batch["a"])
                       for d in ("a2b", "b2a"))
    assert flops[False] - flops[True] == translations > 0


@pytest.mark.parametrize("family", ["pix2pix", "unit_da"])
def test_reuse_fakes_is_refused_where_it_does_not_apply(family, tmp_path):
    config = tiny_experiment(family, tmp_path, tmp_path, optim={"reuse_fakes": True})
    with pytest.raises(ValueError, match="optim.reuse_fakes is for UNIT, MUNIT and CycleGAN"):
        build_objective(config)
