import numpy as np
import pytest

from unit_tf import losses


def test_normalized_feature_loss_golden():
    # One sample, 1x2 spatial, one channel: f = [1, 3] -> IN = [-1, 1] / sqrt(1 + eps);
    # the target [2, 2] has zero variance -> IN = [0, 0]. Loss = 1 / (1 + eps).
    f = np.array([[[[1.0], [3.0]]]], np.float32)
    t = np.array([[[[2.0], [2.0]]]], np.float32)
    assert losses.normalized_feature_loss(f, t).numpy() == pytest.approx(1 / (1 + 1e-5), rel=1e-6)


def test_normalized_feature_loss_ignores_per_channel_scale_and_shift():
    rs = np.random.RandomState(0)
    f = rs.normal(size=(2, 3, 4, 5)).astype(np.float32)
    t = rs.normal(size=(2, 3, 4, 5)).astype(np.float32)
    scale = rs.uniform(0.5, 2.0, (1, 1, 1, 5)).astype(np.float32)
    shift = rs.normal(size=(2, 1, 1, 5)).astype(np.float32)
    base = losses.normalized_feature_loss(f, t).numpy()
    assert losses.normalized_feature_loss(f * scale + shift, t).numpy() == pytest.approx(base,
                                                                                     rel=1e-4)
    assert losses.normalized_feature_loss(f, f * scale + shift).numpy() == pytest.approx(0, abs=1e-6)
    assert base > 0.5  # independent normals: E = 2 * (1 - 0) per element
