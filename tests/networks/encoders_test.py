import numpy as np

from unit_tf.layers import ResBlock
from unit_tf.networks import ContentEncoder, StyleEncoder
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_content_encoder_shapes_and_official_weight_count():
    enc = ContentEncoder(2, 4, 3, 64)
    h = enc(np.zeros((1, 32, 48, 3), np.float32))
    assert tuple(h.shape) == (1, 8, 12, 256) and enc.output_dim == 256
    assert count_params(enc) == 5_385_856  # the official UNIT encoder at dim 64


def test_shared_blocks_run_last_and_are_the_callers_instances():
    shared = [ResBlock(32, name="shared")]
    enc = ContentEncoder(2, 3, 3, 8, shared_blocks=shared)
    enc(np.zeros((1, 16, 16, 3), np.float32))
    assert len(enc.res_blocks) == 2 and enc.shared[0] is shared[0]


def test_style_encoder_shape():
    enc = StyleEncoder(4, 3, 16, 8)
    assert tuple(enc(np.zeros((2, 64, 32, 3), np.float32)).shape) == (2, 8)


def test_config_round_trip_and_precision():
    kwargs = {"n_downsample": 2, "n_res": 1, "input_dim": 3, "dim": 8}
    check_serialization(ContentEncoder, kwargs)
    check_precision(ContentEncoder, kwargs, np.ones((1, 16, 16, 3), np.float32),
                       "mixed_float16")
    check_serialization(StyleEncoder, {"n_downsample": 4, "dim": 8, "style_dim": 4})
