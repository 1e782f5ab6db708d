import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import FIXTURES, require
from unit_tf.testing.tiny import tiny_model_config
from unit_tf.config import DiscriminatorConfig, MUNITConfig
from unit_tf.models import MUNIT, variables_by_path
from unit_tf.networks import MLP
from unit_tf.testing.test_case import check_serialization, count_params

TINY = tiny_model_config("munit")


def tiny():
    return MUNIT(TINY, seed=1).build_networks(16, 16)


def test_generator_size_equals_the_official_state_dict():
    """The official AdaINGen's own parameter count (its state dict minus AdaIN's unused running
    statistics) at the fixture's config."""
    data = np.load(require(FIXTURES / "munit_adaingen.npz"))
    official = sum(data[k].size for k in data.files
                   if k.startswith("param/") and "running_" not in k)
    gen = json.loads((FIXTURES / "munit_adaingen.json").read_text())["params"]
    model = MUNIT(MUNITConfig(dim=gen["dim"], style_dim=gen["style_dim"], mlp_dim=gen["mlp_dim"],
                              n_res=gen["n_res"])).build_networks()
    ours = sum(count_params(net["a"]) for net in (model.content_encoders, model.style_encoders,
                                                  model.decoders, model.mlps))
    assert ours == official


def test_shapes_of_codes_and_translations_at_a_non_square_size():
    model = tiny()
    x = np.random.RandomState(0).uniform(-1, 1, (2, 20, 28, 3)).astype(np.float32)
    content, style = model.encode(x, "a")
    assert tuple(content.shape) == (2, 5, 7, 32) and tuple(style.shape) == (2, 8)
    assert model.mlps["b"].output_dim == model.decoders["b"].num_adain_params == 4 * 32 * 1
    out = model.translate(x, "a2b")
    assert tuple(out.shape) == (2, 20, 28, 3) and out.dtype == tf.float32
    assert len(model.display_rows({"b": x}, "b2a")) == 5


def test_style_sampling_is_seeded_and_checkpointed():
    model = tiny()
    a = model.sample_style(3, seed=tf.constant([4, 2], tf.int64))
    b = model.sample_style(3, seed=tf.constant([4, 2], tf.int64))
    c = model.sample_style(3, seed=tf.constant([5, 2], tf.int64))
    np.testing.assert_array_equal(a, b)
    assert float(tf.reduce_max(tf.abs(a - c))) > 0.1
    paths = set(variables_by_path(model))
    assert any("style_seed" in p for p in paths)  # the unseeded stream resumes exactly
    first, second = model.sample_style(2), model.sample_style(2)
    assert float(tf.reduce_max(tf.abs(first - second))) > 0.1


def test_variables_split_between_players_once_each():
    model = tiny()
    g, d = model.generator_variables, model.discriminator_variables
    assert len({id(v) for v in g}) == len(g) and len({id(v) for v in d}) == len(d)
    assert not {id(v) for v in g} & {id(v) for v in d}
    assert len(g) + len(d) == len(model.trainable_variables)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_outputs_are_float32(policy):
    keras.mixed_precision.set_global_policy(policy)
    model = MUNIT(TINY, seed=0).build_networks(16, 16)
    x = np.random.RandomState(0).uniform(-1, 1, (1, 16, 16, 3)).astype(np.float32)
    out = model.translate(x, "a2b")
    logits = model.discriminate(out, "b")
    assert out.dtype == tf.float32 and all(l.dtype == tf.float32 for l in logits)
    assert np.all(np.isfinite(out.numpy()))


def test_mlp_config_round_trip():
    check_serialization(MLP, {"input_dim": 8, "output_dim": 64, "dim": 16, "n_blk": 3,
                              "activation": "relu", "init_type": "kaiming", "name": "mlp"})
    with pytest.raises(ValueError, match="n_blk=1"):
        MLP(8, 4, n_blk=1)
