import numpy as np
import pytest
import tensorflow as tf

import keras
from unit_tf.config import unit_preset
from unit_tf.models import UNIT, variables_by_path
from unit_tf.testing.test_case import count_params
from unit_tf.testing.tiny import tiny_model_config


def tiny(preset="paper", **kw):
    return UNIT(tiny_model_config("unit", preset, **kw), seed=1).build_networks(16, 16)


def test_official_preset_parameter_counts_equal_the_official_ones():
    model = UNIT(unit_preset("official")).build_networks()
    for d in "ab":
        assert count_params(model.encoders[d]) + count_params(model.decoders[d]) == 11_140_483
        assert count_params(model.discriminators[d]) == 8_271_171
    assert not model.shared_encoder_blocks and not model.shared_decoder_blocks


def test_paper_preset_shares_one_instance_per_block():
    model = tiny()
    assert model.encoders["a"].shared[0] is model.encoders["b"].shared[0]
    assert model.decoders["a"].shared[0] is model.decoders["b"].shared[0]
    shared = (model.shared_encoder_blocks[0].trainable_variables
              + model.shared_decoder_blocks[0].trainable_variables)
    assert len(shared) == 8
    for v in shared:
        assert sum(w is v for w in model.trainable_variables) == 1
        assert sum(w is v for w in model.generator_variables) == 1
    ids = [id(v) for v in model.trainable_variables]
    assert len(ids) == len(set(ids))


def test_shared_gradients_come_from_both_domains_and_add_up():
    model = tiny()
    rs = np.random.RandomState(0)
    x_a, x_b = (rs.uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32) for _ in range(2))
    shared = (model.shared_encoder_blocks[0].trainable_variables
              + model.shared_decoder_blocks[0].trainable_variables)

    def loss_a():
        return tf.reduce_mean(tf.square(model.decode(model.encode(x_a, "a"), "a") - x_a))

    def loss_b():
        return tf.reduce_mean(tf.abs(model.decode(model.encode(x_b, "b"), "b") - x_b))

    grads = []
    for fn in (loss_a, loss_b, lambda: loss_a() + loss_b()):
        with tf.GradientTape() as tape:
            loss = fn()
        grads.append(tape.gradient(loss, shared))
    for g_a, g_b, g_sum in zip(*grads):
        assert np.abs(g_a.numpy()).sum() > 0 and np.abs(g_b.numpy()).sum() > 0
        np.testing.assert_allclose(g_a.numpy() + g_b.numpy(), g_sum.numpy(), rtol=1e-4,
                                   atol=1e-7)


def test_domain_a_loss_leaves_domain_b_private_weights_untouched():
    model = tiny()
    x = np.ones((1, 16, 16, 3), np.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model.decode(model.encode(x, "a"), "a"))
    private_b = model.encoders["b"].front[0].trainable_variables
    assert all(g is None for g in tape.gradient(loss, private_b))


def test_forward_outputs_are_keyed_by_direction_with_exact_shapes():
    model = tiny(preset="official")
    x = {"a": np.zeros((2, 16, 24, 3), np.float32), "b": np.ones((2, 16, 24, 3), np.float32)}
    out = model(x, training=True)
    for key in ("a2a", "b2b", "a2b", "b2a", "a2b2a", "b2a2b"):
        assert tuple(out[key].shape) == (2, 16, 24, 3), key
    for key in ("h_a", "h_b", "h_a2b", "h_b2a"):
        assert tuple(out[key].shape) == (2, 4, 6, 32), key


def test_translate_is_deterministic_and_uses_no_noise():
    model = tiny()
    x = np.random.RandomState(1).uniform(-1, 1, (1, 16, 16, 3)).astype(np.float32)
    y = model.translate(x, "a2b").numpy()
    np.testing.assert_array_equal(y, model.decode(model.encode(x, "a"), "b").numpy())
    np.testing.assert_array_equal(y, model.translate(x, "a2b").numpy())
    with pytest.raises(ValueError, match="direction='a2c'"):
        model.translate(x, "a2c")


@pytest.mark.parametrize("height,width", [(20, 36), (44, 12)])
def test_non_square_inputs_run_at_full_resolution(height, width):
    model = tiny(preset="official")
    x = np.zeros((1, height, width, 3), np.float32)
    assert tuple(model.translate(x, "b2a").shape) == (1, height, width, 3)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_outputs_and_logits_are_float32_and_finite(policy):
    keras.mixed_precision.set_global_policy(policy)
    model = tiny()
    x = np.random.RandomState(2).uniform(-1, 1, (1, 16, 16, 3)).astype(np.float32)
    y = model.translate(x, "a2b")
    logits = model.discriminate(y, "b")
    for t in [y] + logits:
        assert t.dtype == tf.float32 and np.all(np.isfinite(t.numpy()))
    assert all(v.dtype == "float32" for v in model.trainable_variables)


def test_get_config_round_trip_rebuilds_the_same_architecture():
    model = tiny()
    clone = UNIT.from_config(model.get_config()).build_networks(16, 16)
    assert clone.config == model.config
    assert [tuple(v.shape) for v in clone.trainable_variables] == \
        [tuple(v.shape) for v in model.trainable_variables]


def test_checkpoint_round_trip_restores_every_variable(tmp_path):
    model = tiny()
    path = tf.train.Checkpoint(model=variables_by_path(model)).save(str(tmp_path / "ckpt"))
    assert len(tf.train.list_variables(path)) == len(model.variables) + 2  # + counter, graph
    other = tiny()
    tf.train.Checkpoint(model=variables_by_path(other)).restore(path).assert_consumed()
    x = np.random.RandomState(3).uniform(-1, 1, (1, 16, 16, 3)).astype(np.float32)
    np.testing.assert_array_equal(model.translate(x, "b2a").numpy(),
                                  other.translate(x, "b2a").numpy())
