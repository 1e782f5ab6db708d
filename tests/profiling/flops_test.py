"""FLOP counts against hand counts on tiny layers, forward, backward, called and branched."""

import collections

import keras
import pytest
import tensorflow as tf

from unit_tf.profiling import function_flops

X = tf.TensorSpec([2, 8, 8, 4])


def built(layer, shape):
    layer.build(shape)
    return layer


def test_conv_dense_and_transposed_conv_forward_match_a_hand_count():
    conv = built(keras.layers.Conv2D(6, 3, strides=2, padding="same"), (None, 8, 8, 4))
    up = built(keras.layers.Conv2DTranspose(5, 4, strides=2, padding="same"), (None, 4, 4, 6))
    dense = built(keras.layers.Dense(7), (None, 4 * 4 * 6))

    def forward(x):
        h = conv(x)  # [2, 4, 4, 6]
        return up(h), dense(tf.reshape(h, [2, -1]))  # [2, 8, 8, 5], [2, 7]

    by_type = collections.Counter()
    total = function_flops(forward, X, by_type=by_type)
    conv_hand = 2 * (2 * 4 * 4 * 6) * (3 * 3 * 4)
    # a transposed conv is the gradient of a conv from its output [2, 8, 8, 5] to its input
    up_hand = 2 * (2 * 4 * 4 * 6) * (4 * 4 * 5)
    dense_hand = 2 * 2 * 96 * 7
    assert by_type == {"Conv2D": conv_hand, "Conv2DBackpropInput": up_hand,
                       "MatMul": dense_hand}
    assert total == conv_hand + up_hand + dense_hand == 47232


def test_a_gradient_step_costs_three_forward_convolutions():
    conv = built(keras.layers.Conv2D(8, 3, padding="same"), (None, 8, 8, 4))

    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(conv(x) ** 2)
        return tape.gradient(loss, [x, conv.kernel])

    forward = 2 * (2 * 8 * 8 * 8) * (3 * 3 * 4)
    by_type = collections.Counter()
    assert function_flops(step, X, by_type=by_type) == 3 * forward
    assert set(by_type) == set(("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"))


def test_called_functions_count_and_a_conditional_counts_its_costlier_branch():
    conv = built(keras.layers.Conv2D(8, 3, padding="same"), (None, 8, 8, 4))
    compiled = tf.function(lambda x: conv(x), jit_compile=True)
    forward = 2 * (2 * 8 * 8 * 8) * (3 * 3 * 4)
    assert function_flops(lambda x: compiled(x) + compiled(x), X) == 2 * forward

    def branched(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: compiled(x),
                       lambda: tf.zeros([2, 8, 8, 8]))

    assert function_flops(branched, X) == forward


def test_shapes_must_be_static():
    conv = built(keras.layers.Conv2D(8, 3, padding="same"), (None, None, None, 4))
    with pytest.raises(ValueError, match="no static shape"):
        function_flops(lambda x: conv(x), tf.TensorSpec([None, 8, 8, 4]))


def test_each_counted_op_is_recorded_with_what_it_takes_to_run_it_again():
    conv = built(keras.layers.Conv2D(8, 3, strides=2, padding="same"), (None, 8, 8, 4))

    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(conv(x) ** 2)
        return tape.gradient(loss, [x, conv.kernel])

    ops = []
    total = function_flops(step, X, ops=ops)
    assert sorted(o["type"] for o in ops) == ["Conv2D", "Conv2DBackpropFilter",
                                              "Conv2DBackpropInput"]
    assert sum(o["flops"] for o in ops) == total
    backprop_input = next(o for o in ops if o["type"] == "Conv2DBackpropInput")
    assert backprop_input["inputs"] == [([2, 8, 8, 4], "int32"), ([3, 3, 4, 8], "float32"),
                                        ([2, 4, 4, 8], "float32")]
    assert backprop_input["attrs"]["strides"] == [1, 2, 2, 1]
    assert backprop_input["attrs"]["padding"] == b"SAME"

