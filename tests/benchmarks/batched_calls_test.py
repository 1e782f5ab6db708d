"""benchmarks/batched_calls.py: a network's two calls batched into one give the same weight
gradients (per-sample norms, no batch statistics), Winograd convolutions included."""

import pytest
import tensorflow as tf

from tests.benchmarks import load
from unit_tf.layers import winograd
from unit_tf.models import UNIT
from unit_tf.testing.tiny import tiny_model_config


@pytest.mark.parametrize("network", ["decoder", "discriminator"])
def test_one_batch_2_call_gives_the_gradients_of_two_batch_1_calls(network, monkeypatch):
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)  # the tiny widths take it too
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_PIXELS", 1)
    module = load("batched_calls")
    model = UNIT(tiny_model_config("unit", "official"), seed=0).build_networks(16, 16)
    x = [tf.random.stateless_uniform([1, 16, 16, 3], [i, 1], -1, 1) for i in (1, 2)]
    if network == "decoder":
        net, inputs = model.decoders["a"], [model.encode(xi, "b", training=True) for xi in x]
    else:
        net, inputs = model.discriminators["a"], x
    separate = module.weight_gradients(net, inputs, batched=False)
    joined = module.weight_gradients(net, inputs, batched=True)
    assert len(separate) == len(net.trainable_variables) == len(joined)
    assert max(float(tf.reduce_max(tf.abs(g))) for g in separate) > 1e-3
    assert module.largest_difference(separate, joined) < 1e-5
    # one image's gradients alone differ: the check can tell the batch from one of its images
    alone = module.weight_gradients(net, inputs[:1], batched=False)
    assert module.largest_difference(separate, alone) > 1e-4
