"""`unit-tf train/export/eval` for the digit domain-adaptation family (needs ../shared)."""

import json

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.data.images import to_signed
from unit_tf.models import load_run

from tests.cli.main_test import unit_tf
from tests.conftest import DATASETS, require


# (flagfile, dataset folders it needs, target test images): USPS's full test set; MNIST-M's
# held-out last 1000 of the shipped 6000, read through the source's first layer
# (--classifier_front=source in that flagfile), so the export must keep that path too
PROTOCOLS = [("da_mnist_to_usps_cpu", ("digits",), 2007),
             ("da_mnist_to_mnist_m_cpu", ("digits", "mnist_m"), 1000)]


@pytest.mark.large
@pytest.mark.parametrize("flagfile,folders,test_images", PROTOCOLS,
                         ids=[p[0] for p in PROTOCOLS])
def test_train_export_and_eval_agree_between_run_and_savedmodel(tmp_path, flagfile, folders,
                                                                 test_images):
    for folder in folders:
        require(DATASETS / folder)
    run_dir, saved = tmp_path / "run", tmp_path / "saved"
    unit_tf("train", f"--flagfile=flags/{flagfile}.flags", f"--data_dir={DATASETS}",
            f"--model_dir={run_dir}", "--max_steps=3", "--ch_g=4", "--ch_d=4",
            "--batch_size=4", f"--export_dir={saved}")
    from_run = json.loads(unit_tf("eval", f"--model_dir={run_dir}").stdout)
    from_saved = json.loads(unit_tf("eval", f"--model_dir={saved}").stdout)
    assert from_run["images"] == from_saved["images"] == test_images
    assert from_run["classifier"] == from_saved["classifier"] == "classify_b"
    assert from_run["accuracy"] == from_saved["accuracy"]
    # the SavedModel's classify_b is the run's, through the front the flagfile chose
    config, model, _ = load_run(str(run_dir))
    assert config.model.classifier_front == ("source" if "mnist_m" in flagfile else "own")
    images = np.random.RandomState(1).randint(0, 256, (5, 32, 32, 3), dtype=np.uint8)
    served = tf.saved_model.load(str(saved / "1")).signatures["classify_b"]
    np.testing.assert_allclose(served(images=tf.constant(images))["logits"].numpy(),
                               model.classify(to_signed(tf.constant(images)), "b").numpy(),
                               atol=1e-5)
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
