"""Strategies, precision and determinism; the multi-worker path runs as two localhost workers."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import PROJECT_ROOT
from unit_tf.training import create_strategy, is_chief, runtime
from unit_tf.training.progress import completed_step


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_strategy_names_and_errors(monkeypatch):
    assert create_strategy("default").num_replicas_in_sync == 1
    assert create_strategy("one_device").num_replicas_in_sync == 1
    assert create_strategy("mirrored").num_replicas_in_sync == 2  # the two logical CPUs
    assert is_chief(create_strategy("mirrored"))
    with pytest.raises(ValueError, match="--strategy='tpu'"):
        create_strategy("tpu")
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(ValueError, match="TF_CONFIG"):
        create_strategy("multi_worker")


def test_deterministic_runs_warn_when_onednn_is_on(monkeypatch, caplog):
    assert not runtime.onednn_enabled()  # tests/conftest.py turns it off for the resume tests
    runtime.set_determinism(1, deterministic=True)
    assert "oneDNN" not in caplog.text
    monkeypatch.setattr(runtime, "onednn_enabled", lambda: True)
    runtime.set_determinism(1, deterministic=False)
    assert "oneDNN" not in caplog.text
    runtime.set_determinism(1, deterministic=True)
    assert "TF_ENABLE_ONEDNN_OPTS=0" in caplog.text
    # Grappler's rewrites are not a pure function of the graph: off in deterministic runs
    assert tf.config.optimizer.get_experimental_options()["disable_meta_optimizer"] is True


def test_deterministic_runs_get_one_inter_op_thread_only_before_tf_starts():
    assert runtime.run_one_op_at_a_time()  # tests/conftest.py set it before TF started
    fresh = ("import tensorflow as tf; from unit_tf.training import runtime; "
             "print(runtime.run_one_op_at_a_time(), "
             "tf.config.threading.get_inter_op_parallelism_threads())")
    late = ("import tensorflow as tf; from unit_tf.training import runtime; tf.constant(1.0) + 1; "
            "runtime.set_determinism(1, deterministic=True); "
            "print(runtime.run_one_op_at_a_time(), "
            "tf.config.threading.get_inter_op_parallelism_threads())")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    outs = [subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, text=True, env=env,
                           capture_output=True, check=True) for code in (fresh, late)]
    assert outs[0].stdout.split() == ["True", "1"] and "one op at a time" not in outs[0].stderr
    assert outs[1].stdout.split() == ["False", "0"]
    assert "one op at a time" in outs[1].stderr  # the warning of a late request


def test_onednn_is_read_from_the_environment_of_the_process():
    code = "from unit_tf.training import runtime; print(runtime.onednn_enabled())"
    for value, expected in [("0", "False"), ("1", "True")]:
        out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, text=True,
                             capture_output=True, check=True,
                             env={**os.environ, "TF_ENABLE_ONEDNN_OPTS": value}).stdout
        assert out.split()[-1] == expected


def test_devices_map_onto_one_device_or_mirrored_strategies():
    one = create_strategy("default", devices="CPU")
    assert isinstance(one, tf.distribute.OneDeviceStrategy) and one.num_replicas_in_sync == 1
    both = create_strategy("default", devices="cpu:0, CPU:1")
    assert isinstance(both, tf.distribute.MirroredStrategy) and both.num_replicas_in_sync == 2
    with pytest.raises(ValueError, match="'GPU:0' is not a device of this machine.*CPU:0, CPU:1"
                                         ".*CUDA_VISIBLE_DEVICES"):
        create_strategy("default", devices="GPU:0")
    with pytest.raises(ValueError, match="names no device"):
        create_strategy("mirrored", devices=" , ")
    with pytest.raises(ValueError, match="does not combine with --strategy=multi_worker"):
        create_strategy("multi_worker", devices="CPU")


def checkpoint_values(path):
    reader = tf.train.load_checkpoint(path)
    names = sorted(n for n in reader.get_variable_to_shape_map() if n.startswith("model/"))
    return {n: reader.get_tensor(n) for n in names}


def start_workers(run_dir, *args):
    """Two `unit-tf train --strategy=multi_worker` processes on 127.0.0.1 (TF_CONFIG)."""
    cluster = {"worker": [f"127.0.0.1:{p}" for p in free_ports(2)]}
    workers = []
    for index in range(2):
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2",
               "TF_CONFIG": json.dumps({"cluster": cluster,
                                        "task": {"type": "worker", "index": index}})}
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "unit_tf.cli.main", "train", "--flagfile=flags/unit_tiny.flags",
             "--strategy=multi_worker", f"--model_dir={run_dir}", *args],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return workers


@pytest.mark.large
def test_two_localhost_workers_train_in_sync(tmp_path):
    """`unit-tf train --strategy=multi_worker` in two processes (TF_CONFIG, 127.0.0.1): both end
    at the same step with identical weights (the all-reduce ran), only the chief writes the run
    directory's checkpoints, samples and config."""
    run_dir = tmp_path / "run"
    workers = start_workers(run_dir, "--max_steps=2", "--checkpoint_every=2", "--noprogress")
    outputs = []
    try:
        for w in workers:
            outputs.append(w.communicate(timeout=300))
    finally:
        for w in workers:
            w.kill()
    for w, (_, err) in zip(workers, outputs):
        assert w.returncode == 0, err[-3000:]

    chief = tf.train.latest_checkpoint(run_dir / "checkpoints")
    other = tf.train.latest_checkpoint(run_dir / "checkpoints_scratch" / "worker_1")
    assert tf.train.load_checkpoint(chief).get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE") == 2
    a, b = checkpoint_values(chief), checkpoint_values(other)
    assert len(a) > 20 and a.keys() == b.keys()
    assert max(float(np.abs(a[n] - b[n]).max()) for n in a) == 0.0
    assert {"config.json", "flags.txt", "samples", "checkpoints"} <= set(os.listdir(run_dir))


@pytest.mark.large
def test_sigterm_to_one_worker_stops_both_after_the_chief_saves(tmp_path):
    """Pre-emption of one machine: SIGTERM to the chief only; the stop flag is all-reduced, so
    both workers finish the same step, take part in the save and exit 75 with one line each."""
    import signal

    run_dir = tmp_path / "run"
    workers = start_workers(run_dir, "--max_steps=400", "--checkpoint_every=1000",
                            "--sample_every=1000", "--log_every=1")
    try:
        for line in workers[0].stderr:  # the chief's progress lines
            if (completed_step(line) or 0) >= 3:
                break
        workers[0].send_signal(signal.SIGTERM)
        outputs = [w.communicate(timeout=300) for w in workers]
    finally:
        for w in workers:
            w.kill()
    for w, (_, err) in zip(workers, outputs):
        assert w.returncode == 75, err[-3000:]
        assert "Traceback" not in err
    chief_line = [l for l in outputs[0][1].splitlines() if "stopped at step" in l]
    worker_line = [l for l in outputs[1][1].splitlines() if "stopped at step" in l]
    assert len(chief_line) == 1 and len(worker_line) == 1
    step = int(chief_line[0].split("stopped at step ")[1].split(" ")[0])
    assert f"stopped at step {step} " in worker_line[0]
    assert "the chief saved the checkpoint" in worker_line[0]
    chief = tf.train.latest_checkpoint(run_dir / "checkpoints")
    assert chief.endswith(f"ckpt-{step}")
    assert tf.train.load_checkpoint(chief).get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE") == step
