import numpy as np
import pytest

from unit_tf.evaluation import frechet_distance, kernel_distance


def test_frechet_distance_golden_values():
    rs = np.random.RandomState(0)
    x = rs.normal(size=(400, 5))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-6)
    # equal covariances: only the mean shift remains, ||(1, 2, 0, 0, 0)||^2 = 5
    shift = np.array([1.0, 2.0, 0.0, 0.0, 0.0])
    assert frechet_distance(x, x + shift) == pytest.approx(5.0, rel=1e-6)
    # 1-D Gaussians: (mu1 - mu2)^2 + (s1 - s2)^2 with the sample statistics
    a, b = rs.normal(0, 1, (500, 1)), rs.normal(3, 2, (500, 1))
    expected = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)


def test_kernel_distance_is_near_zero_for_one_distribution_and_grows_with_a_shift():
    rs = np.random.RandomState(1)
    x, y = rs.normal(size=(200, 8)), rs.normal(size=(200, 8))
    same, _ = kernel_distance(x, y, subsets=20, subset_size=100)
    shifted, spread = kernel_distance(x, y + 1.0, subsets=20, subset_size=100)
    assert abs(same) < 0.05 and shifted > 1.0 and spread >= 0
    with pytest.raises(ValueError, match="at least 2"):
        kernel_distance(x[:1], y[:1])
