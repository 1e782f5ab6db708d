"""The measured oneDNN choice: stored per machine and work, applied before TensorFlow loads,
never over the user's own variable."""

import json
import os

import pytest

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
    assert onednn.apply_measured_choice("train", environ, path)["setting"] == "1"
    assert environ == {onednn.VARIABLE: "1"}
    environ = {}
    onednn.apply_measured_choice("translate", environ, path)
    assert environ == {onednn.VARIABLE: "0"}


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
