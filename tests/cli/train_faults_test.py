"""`unit-tf train` under the faults long runs meet: signals, SIGKILL, divergence, a checkpoint
that does not match the run's config. Real subprocesses on the tiny UNIT flagfile."""

import os
import random
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import PROJECT_ROOT
from unit_tf.models import load_run
from unit_tf.training.progress import completed_step

TINY = ["train", "--flagfile=flags/unit_tiny.flags", "--sample_every=1000", "--summary_every=1000"]


def start(run_dir, *args):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.Popen([sys.executable, "-m", "unit_tf.cli.main", *TINY,
                             f"--model_dir={run_dir}", *args], cwd=PROJECT_ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def wait_for_step(process, step):
    """Read the progress lines ("step N/M ...") until step `step` has completed."""
    seen = []
    for line in process.stderr:
        seen.append(line)
        if (completed_step(line) or 0) >= step:
            return seen
    raise AssertionError(f"the run ended before step {step}:\n{''.join(seen)[-3000:]}")


def run_to_end(run_dir, *args):
    process = start(run_dir, *args)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return err


def weights(run_dir):
    _, model, step = load_run(str(run_dir))
    return step, {v.path: v.numpy() for v in model.variables}


def max_difference(a, b):
    assert a.keys() == b.keys()
    return max(float(np.abs(a[k] - b[k]).max()) for k in a)


def checkpoint_steps(run_dir):
    names = os.listdir(run_dir / "checkpoints") if (run_dir / "checkpoints").exists() else []
    return sorted(int(n.split("-")[1].split(".")[0]) for n in names if n.endswith(".index"))


@pytest.mark.large
def test_sigterm_saves_the_completed_step_and_resuming_is_bit_exact(tmp_path):
    steps = 10
    err = run_to_end(tmp_path / "straight", f"--max_steps={steps}", "--checkpoint_every=100")
    assert "one op at a time" not in err  # --deterministic gets its one inter-op thread in time
    at = random.Random(7).randint(2, steps - 3)
    process = start(tmp_path / "stopped", f"--max_steps={steps}", "--checkpoint_every=100")
    wait_for_step(process, at)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 75, err[-3000:]
    assert "Traceback" not in err
    stopped = [line for line in err.splitlines() if line.startswith("unit-tf train: stopped")]
    assert len(stopped) == 1, err[-3000:]
    completed = int(stopped[0].split("stopped at step ")[1].split(" ")[0])
    assert completed >= at and f"saved checkpoint {completed};" in stopped[0]
    assert checkpoint_steps(tmp_path / "stopped") == [completed]
    run_to_end(tmp_path / "stopped", f"--max_steps={steps}", "--checkpoint_every=100")
    (step_a, a), (step_b, b) = weights(tmp_path / "straight"), weights(tmp_path / "stopped")
    assert step_a == step_b == steps and max_difference(a, b) == 0.0


@pytest.mark.large
def test_sigkill_at_five_random_points_then_resume_equals_an_uninterrupted_run(tmp_path):
    steps, every = 24, 2
    args = [f"--max_steps={steps}", f"--checkpoint_every={every}", "--keep_checkpoints=2"]
    run_to_end(tmp_path / "straight", *args)
    rng = random.Random(11)
    run_dir, reached = tmp_path / "killed", 0
    for _ in range(5):
        target = rng.randint(reached + 1, reached + 4)
        process = start(run_dir, *args)
        wait_for_step(process, target)
        process.kill()  # SIGKILL: no handler runs
        process.communicate(timeout=60)
        saved = max(checkpoint_steps(run_dir), default=0)
        assert saved >= target - every, (target, saved)  # at most one interval lost
        reached = saved
    run_to_end(run_dir, *args)
    (step_a, a), (step_b, b) = weights(tmp_path / "straight"), weights(run_dir)
    assert step_a == step_b == steps and max_difference(a, b) == 0.0


@pytest.mark.large
def test_a_diverging_run_stops_non_zero_and_keeps_finite_checkpoints(tmp_path):
    process = start(tmp_path, "--max_steps=30", "--lr=1e30", "--max_nonfinite_steps=3")
    _, err = process.communicate(timeout=300)
    assert process.returncode == 3, err[-3000:]
    assert "Traceback" not in err
    assert "steps in a row had non-finite losses or gradients" in err
    assert "update of d, g skipped" in err or "update of d skipped" in err
    step, values = weights(tmp_path)
    assert step < 30 and all(np.all(np.isfinite(v)) for v in values.values())


@pytest.mark.large
def test_a_checkpoint_that_does_not_match_the_config_is_refused_by_name(tmp_path):
    run_to_end(tmp_path, "--max_steps=1")
    config = (tmp_path / "config.json").read_text()
    (tmp_path / "config.json").write_text(config.replace('"n_res": 2', '"n_res": 1'))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-m", "unit_tf.cli.main", "export",
                             f"--model_dir={tmp_path}", f"--export_dir={tmp_path / 'saved'}"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "does not match the model its config.json describes" in result.stderr
    assert "unexpected" in result.stderr and "res" in result.stderr  # the removed res-block
    assert not (tmp_path / "saved").exists()


def test_a_folder_with_no_decodable_image_stops_the_run_naming_it(tmp_path):
    import shutil

    data = tmp_path / "data"
    for split in ("trainA", "testA", "testB"):  # the samples come from good test images
        shutil.copytree(PROJECT_ROOT / "demo_data" / "mnist2usps" / split, data / split)
    (data / "trainB").mkdir()
    for i in range(3):
        good = (data / "trainA" / sorted(os.listdir(data / "trainA"))[i]).read_bytes()
        (data / "trainB" / f"{i}.png").write_bytes(good[:60])  # truncated
    process = start(tmp_path / "run", f"--data_dir={data}", "--max_steps=5")
    _, err = process.communicate(timeout=300)
    assert process.returncode == 2, err[-3000:]
    assert "Traceback" not in err
    assert "unit-tf train: error: trainB" in err and "no decodable image in 3 tries" in err


@pytest.mark.large
def test_translate_skips_oversized_files_by_name_and_fails_when_nothing_translated(tmp_path):
    import tensorflow as tf

    run_to_end(tmp_path / "run", "--max_steps=1")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    rs = np.random.RandomState(0)
    for name, side in [("small.png", 20), ("large.png", 40)]:
        tf.io.write_file(str(inputs / name), tf.io.encode_png(
            rs.randint(0, 255, (side, side, 3)).astype(np.uint8)))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}

    def translate(source):
        return subprocess.run([sys.executable, "-m", "unit_tf.cli.main", "translate",
                               f"--model={tmp_path / 'run'}", f"--input={source}",
                               f"--output_dir={tmp_path / 'out'}", "--max_pixels=1000"],
                              cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                              timeout=300)

    result = translate(inputs)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "translated 1 image(s)" in result.stdout
    assert "large.png: image of 40x40 pixels is larger than the 1000-pixel limit" in result.stdout
    assert sorted(os.listdir(tmp_path / "out")) == ["small_a2b.png"]
    result = translate(inputs / "large.png")
    assert result.returncode == 1 and "no image was translated" in result.stderr


def test_a_checkpoint_of_another_shape_is_refused_naming_the_variables(tmp_path):
    """In-process: a config whose widths differ from the checkpoint's (same variable names)."""
    import json

    from unit_tf.models.registry import CheckpointError

    run_to_end(tmp_path, "--max_steps=1")
    config = json.loads((tmp_path / "config.json").read_text())
    config["model"]["dim"] = 16
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match=r"does not match .* of another shape: .*\(7, 7, "
                                              r"8, 3\) in the checkpoint, \(7, 7, 16, 3\)"):
        load_run(str(tmp_path))


@pytest.mark.large
def test_resume_names_a_changed_model_and_flags_txt_is_rewritten_and_reusable(tmp_path):
    run_dir = tmp_path / "run"
    refused = subprocess.run([sys.executable, "-m", "unit_tf.cli.main", *TINY,
                              f"--model_dir={run_dir}", "--crop_size=300"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "--crop_size=300" in refused.stderr
    assert not run_dir.exists()  # refused arguments leave no run folder behind

    run_to_end(run_dir, "--max_steps=1")
    flags_txt = (run_dir / "flags.txt").read_text()
    assert flags_txt.count("--max_steps=") == 1 and "--max_steps=1" in flags_txt
    assert "--ngf" not in flags_txt and "--family=unit" in flags_txt  # this family's flags only

    changed = start(run_dir, "--max_steps=2", "--n_res=1")
    _, err = changed.communicate(timeout=600)
    assert changed.returncode == 2
    assert "--n_res=1 (the run has 2)" in err and "new --model_dir" in err
    assert "Traceback" not in err

    finished = run_to_end(run_dir, "--max_steps=1")
    assert "nothing to train" in finished
    # the run's own flags.txt, fed back, resumes it (rewritten, never appended)
    again = subprocess.run([sys.executable, "-m", "unit_tf.cli.main", "train",
                            f"--flagfile={run_dir / 'flags.txt'}", "--max_steps=2"],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "max_steps: 1 -> 2" in again.stderr
    assert "resuming from checkpoint 1 (step 1), to step 2" in again.stderr
    assert (run_dir / "flags.txt").read_text().count("--max_steps=") == 1
    assert "--max_steps=2" in (run_dir / "flags.txt").read_text()
