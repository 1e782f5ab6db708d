import numpy as np
import pytest

from unit_tf.training.labels import GLYPHS, label_strip, text_mask
from unit_tf.training.summaries import image_grid


def test_every_glyph_is_five_by_five():
    assert all(len(g) == 5 and all(len(row) == 5 for row in g) for g in GLYPHS.values())


def test_text_is_drawn_glyph_by_glyph_and_cut_to_whole_characters():
    mask = text_mask("a2b", 100)
    assert mask.shape == (5, 3 * 6 - 1)
    np.testing.assert_array_equal(mask[:, :5], np.array([[c == "#" for c in row]
                                                         for row in GLYPHS["A"]]))
    assert text_mask("input", 13).shape == (5, 11)  # two whole characters fit
    assert text_mask("x", 100, scale=2).shape == (10, 10)


def test_grid_enlarges_small_cells_and_labels_each_column():
    rows = [np.full((2, 16, 16, 3), v, np.float32) for v in (-1.0, 0.0, 1.0)]
    plain = image_grid(rows, min_size=1)
    assert plain.shape == (32, 48, 3) and plain[0, 0, 0] == 0 and plain[0, 40, 0] == 255
    grid = image_grid(rows, ["input", "a2b", "back b2a"])
    strip = label_strip(["input", "a2b", "back b2a"], 64)
    assert grid.shape == (strip.shape[0] + 2 * 64, 3 * 64, 3)  # 16 px cells shown at 64
    np.testing.assert_array_equal(grid[:strip.shape[0]], strip)
    assert (grid[strip.shape[0]:, 64:128] == 128).all()  # the middle column, enlarged
    inked = strip[..., 0] > 100
    assert inked[:, :64].any() and inked[:, 64:128].any() and inked[:, 128:].any()
    with pytest.raises(ValueError, match="2 labels for 3 grid columns"):
        image_grid(rows, ["input", "a2b"])
