"""Distances between SETS of images in a feature space (realism, not per-pair fidelity).

Features are [N, D] arrays (one vector per image, e.g. pooled activations of a network trained on
real images of the domain). Per-pair metrics (PSNR, L1) reward the conditional mean, i.e. blur;
these compare the distribution of translations with the distribution of real images:
    frechet_distance   ||mu_x - mu_y||^2 + Tr(S_x + S_y - 2 (S_x S_y)^(1/2)) (the FID formula)
    kernel_distance    unbiased MMD^2 with the cubic polynomial kernel (x.y / D + 1)^3 (the KID
                       formula), averaged over random subsets; unbiased at small N, unlike FID
"""

import numpy as np


def _sqrt_psd(matrix):
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(x, y):
    """Frechet distance of Gaussians fitted to features x [N, D] and y [M, D]."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    mu_x, mu_y = x.mean(0), y.mean(0)
    cov_x = np.atleast_2d(np.cov(x, rowvar=False))  # [D, D], also for D = 1
    cov_y = np.atleast_2d(np.cov(y, rowvar=False))
    root_x = _sqrt_psd(cov_x)
    # Tr((S_x S_y)^(1/2)) = Tr((S_x^(1/2) S_y S_x^(1/2))^(1/2)), a symmetric PSD form
    cross = np.trace(_sqrt_psd(root_x @ cov_y @ root_x))
    return float(np.sum((mu_x - mu_y) ** 2) + np.trace(cov_x) + np.trace(cov_y) - 2.0 * cross)


def _mmd2_unbiased(x, y):
    d = x.shape[1]
    k_xx, k_yy = (x @ x.T / d + 1.0) ** 3, (y @ y.T / d + 1.0) ** 3
    k_xy = (x @ y.T / d + 1.0) ** 3
    m, n = len(x), len(y)
    return float((k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
                 + (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1)) - 2.0 * k_xy.mean())


def kernel_distance(x, y, subsets=50, subset_size=None, seed=0):
    """(mean, std) over `subsets` random subsets of the unbiased cubic-kernel MMD^2."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    size = min(subset_size or min(len(x), len(y)), len(x), len(y))
    if size < 2:
        raise ValueError("kernel_distance needs at least 2 feature vectors per set")
    rs = np.random.RandomState(seed)
    values = [_mmd2_unbiased(x[rs.choice(len(x), size, replace=False)],
                             y[rs.choice(len(y), size, replace=False)]) for _ in range(subsets)]
    return float(np.mean(values)), float(np.std(values))
