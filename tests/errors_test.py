import numpy as np
import pytest
import tensorflow as tf

from unit_tf.errors import error_reason
from unit_tf.export.validation import check_images


def test_a_failed_input_gate_reads_as_its_own_message():
    gate = tf.function(lambda x: check_images(x, max_pixels=100),
                       input_signature=[tf.TensorSpec(None, tf.float32)])
    with pytest.raises(tf.errors.InvalidArgumentError) as wrong_shape:
        gate(np.zeros((2, 4, 4), np.float32))
    assert str(wrong_shape.value).startswith("{{function_node")  # what TF says first
    assert error_reason(wrong_shape.value).startswith(
        "images must have shape [batch, height, width, 3]; got [2 4 4]")
    with pytest.raises(tf.errors.InvalidArgumentError) as too_big:
        gate(np.zeros((1, 20, 20, 3), np.float32))
    assert error_reason(too_big.value).startswith(
        "image larger than the 100-pixel limit (H*W) of this SavedModel")


def test_plain_errors_keep_their_first_line():
    assert error_reason(ValueError("bad value\nmore")) == "bad value"
    assert error_reason(OSError()) == "OSError"
