"""`unit-tf train/export/eval` for the digit domain-adaptation family (needs ../shared)."""

import json

import numpy as np
import pytest

from tests.cli.main_test import unit_tf
from tests.conftest import DATASETS, require


@pytest.mark.large
def test_train_export_and_eval_agree_between_run_and_savedmodel(tmp_path):
    require(DATASETS / "digits")
    run_dir, saved = tmp_path / "run", tmp_path / "saved"
    unit_tf("train", "--flagfile=flags/da_mnist_to_usps_cpu.flags", f"--data_dir={DATASETS}",
            f"--model_dir={run_dir}", "--max_steps=3", "--ch_g=4", "--ch_d=4",
            "--batch_size=4", f"--export_dir={saved}")
    from_run = json.loads(unit_tf("eval", f"--model_dir={run_dir}").stdout)
    from_saved = json.loads(unit_tf("eval", f"--model_dir={saved}").stdout)
    assert from_run["images"] == from_saved["images"] == 2007  # the full USPS test set
    assert from_run["classifier"] == from_saved["classifier"] == "classify_b"
    assert from_run["accuracy"] == from_saved["accuracy"]
    # any labelled .npz, in the shapes users have: [N, H, W] uint8 at 28x28
    rs = np.random.RandomState(0)
    np.savez(tmp_path / "digits.npz", x_test=rs.randint(0, 255, (7, 28, 28), dtype=np.uint8),
             y_test=rs.randint(0, 10, 7))
    for model in (run_dir, saved):
        other = json.loads(unit_tf("eval", f"--model_dir={model}",
                                   f"--labelled={tmp_path / 'digits.npz'}").stdout)
        assert other["images"] == 7 and 0.0 <= other["accuracy"] <= 1.0
    bad = unit_tf("eval", f"--model_dir={run_dir}", f"--labelled={tmp_path / 'none.npz'}",
                  check=False)
    assert bad.returncode == 2 and "none.npz" in bad.stderr and "does not exist" in bad.stderr
