import dataclasses
import os

import numpy as np
import pytest

from tests.conftest import PROJECT_ROOT
from unit_tf.models import load_run
from unit_tf.testing.tiny import tiny_experiment
from unit_tf.training import create_strategy, train

DIGITS = str(PROJECT_ROOT / "demo_data" / "mnist2usps")


def tiny_config(model_dir, steps, **runtime):
    return tiny_experiment("unit", DIGITS, model_dir, steps, runtime=runtime)


def weights(model):
    return [v.numpy().astype(np.float64) for v in model.variables]


def max_difference(a, b):
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b))


@pytest.mark.parametrize("strategy", ["default",
                                      pytest.param("mirrored", marks=pytest.mark.large)])
def test_resumed_run_equals_uninterrupted_run_exactly(tmp_path, strategy):
    straight, _ = train(tiny_config(tmp_path / "straight", 4, strategy=strategy),
                        create_strategy(strategy))
    train(tiny_config(tmp_path / "resumed", 2, strategy=strategy), create_strategy(strategy))
    resumed, _ = train(tiny_config(tmp_path / "resumed", 4, strategy=strategy),
                       create_strategy(strategy))
    assert max_difference(weights(straight), weights(resumed)) == 0.0
    _, loaded, step = load_run(str(tmp_path / "resumed"))
    assert step == 4 and max_difference(weights(straight), weights(loaded)) == 0.0


def test_run_directory_holds_checkpoints_samples_and_summaries(tmp_path):
    train(tiny_config(tmp_path, 2), create_strategy("default"))
    names = set(os.listdir(tmp_path))
    assert {"checkpoints", "samples", "tensorboard", "config.json"} <= names
    assert sorted(os.listdir(tmp_path / "samples")) == ["a2b_00000002.png", "b2a_00000002.png"]
    assert os.listdir(tmp_path / "tensorboard")


def test_noresume_refuses_an_existing_run(tmp_path):
    train(tiny_config(tmp_path, 1), create_strategy("default"))
    with pytest.raises(FileExistsError, match="already holds a checkpoint"):
        train(tiny_config(tmp_path, 2), create_strategy("default"), resume=False)


def test_batch_must_divide_over_replicas_and_crop_must_fit(tmp_path):
    config = tiny_config(tmp_path, 1)
    odd = dataclasses.replace(config, data=dataclasses.replace(config.data, batch_size=3))
    with pytest.raises(ValueError, match="batch_size=3"):
        train(odd, create_strategy("mirrored"))
    for crop, message in [(10, "multiple of the network stride"), (4, "too small")]:
        bad = dataclasses.replace(config, data=dataclasses.replace(config.data, load_size=crop,
                                                                   crop_size=crop))
        with pytest.raises(ValueError, match=f"crop_size={crop}.*{message}"):
            train(bad, create_strategy("default"))


@pytest.mark.large
def test_jit_compiled_step_trains_the_same_network(tmp_path, strategy="mirrored"):
    """XLA draws a different latent-noise stream (its Philox/normal lowering is not TF's), so the
    runs are not comparable weight for weight. What must match: every logged term exists and is
    finite, the noise-free terms of the first step (the KL of the encoders' means, computed from
    the initial weights) agree to float32 rounding, and both players' weights moved. Mirrored,
    because XLA with replicas is the case that can break (the default strategy runs the same
    code with one replica)."""
    initial, _ = train(tiny_config(tmp_path / "init", 0, strategy=strategy),
                       create_strategy(strategy))
    plain, plain_logs = train(tiny_config(tmp_path / "plain", 1, strategy=strategy),
                              create_strategy(strategy))
    xla, xla_logs = train(tiny_config(tmp_path / "xla", 1, strategy=strategy, jit_compile=True),
                          create_strategy(strategy))
    assert plain_logs.keys() == xla_logs.keys()
    assert all(np.isfinite(float(v)) for v in xla_logs.values())
    for term in ("g/recon_kl/a", "g/recon_kl/b"):
        np.testing.assert_allclose(float(xla_logs[term]), float(plain_logs[term]), rtol=1e-5)
    for player in ("g", "d"):
        before = [v.numpy() for v in initial.trainable_variables_of(player)]
        after = [v.numpy() for v in xla.trainable_variables_of(player)]
        assert max(float(np.abs(x - y).max()) for x, y in zip(before, after)) > 0


FACADES_TINY = str(PROJECT_ROOT / "demo_data" / "facades_tiny")


def junyanz_config(model_dir, family, steps, strategy="default", **model):
    from unit_tf.config import junyanz_optim

    config = tiny_experiment(
        family, FACADES_TINY, model_dir, steps, model=model,
        data={"layout": "side_by_side", "resize": "square", "load_size": 36},
        runtime={"seed": 5, "strategy": strategy})
    return dataclasses.replace(config, optim=junyanz_optim(n_epochs=1, n_epochs_decay=1))


@pytest.mark.large
def test_cyclegan_resume_restores_the_image_pools_exactly(tmp_path):
    def config(name, steps):
        return junyanz_config(tmp_path / name, "cyclegan", steps, net_g="resnet_1blocks",
                              pool_size=2)

    straight, _ = train(config("straight", 4), create_strategy("default"))
    train(config("resumed", 2), create_strategy("default"))
    resumed, logs = train(config("resumed", 4), create_strategy("default"))
    assert max_difference(weights(straight), weights(resumed)) == 0.0
    assert {"g/cycle/a", "g/idt/b", "g/gan/a2b", "d/gan/a", "d/gan/b"} <= set(logs)
    samples = sorted(os.listdir(tmp_path / "resumed" / "samples"))
    assert samples == ["a2b_00000002.png", "a2b_00000004.png", "b2a_00000002.png",
                       "b2a_00000004.png"]


def test_pix2pix_trains_for_its_epochs_on_pairs(tmp_path):
    import json

    config = junyanz_config(tmp_path, "pix2pix", -1, net_g="unet_32", direction="b2a")
    model, logs = train(config, create_strategy("default"))
    with open(tmp_path / "config.json") as f:
        saved = json.load(f)
    # 16 pairs / batch 2 = 8 steps an epoch, 1 + 1 epochs
    assert saved["optim"]["steps_per_epoch"] == 8 and saved["train"]["max_steps"] == 16
    assert set(logs) >= {"g/gan/b2a", "g/l1/b2a", "d/gan/a", "g/lr"}
    assert logs["g/lr"] == pytest.approx(2e-4 * (1 - 1 / 2))  # the last step, a decay epoch
    assert sorted(os.listdir(tmp_path / "samples"))[-1] == "b2a_00000016.png"
    _, loaded, step = load_run(str(tmp_path))
    assert step == 16 and loaded.directions == ("b2a",)


@pytest.mark.large
def test_cyclegan_with_pools_under_mirrored_two_replicas(tmp_path):
    config = junyanz_config(tmp_path, "cyclegan", 2, strategy="mirrored",
                            net_g="resnet_1blocks", pool_size=2)
    _, logs = train(config, create_strategy("mirrored"))
    assert np.isfinite(list(logs.values())).all()


@pytest.mark.large
def test_a_domain_adaptation_run_resumes_bit_exactly(tmp_path):
    from tests.conftest import DATASETS, require

    require(DATASETS / "digits")

    def config(name, steps):
        return tiny_experiment("unit_da", DATASETS, tmp_path / name, steps,
                               data={"protocol": "mnist_to_usps", "flip": False,
                                     "augment": 0.15})  # the augmented stream resumes too

    straight, logs = train(config("straight", 4), create_strategy("default"))
    train(config("resumed", 2), create_strategy("default"))
    resumed, _ = train(config("resumed", 4), create_strategy("default"))
    assert max_difference(weights(straight), weights(resumed)) == 0.0
    assert {"d/cls/a", "d/feature/a", "d/gan/true", "g/kl/ab", "g/recon/b"} <= set(logs)
    _, loaded, step = load_run(str(tmp_path / "resumed"))
    assert step == 4 and max_difference(weights(straight), weights(loaded)) == 0.0


def test_every_nth_checkpoint_is_kept_and_any_kept_one_can_be_loaded(tmp_path):
    config = tiny_experiment("unit", DIGITS, tmp_path, 4, train={
        "checkpoint_every": 1, "keep_checkpoints": 1, "keep_every": 2})
    straight, _ = train(config, create_strategy("default"))
    names = sorted(n for n in os.listdir(tmp_path / "checkpoints") if n.endswith(".index"))
    assert names == ["ckpt-4.index"]  # the rotation keeps one
    assert sorted(n for n in os.listdir(tmp_path / "checkpoints" / "kept")
                  if n.endswith(".index")) == ["ckpt-2.index", "ckpt-4.index"]
    _, at_two, step = load_run(str(tmp_path), checkpoint=2)
    _, newest, _ = load_run(str(tmp_path))
    assert step == 2 and max_difference(weights(at_two), weights(newest)) > 0
    assert max_difference(weights(straight), weights(newest)) == 0.0
    with pytest.raises(FileNotFoundError, match="keeps steps 2, 4"):
        load_run(str(tmp_path), checkpoint=3)
