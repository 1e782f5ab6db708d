"""Every family keeps the TranslationModel contract (models/contract.py)."""

import dataclasses

import keras
import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import FAMILY_CONFIGS
from unit_tf.models import DIRECTIONS, MODELS, TranslationModel, parse_direction
from unit_tf.testing.tiny import TINY_SIZE, tiny_model_config


def tiny(family):
    return MODELS[family](tiny_model_config(family), seed=0).build_networks(TINY_SIZE[family])


@pytest.mark.parametrize("family", sorted(MODELS))
def test_family_implements_the_contract(family):
    model = tiny(family)
    assert isinstance(model, TranslationModel) and model.family == family
    assert isinstance(model.config, FAMILY_CONFIGS[family][0])
    assert set(model.directions) <= set(DIRECTIONS) and model.directions
    size = TINY_SIZE[family]
    assert size % model.stride == 0
    images = {d: tf.zeros([1, size, size, 3]) for d in "ab"}
    for direction in model.directions:
        src, tgt = parse_direction(direction)
        assert model.translate(images[src], direction).shape == (1, size, size, 3)
        rows = model.display_rows(images, direction)
        assert len(rows) >= 3 and all(r.shape == (1, size, size, 3) for r in rows)
        labels = model.display_labels(direction)
        assert len(labels) == len(rows) and labels[0] == "input"
    g, d = (model.trainable_variables_of(p) for p in ("g", "d"))
    assert g and d and not {id(v) for v in g} & {id(v) for v in d}
    assert len(g) + len(d) == len(model.trainable_variables)
    with pytest.raises(ValueError, match="unknown player 'x'"):
        model.trainable_variables_of("x")


@pytest.mark.parametrize("family", sorted(MODELS))
def test_get_config_chains_to_keras_and_round_trips(family):
    model = tiny(family)
    config = model.get_config()
    assert config["name"] == model.name and "dtype" in config  # keras.Model's part
    clone = MODELS[family].from_config(config)
    assert clone.config == model.config and clone.name == model.name
    assert config["config"] == dataclasses.asdict(model.config)


def test_multimodal_models_have_styles_and_unimodal_ones_refuse_them():
    munit, unit = tiny("munit"), tiny("unit")
    assert munit.multimodal and not unit.multimodal
    assert munit.sample_style(2).shape == (2, munit.style_dim)
    seed = tf.constant([3, 0], tf.int64)
    np.testing.assert_array_equal(munit.sample_style(1, seed=seed), munit.sample_style(1, seed))
    with pytest.raises(ValueError, match="unit model is unimodal"):
        unit.sample_style(1)
    with pytest.raises(ValueError, match="unimodal"):
        unit.style_dim


def test_an_inference_translator_has_no_discriminator():
    from unit_tf.models.translator import Translator

    generator = keras.layers.Identity(name="identity")
    translator = Translator({"a2b": generator}, "cyclegan", 4)
    assert translator.directions == ("a2b",)
    with pytest.raises(NotImplementedError, match="no discriminators"):
        translator.discriminate(tf.zeros([1, 4, 4, 3]), "b")
    with pytest.raises(ValueError, match="translates a2b, not 'b2a'"):
        translator.translate(tf.zeros([1, 4, 4, 3]), "b2a")
