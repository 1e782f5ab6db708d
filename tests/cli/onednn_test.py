"""The measured oneDNN choice: stored per machine and work (and per model when tune was given
one), applied before TensorFlow loads, never over the user's own variable."""

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

from unit_tf.cli import main, onednn


def stored(tmp_path, entries, key=None):
    path = tmp_path / onednn.CHOICE_FILE
    path.write_text(json.dumps({key or onednn.machine_key(): entries}))
    return str(path)


def entry(setting):
    return {"setting": setting, "seconds": {"0": 0.2, "1": 0.1}, "measured": "now"}


def test_a_stored_choice_sets_the_variable_for_its_work_only(tmp_path):
    path = stored(tmp_path, {"train": entry("1"), "translate": entry("0")})
    environ = {}
    applied = onednn.apply_measured_choice("train", environ, path)
    assert applied["setting"] == "1" and applied["scope"] == "machine"
    assert environ == {onednn.VARIABLE: "1"}
    environ = {}
    onednn.apply_measured_choice("translate", environ, path)
    assert environ == {onednn.VARIABLE: "0"}


def test_a_models_own_measurement_wins_over_the_machines(tmp_path):
    model = onednn.model_key("unit", "official", 256, 1, "float32")
    assert model == "unit official 256px b1 float32"
    assert onednn.model_key("cyclegan", "official", 128, 4, "mixed_bfloat16") == \
        "cyclegan 128px b4 mixed_bfloat16"  # the preset is UNIT's only
    path = stored(tmp_path, {"train": entry("1"), "translate": entry("1"),
                             "models": {model: {"train": entry("0")}}})
    environ = {}
    applied = onednn.apply_measured_choice("train", environ, path, model=model)
    assert environ == {onednn.VARIABLE: "0"} and applied["scope"] == model
    environ = {}  # the model's translation was not measured: the machine's choice
    assert onednn.apply_measured_choice("translate", environ, path, model=model)["scope"] == \
        "machine" and environ == {onednn.VARIABLE: "1"}
    environ = {}  # another model: the machine's choice
    onednn.apply_measured_choice("train", environ, path, model="munit 256px b1 float32")
    assert environ == {onednn.VARIABLE: "1"}


def test_the_model_of_a_command_is_read_without_tensorflow(tmp_path):
    assert main.model_of_command("train", []) == "unit official 256px b1 float32"  # defaults
    args = main.expand_flagfiles(["--flagfile=flags/demo.flags", "--batch_size", "4"])
    assert main.model_of_command("train", args) == "unit paper 32px b4 float32"
    assert main.model_of_command("train", ["--family=munit", "--crop_size=128",
                                           "--crop_size=64"]) == "munit 64px b1 float32"
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({
        "family": "cyclegan", "model": {"preset": "official"}, "data": {
            "crop_size": 256, "batch_size": 1}, "runtime": {"precision": "float32"}}))
    assert main.model_of_command("translate", [f"--model={run}"]) == "cyclegan 256px b1 float32"
    assert main.model_of_command("export", ["--model_dir", str(run)]) == \
        "cyclegan 256px b1 float32"
    assert main.model_of_command("translate", ["--model=savedmodels/absent/1"]) is None
    assert main.model_of_command("fid", []) is None


def test_the_users_variable_wins_and_other_machines_choices_are_ignored(tmp_path):
    path = stored(tmp_path, {"train": entry("1")})
    environ = {onednn.VARIABLE: "0"}
    assert onednn.apply_measured_choice("train", environ, path) is None
    assert environ == {onednn.VARIABLE: "0"}
    other = stored(tmp_path, {"train": entry("1")}, key="another CPU | 64 cores | tensorflow 9")
    environ = {}
    assert onednn.apply_measured_choice("train", environ, other) is None and environ == {}
    assert onednn.apply_measured_choice("train", {}, str(tmp_path / "absent.json")) is None


@pytest.mark.large  # slow (the default stage stays under 15 minutes)
def test_measure_times_both_settings_and_stores_the_faster(tmp_path):
    path = str(tmp_path / "choice.json")
    measured = onednn.measure(path=path, size=8, channels=4, layers=1, repeats=1)
    assert set(measured) == {"train", "translate"}
    for work, result in measured.items():
        seconds = result["seconds"]
        assert set(seconds) == {"0", "1"} and all(s > 0 for s in seconds.values())
        assert result["setting"] == min(seconds, key=seconds.get)
    assert onednn.read_choices(path)[onednn.machine_key()] == measured


@pytest.mark.large  # slow: four fresh TensorFlow processes
def test_measure_model_times_the_experiments_own_step_and_translation(tmp_path):
    from unit_tf.config import DataConfig, ExperimentConfig, defaults

    base = defaults("unit", "paper")
    config = ExperimentConfig(
        family="unit", model=base.model, loss_weights=base.loss_weights, optim=base.optim,
        data=DataConfig(data_dir=str(tmp_path), load_size=32, crop_size=32, batch_size=2))
    config = dataclasses.replace(config, model=dataclasses.replace(
        config.model, dim=8, n_res=1,
        dis=dataclasses.replace(config.model.dis, dim=8, n_layer=2, num_scales=1)))
    path = str(tmp_path / "choice.json")
    key, measured = onednn.measure_model(config, path=path, repeats=1)
    assert key == "unit paper 32px b2 float32" and set(measured) == {"train", "translate"}
    for result in measured.values():
        assert result["setting"] == min(result["seconds"], key=result["seconds"].get)
        assert all(s > 0 for s in result["seconds"].values())
    assert onednn.read_choices(path)[onednn.machine_key()]["models"][key] == measured


def test_each_command_starts_with_the_choice_for_its_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UNIT_TF_CACHE", str(tmp_path))
    stored(tmp_path, {"translate": entry("0"), "train": entry("1")})
    for command, setting in (("translate", "0"), ("export", "0"), ("test", "0"),
                             ("train", "1")):
        monkeypatch.delenv(onednn.VARIABLE, raising=False)
        main.apply_onednn_choice(command)
        assert os.environ[onednn.VARIABLE] == setting, command
    assert "measured faster for training on this machine by `unit-tf tune`" in \
        capsys.readouterr().err
    monkeypatch.delenv(onednn.VARIABLE)
    assert main.apply_onednn_choice("tune") is None and onednn.VARIABLE not in os.environ


def tune(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != onednn.VARIABLE}
    env.update(UNIT_TF_CACHE=str(tmp_path), TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, "-m", "unit_tf.cli.main", "tune", *args],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_tune_unless_measured_skips_a_measured_model_and_refuses_bad_flags(tmp_path):
    model = "unit paper 32px b8 float32"  # flags/demo.flags
    both = {"train": entry("1"), "translate": entry("1")}
    stored(tmp_path, {**both, "models": {model: both}})
    done = tune(tmp_path, "--unless_measured", "--flagfile=flags/demo.flags")
    assert done.returncode == 0 and "machine:" not in done.stdout, done.stderr[-2000:]
    for bad, named in (("--precision=float8", "--precision"), ("--crop_size=18", "crop_size=18")):
        refused = tune(tmp_path, "--flagfile=flags/demo.flags", bad)
        assert refused.returncode != 0 and named in refused.stderr
        assert "Traceback" not in refused.stderr
