import numpy as np

from unit_tf.networks import ConvDiscriminator, MultiScaleDiscriminator
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_official_multiscale_shapes_and_weight_count():
    dis = MultiScaleDiscriminator(3, 4, 64)
    outs = dis(np.zeros((1, 256, 256, 3), np.float32))
    assert [tuple(o.shape) for o in outs] == [(1, 16, 16, 1), (1, 8, 8, 1), (1, 4, 4, 1)]
    assert count_params(dis) == 8_271_171


def test_non_square_scales():
    outs = MultiScaleDiscriminator(3, 3, 16)(np.zeros((2, 64, 48, 3), np.float32))
    assert [tuple(o.shape) for o in outs] == [(2, 8, 6, 1), (2, 4, 3, 1), (2, 2, 1, 1)]


def test_single_scale_is_one_map():
    outs = MultiScaleDiscriminator(1, 2, 8)(np.zeros((1, 16, 16, 3), np.float32))
    assert len(outs) == 1 and tuple(outs[0].shape) == (1, 4, 4, 1)


def test_logits_float32_under_mixed_precision_and_round_trip():
    kwargs = {"num_scales": 2, "n_layer": 2, "dim": 8}
    check_serialization(MultiScaleDiscriminator, kwargs)
    check_serialization(ConvDiscriminator, {"n_layer": 2, "dim": 8, "norm": "in"})
    for policy in ("mixed_float16", "mixed_bfloat16"):
        check_precision(MultiScaleDiscriminator, kwargs, np.ones((1, 16, 16, 3), np.float32),
                           policy, float32_output=True)
