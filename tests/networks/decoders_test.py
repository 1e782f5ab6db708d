import numpy as np

from unit_tf.networks import Decoder
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_decoder_shapes_range_and_official_weight_count():
    dec = Decoder(2, 4, 256, 3)
    y = dec(np.random.RandomState(0).randn(1, 8, 12, 256).astype(np.float32)).numpy()
    assert y.shape == (1, 32, 48, 3) and np.abs(y).max() <= 1.0
    assert count_params(dec) == 5_754_627  # the official UNIT decoder at dim 64


def test_adain_decoder_counts_and_consumes_params():
    dec = Decoder(2, 2, 16, 3, res_norm="adain")
    assert dec.num_adain_params == 2 * 4 * 16
    y = dec(np.zeros((2, 4, 4, 16), np.float32), adain_params=np.ones((2, 128), np.float32))
    assert tuple(y.shape) == (2, 16, 16, 3)


def test_output_is_float32_under_mixed_precision():
    kwargs = {"n_upsample": 2, "n_res": 1, "dim": 16, "output_dim": 3}
    check_serialization(Decoder, kwargs)
    check_precision(Decoder, kwargs, np.ones((1, 4, 4, 16), np.float32), "mixed_float16",
                       float32_output=True)
    check_precision(Decoder, kwargs, np.ones((1, 4, 4, 16), np.float32), "mixed_bfloat16",
                       float32_output=True)
