import numpy as np

from unit_tf.layers import AvgPoolExcludePad
from unit_tf.testing.test_case import check_precision, check_serialization


def _reference(x):
    """AvgPool2d(3, 2, 1, count_include_pad=False), written out."""
    b, h, w, c = x.shape
    oh, ow = (h - 1) // 2 + 1, (w - 1) // 2 + 1
    out = np.zeros((b, oh, ow, c), np.float32)
    for i in range(oh):
        for j in range(ow):
            rows = slice(max(2 * i - 1, 0), min(2 * i + 2, h))
            cols = slice(max(2 * j - 1, 0), min(2 * j + 2, w))
            out[:, i, j] = x[:, rows, cols].mean(axis=(1, 2))
    return out


def test_matches_count_exclude_pad_on_odd_and_even_sides():
    for h, w in [(8, 6), (7, 5), (3, 4)]:
        x = np.random.RandomState(h * w).randn(2, h, w, 3).astype(np.float32)
        y = AvgPoolExcludePad()(x).numpy()
        np.testing.assert_allclose(y, _reference(x), atol=1e-6)


def test_corner_averages_only_real_pixels():
    x = np.zeros((1, 4, 4, 1), np.float32)
    x[0, 0, 0, 0] = 4.0
    assert AvgPoolExcludePad()(x).numpy()[0, 0, 0, 0] == 1.0  # 4 / 4 real pixels, not 4 / 9


def test_config_round_trip_and_precision():
    check_serialization(AvgPoolExcludePad, {"pool_size": 3, "strides": 2, "padding": 1})
    check_precision(AvgPoolExcludePad, {}, np.ones((1, 8, 8, 3), np.float32), "mixed_float16")
