"""`unit-tf fid` as a user runs it (stand-in weights: no torch, no network)."""

import json
import os
import subprocess
import sys

import numpy as np

from tests.conftest import PROJECT_ROOT
from tests.evaluation.fid_test import write_images
from tests.evaluation.fid_weights_test import stand_in_weights


def unit_tf(*args, env=None):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
    return subprocess.run([sys.executable, "-m", "unit_tf.cli.main", "fid", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, env=env,
                          timeout=600)


def test_fid_command_scores_two_sets_and_writes_json(tmp_path):
    rs = np.random.RandomState(0)
    write_images(tmp_path / "real", rs.randint(0, 256, (4, 32, 64, 3)).astype(np.uint8))
    np.savez(tmp_path / "fake.npz", images=rs.randint(0, 256, (3, 48, 48, 3)).astype(np.uint8))
    stand_in_weights(tmp_path / "w.npz")
    result = unit_tf(f"--real={tmp_path / 'real'}", "--real_half=b",
                     f"--fake={tmp_path / 'fake.npz'}:images", f"--fid_weights={tmp_path / 'w.npz'}",
                     "--kid_subsets=5", f"--output={tmp_path / 'out.json'}")
    assert result.returncode == 0, result.stderr[-2000:]
    printed = json.loads(result.stdout)
    assert printed == json.loads((tmp_path / "out.json").read_text())
    assert (printed["n_real"], printed["n_fake"]) == (4, 3) and printed["fid"] > 0
    assert printed["real"].endswith("(B halves)")
    assert "features of" in result.stderr  # progress


def test_fid_command_errors_name_the_problem_and_the_fix(tmp_path):
    missing = unit_tf(f"--real={tmp_path / 'nowhere'}", f"--fake={tmp_path}")
    assert missing.returncode == 2
    assert "image set" in missing.stderr and "does not exist" in missing.stderr
    assert unit_tf(f"--real={tmp_path}").returncode == 2
    # weights that are not there: the message says how to make them
    write_images(tmp_path / "a", np.zeros((2, 8, 8, 3), np.uint8))
    absent = unit_tf(f"--real={tmp_path / 'a'}", f"--fake={tmp_path / 'a'}",
                     f"--fid_weights={tmp_path / 'none.npz'}")
    assert absent.returncode == 2 and "Traceback" not in absent.stderr
    assert "unit-tf fid --prepare" in absent.stderr and "unit_tf[fid]" in absent.stderr
