"""benchmarks/domain_adaptation.py: the command recorded in quality.json trains the configuration
the benchmark trained, and each variant gets its own run name."""

import argparse
import json

import numpy as np
import pytest
from absl import flags

from tests.benchmarks import BENCHMARKS, load
from unit_tf.cli import flags as train_flags


def benchmark_args(**changes):
    values = dict(shared="/data/shared", steps=2500, eval_every=250, ch_g=32, ch_d=32, batch=32,
                  seed=3, feature_w=1e-4, recon_w=1e-3, cycle_w=0.0, semantic_w=0.0,
                  info_max_w=0.0, invert="", grey_target=False, augment=0.0, recolour="",
                  classifier_front="own", oracle_steps=5000, runs="runs", output="out.json")
    values.update(changes)
    return argparse.Namespace(**values)


def parsed_command(command):
    words = command.split()
    assert words[:2] == ["unit-tf", "train"]
    flags.FLAGS.unparse_flags()
    try:
        flags.FLAGS(["unit-tf train", *words[2:]])
        return train_flags.to_config()
    finally:
        flags.FLAGS.unparse_flags()


def assert_trains_alike(config, other):
    """Same networks, loss weights, optimiser and data protocol (wherever the data lives)."""
    assert config.model == other.model
    assert config.loss_weights == other.loss_weights
    assert config.optim == other.optim
    for field in ("protocol", "invert", "augment", "recolour", "batch_size", "load_size",
                  "crop_size"):
        assert getattr(config.data, field) == getattr(other.data, field), field


@pytest.mark.parametrize("protocol, changes", [
    ("mnist_to_usps", {}),
    ("usps_to_mnist", {"semantic_w": 1.0, "info_max_w": 1.0, "feature_w": 1e-2}),
    ("mnist_to_mnist_m", {"info_max_w": 0.5, "invert": "a", "grey_target": True}),
    ("mnist_to_usps", {"info_max_w": 1.0, "augment": 0.15}),
    ("mnist_to_mnist_m", {"semantic_w": 1.0, "info_max_w": 1.0, "recolour": "a"}),
    ("mnist_to_mnist_m", {"semantic_w": 1.0, "recolour": "a", "classifier_front": "source"}),
])
def test_the_recorded_command_trains_the_benchmarks_configuration(protocol, changes):
    module = load("domain_adaptation")
    args = benchmark_args(**changes)
    trained = module.experiment(args, protocol, "", args.steps)
    config = parsed_command(module.command(args, protocol))
    assert config.family == "unit_da"
    assert_trains_alike(config, trained)
    assert config.data.data_dir == trained.data.data_dir
    assert config.runtime.seed == 3 and config.train.max_steps == 2500


def test_each_variant_has_its_own_run_name():
    module = load("domain_adaptation")
    assert module.run_name(benchmark_args(), "mnist_to_usps") == "da_mnist_to_usps"
    name = module.run_name(benchmark_args(info_max_w=1.0, invert="a", grey_target=True),
                           "mnist_to_mnist_m")
    assert name == "da_mnist_to_mnist_m_im1_inva_grey"
    assert module.run_name(benchmark_args(semantic_w=1.0, cycle_w=1e-3), "usps_to_mnist") == \
        "da_usps_to_mnist_cw0.001_sw1"
    assert module.run_name(benchmark_args(semantic_w=1.0, augment=0.15), "mnist_to_usps") == \
        "da_mnist_to_usps_sw1_aug0.15"
    assert module.run_name(benchmark_args(semantic_w=1.0, recolour="a"), "mnist_to_mnist_m") == \
        "da_mnist_to_mnist_m_sw1_cola"
    assert module.run_name(benchmark_args(recolour="a", classifier_front="source"),
                           "mnist_to_mnist_m") == "da_mnist_to_mnist_m_cola_frontsource"


def test_a_painted_domain_is_read_in_colour():
    module = load("domain_adaptation")
    painted = module.experiment(benchmark_args(recolour="a"), "mnist_to_mnist_m", "", 1)
    assert (painted.model.channels_a, painted.model.channels_b) == (3, 3)
    assert painted.data.recolour == "a"
    grey = module.experiment(benchmark_args(), "mnist_to_mnist_m", "", 1)
    assert (grey.model.channels_a, grey.model.channels_b) == (1, 3)


def variant(steps, balance, accuracy):
    return {"steps": steps, "target_prediction_balance": balance, "accuracy": accuracy}


def test_the_headline_is_the_longest_uncollapsed_variant_whatever_its_accuracy():
    select = load("domain_adaptation").select
    previous = {"variants": {"short": variant(2500, 0.999, 0.95),
                             "collapsed": variant(9000, 0.62, 0.97)}}
    result = select(previous, "long", variant(6000, 0.95, 0.90))
    assert result["run"] == "long" and result["accuracy"] == 0.90
    assert set(result["variants"]) == {"short", "collapsed", "long"}
    assert "no target labels" in result["model_selection"]
    # equal budgets: the higher balance; a re-run of a variant replaces its entry
    result = select(result, "short", variant(6000, 0.97, 0.80))
    assert result["run"] == "short" and result["variants"]["short"]["accuracy"] == 0.80
    # only collapsed variants: still one headline, the longest
    only_collapsed = select({}, "a", variant(100, 0.5, 0.3))
    assert select(only_collapsed, "b", variant(200, 0.4, 0.2))["run"] == "b"


@pytest.mark.parametrize("protocol", ["mnist_to_usps", "usps_to_mnist", "mnist_to_mnist_m"])
def test_the_cpu_flagfile_trains_the_published_headline(protocol):
    """flags/da_<protocol>_cpu.flags alone gives the configuration behind the headline accuracy
    of benchmarks/results/quality.json (all but where the data lives)."""
    headline = json.loads((BENCHMARKS / "results" / "quality.json").read_text())[protocol]
    shipped = parsed_command(f"unit-tf train --flagfile=flags/da_{protocol}_cpu.flags")
    recorded = parsed_command(headline["command"])
    assert_trains_alike(shipped, recorded)
    assert shipped.runtime.seed == recorded.runtime.seed
    assert shipped.train.max_steps == recorded.train.max_steps == headline["steps"]


@pytest.mark.large  # trains a tiny DA run and two oracles on the shared digits (~1 minute)
def test_rediagnose_reads_each_kept_run_again_with_a_target_oracle(tmp_path):
    from tests.conftest import DATASETS, require

    require(DATASETS / "digits")
    benchmark = load("domain_adaptation")
    args = benchmark_args(shared=str(DATASETS.parent), steps=2, eval_every=2, ch_g=4, ch_d=4,
                          batch=4, seed=0, oracle_steps=3, runs=str(tmp_path))
    curve, _ = benchmark.adapted(args, "mnist_to_usps")
    assert [p["step"] for p in curve] == [2]
    name = benchmark.run_name(args, "mnist_to_usps")
    kept = {"steps": 2, "target_prediction_balance": 0.95, "accuracy": curve[-1]["accuracy"]}
    gone = {"steps": 9000, "target_prediction_balance": 0.2, "accuracy": 0.5}
    result = benchmark.select(benchmark.select({}, "gone_run", gone), name, kept)

    again = benchmark.rediagnosed(args, "mnist_to_usps", result)
    assert again["variants"]["gone_run"] == gone  # no run directory: kept as recorded
    read = again["variants"][name]
    assert 0.0 <= read["a2b_translation_accuracy"] <= 1.0
    assert 0.0 <= read["target_oracle_accuracy"] <= 1.0 and read["target_oracle_steps"] == 3
    assert 0.0 <= read["target_prediction_balance"] <= 1.0
    assert read["a2b_translation_spread"] >= 0.0
    # the re-read balance decides the headline among uncollapsed runs
    assert again["run"] == (name if read["target_prediction_balance"] >= 0.9 else "gone_run")


@pytest.mark.parametrize("flags", [["--steps", "100"], ["--steps", "600"],
                                   ["--steps", "500", "--eval_every", "0"]])
def test_steps_that_are_not_whole_evaluation_chunks_are_refused(flags, capsys):
    with pytest.raises(SystemExit):
        load("domain_adaptation").main(["--eval_every", "250", *flags])
    assert "must be a positive multiple of --eval_every" in capsys.readouterr().err


def test_a_classifier_front_the_domains_cannot_share_is_refused_before_training(tmp_path, capsys):
    shared = tmp_path / "shared"
    (shared / "datasets" / "digits").mkdir(parents=True)
    with pytest.raises(SystemExit):
        load("domain_adaptation").main(["--shared", str(shared), "--protocols",
                                        "mnist_to_mnist_m", "--classifier_front", "source",
                                        "--steps", "250", "--runs", str(tmp_path / "runs")])
    err = capsys.readouterr().err
    assert "mnist_to_mnist_m" in err and "channels_a=1 and channels_b=3 differ" in err
    assert not (tmp_path / "runs").exists()


def fake_split(count=8):
    rng = np.random.RandomState(0)
    part = lambda: (rng.randint(0, 256, (count, 32, 32, 3)).astype(np.uint8),  # noqa: E731
                    rng.randint(0, 10, count).astype(np.int64))
    return {"a": part(), "b": part(), "test_b": part()}


def test_each_classifier_alone_trains_its_own_first_layer_whatever_the_front(monkeypatch):
    """With --classifier_front source the baselines still name their paths: the source-only
    classifier d0_a, the target oracle d0_b (the oracle must not read through a frozen d0_a)."""
    import unit_tf.data.digits

    module = load("domain_adaptation")
    monkeypatch.setattr(unit_tf.data.digits, "protocol_split", lambda *a, **k: fake_split())
    args = benchmark_args(ch_g=4, ch_d=4, batch=4, steps=2, eval_every=2, recolour="a",
                          classifier_front="source")
    for domain in ("a", "b"):
        curve, model = module.classifier_alone(args, "mnist_to_mnist_m", domain, steps=2)
        assert model.config.classifier_front == "own" and len(curve) == 1
        start = module.baseline_model(args, "mnist_to_mnist_m")  # the same initial weights
        other = "b" if domain == "a" else "a"
        assert not np.array_equal(model.dis.d0[domain].kernel.numpy(),
                                  start.dis.d0[domain].kernel.numpy())
        np.testing.assert_array_equal(model.dis.d0[other].kernel.numpy(),
                                      start.dis.d0[other].kernel.numpy())


def test_baselines_are_trained_once_per_settings_and_read_back_with_their_weights(
        tmp_path, monkeypatch):
    from unit_tf.models import UNITDA

    module = load("domain_adaptation")
    args = benchmark_args(ch_g=4, ch_d=4, runs=str(tmp_path), recolour="a")
    calls = []

    def fake_classifier_alone(args_, protocol, domain="a", info_max_w=0.0, steps=None):
        calls.append((domain, info_max_w, steps))
        config = module.experiment(args_, protocol, "", 1).model
        model = UNITDA(config, seed=len(calls)).build_networks()
        return [{"step": steps or args_.steps, "accuracy": 0.25 * len(calls)}], model

    monkeypatch.setattr(module, "classifier_alone", fake_classifier_alone)
    monkeypatch.setattr(module, "code_commit", lambda: "abc1234")
    first, model = module.cached_classifier(args, "mnist_to_mnist_m", "b")
    again, read = module.cached_classifier(args, "mnist_to_mnist_m", "b")
    assert calls == [("b", 0.0, 5000)] and again == first and first["commit"] == "abc1234"
    for v, w in zip(model.weights, read.weights):
        np.testing.assert_array_equal(v.numpy(), w.numpy())
    assert module.target_oracle(args, "mnist_to_mnist_m")[0] == 0.25
    # another setting is another baseline
    assert module.source_only(args, "mnist_to_mnist_m", 1.0)["curve"][-1]["accuracy"] == 0.5
    assert module.source_only(args, "mnist_to_mnist_m")["curve"][-1]["accuracy"] == 0.75
    module.source_only(benchmark_args(ch_g=4, ch_d=4, runs=str(tmp_path), recolour="a",
                                      seed=4), "mnist_to_mnist_m")
    assert [c[:2] for c in calls] == [("b", 0.0), ("a", 1.0), ("a", 0.0), ("a", 0.0)]
    module.baselines(benchmark_args(ch_g=4, ch_d=4, runs=str(tmp_path), recolour="a",
                                    info_max_w=1.0), "mnist_to_mnist_m")
    assert len(calls) == 4  # all three were in the cache
