import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import DATASETS, require
from unit_tf.testing.tiny import tiny_model_config
from unit_tf.config import (DataConfig, DiscriminatorConfig, ExperimentConfig, MUNITConfig,
                            MUNITLossWeights, RuntimeConfig, TrainConfig)
from unit_tf.data import decode_rgb, image_paths
from unit_tf.data.images import center_preprocess
from unit_tf.evaluation import (evaluate_diversity, mean_pairwise_l1, pixel_spread,
                                translation_spread)
from unit_tf.training import create_strategy, train

PIXEL_DIVERSITY_MARGIN = 0.05  # in [-1, 1] units; measured ~0.18 after 30 steps of this setup


def test_mean_pairwise_l1_golden():
    outputs = np.array([[0.0], [1.0], [3.0]], np.float32)  # pairs 1, 3, 2
    assert mean_pairwise_l1(outputs) == pytest.approx(2.0)
    assert mean_pairwise_l1(outputs[:1]) == 0.0


class _Translator:
    """translate(x) = scale * x + shift: a stand-in whose spread is known exactly."""

    def __init__(self, scale, shift=0.0):
        self.scale, self.shift, self.directions = scale, shift, []

    def translate(self, x, direction):
        self.directions.append(direction)
        return self.scale * x + self.shift


def test_pixel_spread_golden():
    # per pixel: values 0, 2 (std 1) and 1, 1 (std 0) -> mean 0.5
    assert pixel_spread(np.array([[0.0, 1.0], [2.0, 1.0]])) == pytest.approx(0.5)


def test_translation_spread_golden():
    # two images, every value 0 and 255: [-1, 1] after scaling, std 1 at every pixel
    images = np.stack([np.zeros([4, 4, 3]), np.full([4, 4, 3], 255)]).astype(np.uint8)
    assert translation_spread(_Translator(1.0), images) == pytest.approx(1.0)
    assert translation_spread(_Translator(0.5, shift=0.3), images) == pytest.approx(0.5)
    collapsed = _Translator(0.0, shift=0.7)  # the same output for every input
    assert translation_spread(collapsed, images, "b2a", batch=1) == pytest.approx(0.0)
    assert set(collapsed.directions) == {"b2a"}
    with pytest.raises(ValueError, match="at least 2"):
        translation_spread(_Translator(1.0), images[:1])


def munit_config(data, model_dir, steps):
    return ExperimentConfig(
        family="munit",
        model=tiny_model_config("munit"),
        loss_weights=MUNITLossWeights(),
        data=DataConfig(data_dir=str(data), load_size=32, crop_size=32, batch_size=2),
        runtime=RuntimeConfig(seed=0, deterministic=True),
        train=TrainConfig(model_dir=str(model_dir), max_steps=steps, checkpoint_every=20,
                          sample_every=20, progress=False))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """(model after 20 steps, model at initialisation, 4 test images)."""
    data = require(DATASETS / "edges2handbags_demo")
    strategy = create_strategy("default")
    initial, _ = train(munit_config(data, tmp_path_factory.mktemp("init"), 0), strategy)
    model, _ = train(munit_config(data, tmp_path_factory.mktemp("munit"), 20), strategy)
    images = [center_preprocess(decode_rgb(tf.io.read_file(p)), 32, 32)[None]
              for p in image_paths(str(data / "testA"))[:4]]
    return model, initial, images


@pytest.mark.large  # the module's fixture trains a tiny MUNIT for 20 steps (~30 s)
def test_style_changes_the_output_while_content_is_learned(trained):
    model, initial, images = trained
    metrics = evaluate_diversity(model, images, "a2b", num_styles=4, seed=0)
    assert metrics["images"] == 4 and metrics["styles"] == 4
    assert metrics["pixel_diversity"] > PIXEL_DIVERSITY_MARGIN
    assert metrics["feature_diversity"] > 0
    # Diversity is not bought by losing content: 20 steps cut the reconstruction error of the
    # untrained model by at least a quarter.
    start = evaluate_diversity(initial, images, "a2b", num_styles=2, seed=0)
    assert metrics["reconstruction_l1"] < 0.75 * start["reconstruction_l1"]


@pytest.mark.large  # the module's fixture trains a tiny MUNIT for 20 steps (~30 s)
def test_same_seed_same_metrics_other_seed_other_styles(trained):
    model, _, images = trained
    first = evaluate_diversity(model, images, "b2a", num_styles=3, seed=5)
    again = evaluate_diversity(model, images, "b2a", num_styles=3, seed=5)
    other = evaluate_diversity(model, images, "b2a", num_styles=3, seed=6)
    assert first == again
    assert first["pixel_diversity"] != other["pixel_diversity"]
    with pytest.raises(ValueError, match="at least 2 styles"):
        evaluate_diversity(model, images, "a2b", num_styles=1)
