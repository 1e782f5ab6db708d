import numpy as np
import pytest

from unit_tf.layers import Pad2D
from unit_tf.layers.padding import pad_spatial
from unit_tf.testing.test_case import check_precision, check_serialization


def test_reflect_padding_matches_numpy_reflect():
    x = np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3)
    y = Pad2D(2, "reflect")(x).numpy()
    assert y.shape == (2, 8, 9, 3)
    np.testing.assert_array_equal(y, np.pad(x, ((0, 0), (2, 2), (2, 2), (0, 0)), mode="reflect"))


def test_zero_padding_and_no_padding():
    x = np.ones((1, 3, 3, 2), np.float32)
    y = Pad2D(1, "zero")(x).numpy()
    assert y.shape == (1, 5, 5, 2) and y[0, 0, 0, 0] == 0 and y[0, 2, 2, 0] == 1
    np.testing.assert_array_equal(Pad2D(0, "reflect")(x).numpy(), x)


def test_padding_one_axis_only():
    x = np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3)
    for axis in (1, 2):
        widths = [(0, 0), (0, 0), (0, 0), (0, 0)]
        widths[axis] = (2, 2)
        np.testing.assert_array_equal(pad_spatial(x, 2, "reflect", axes=(axis,)).numpy(),
                                      np.pad(x, widths, mode="reflect"))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="pad_type='circular'"):
        Pad2D(1, "circular")
    with pytest.raises(ValueError, match="padding=-1"):
        Pad2D(-1)


def test_config_round_trip_and_precision():
    check_serialization(Pad2D, {"padding": 3, "pad_type": "zero"})
    check_precision(Pad2D, {"padding": 1}, np.ones((1, 4, 4, 2), np.float32))
