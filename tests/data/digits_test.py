"""The domain-adaptation protocols over ../shared/datasets (skipped when it is absent)."""

import numpy as np
import pytest

from tests.conftest import DATASETS, require
from unit_tf.config import DataConfig
from unit_tf.data import DataError
from unit_tf.data.digits import DigitsDAData, load_mnist, protocol_split, to_rgb32


def config(protocol, **kw):
    return DataConfig(**{"data_dir": str(require(DATASETS / "digits")).rsplit("/digits", 1)[0],
                         "protocol": protocol, "load_size": 32, "crop_size": 32,
                         "batch_size": 4, "flip": False, **kw})


def test_cogan_protocol_sizes_and_the_full_target_test_sets():
    data = config("mnist_to_usps").data_dir
    m2u = protocol_split(data, "mnist_to_usps", seed=0)
    assert [len(m2u[k][0]) for k in ("a", "b", "test_b")] == [2000, 1800, 2007]
    u2m = protocol_split(data, "usps_to_mnist", seed=0)
    assert [len(u2m[k][0]) for k in ("a", "b", "test_b")] == [1800, 2000, 10000]
    for images, labels in (*m2u.values(), *u2m.values()):
        assert images.shape[1:] == (32, 32, 3) and images.dtype == np.uint8
        assert set(np.unique(labels)) == set(range(10))
    again = protocol_split(data, "mnist_to_usps", seed=0)
    np.testing.assert_array_equal(again["a"][1], m2u["a"][1])  # the seed fixes the subsets
    other = protocol_split(data, "mnist_to_usps", seed=1)
    assert not np.array_equal(other["a"][0], m2u["a"][0])


def test_mnist_m_holds_out_its_last_thousand_images_and_their_source_digits():
    root = config("mnist_to_mnist_m").data_dir
    split = protocol_split(root, "mnist_to_mnist_m")
    assert len(split["a"][0]) == 59000 and len(split["b"][0]) == 5000
    assert len(split["test_b"][0]) == 1000
    train, test = split["b"][0].reshape(5000, -1), split["test_b"][0].reshape(1000, -1)
    assert not (set(map(bytes, train[:500])) & set(map(bytes, test)))  # disjoint
    # MNIST-M image i is MNIST training image i recoloured: the digits behind the test images
    # (MNIST 5000..5999) are not in the labelled source, the ones behind the target are
    images, labels = load_mnist(root, "train")
    source = set(map(bytes, split["a"][0].reshape(59000, -1)))
    assert not any(bytes(x) in source for x in images[5000:6000].reshape(1000, -1))
    assert bytes(images[0].reshape(-1)) in source and bytes(images[6000].reshape(-1)) in source
    np.testing.assert_array_equal(split["test_b"][1], labels[5000:6000])


def test_batches_carry_source_labels_and_resume_exactly():
    data = DigitsDAData(config("usps_to_mnist"), seed=2)
    straight = [b for b in data.dataset().take(5)]
    assert set(straight[0]) == {"a", "b", "label_a"}
    assert straight[0]["a"].shape == (4, 32, 32, 3) and straight[0]["label_a"].shape == (4,)
    resumed = [b for b in data.dataset(start_step=3).take(2)]
    for k in ("a", "b", "label_a"):
        np.testing.assert_array_equal(resumed[0][k], straight[3][k])
    shown = data.display_images(3)
    assert shown["a"].shape == shown["b"].shape == (3, 32, 32, 3)


def test_refusals_name_the_problem(tmp_path):
    with pytest.raises(DataError, match="datasets root"):
        DigitsDAData(DataConfig(data_dir=str(tmp_path), protocol="mnist_to_usps",
                                load_size=32, crop_size=32))
    with pytest.raises(DataError, match="crop_size=16"):
        DigitsDAData(config("mnist_to_usps", load_size=16, crop_size=16))
    with pytest.raises(DataError, match=r"\[N, H, W\]"):
        to_rgb32(np.zeros((2, 4, 4, 2), np.uint8), "nearest")


def test_inversion_doubles_only_the_named_training_sets_with_inverted_labelled_copies():
    root = config("mnist_to_usps").data_dir
    plain = protocol_split(root, "mnist_to_usps", seed=0)
    both = protocol_split(root, "mnist_to_usps", seed=0, invert="ab")
    source = protocol_split(root, "mnist_to_usps", seed=0, invert="a")
    for key, n in (("a", 2000), ("b", 1800)):
        images, labels = both[key]
        assert len(images) == 2 * n and images.dtype == np.uint8
        np.testing.assert_array_equal(images[:n], plain[key][0])
        np.testing.assert_array_equal(images[n:], 255 - plain[key][0])
        np.testing.assert_array_equal(labels[n:], plain[key][1])
    assert len(source["a"][0]) == 4000 and len(source["b"][0]) == 1800
    np.testing.assert_array_equal(both["test_b"][0], plain["test_b"][0])  # never inverted
    data = DigitsDAData(config("mnist_to_usps", invert="a"), seed=0)
    assert len(data) == 4000 and "inverted copies added to a" in data.describe()


def test_inversion_needs_a_protocol_and_a_known_domain():
    with pytest.raises(ValueError, match="needs a domain-adaptation --protocol"):
        DataConfig(invert="a")
    with pytest.raises(ValueError, match="invert"):
        DataConfig(protocol="mnist_to_usps", invert="c")


def test_augmented_batches_keep_their_labels_and_resume_exactly():
    plain = DigitsDAData(config("mnist_to_usps"), seed=2)
    augmented = DigitsDAData(config("mnist_to_usps", augment=0.15), seed=2)
    straight = [b for b in augmented.dataset().take(5)]
    unaugmented = [b for b in plain.dataset().take(5)]
    resumed = [b for b in augmented.dataset(start_step=3).take(2)]
    for k in ("a", "b", "label_a"):
        np.testing.assert_array_equal(resumed[0][k], straight[3][k])
        np.testing.assert_array_equal(resumed[1][k], straight[4][k])
    for step, batch in enumerate(straight):
        np.testing.assert_array_equal(batch["label_a"], unaugmented[step]["label_a"])
        for d in ("a", "b"):  # the same digits, moved
            assert not np.allclose(batch[d], unaugmented[step][d])
            assert batch[d].shape == (4, 32, 32, 3)
            assert -1.0 <= float(np.min(batch[d])) and float(np.max(batch[d])) <= 1.0
    assert "random affine augmentation 0.15" in augmented.describe()


def test_augmentation_needs_a_protocol_and_a_strength_below_one():
    with pytest.raises(ValueError, match="needs a domain-adaptation --protocol"):
        DataConfig(augment=0.1)
    with pytest.raises(ValueError, match=r"data.augment=1.5 must be in \[0, 1\)"):
        DataConfig(protocol="mnist_to_usps", augment=1.5)
    with pytest.raises(ValueError, match=r"data.augment=-0.1"):
        DataConfig(protocol="mnist_to_usps", augment=-0.1)


def test_recoloured_source_batches_keep_labels_and_grey_level_order_and_resume_exactly():
    plain = DigitsDAData(config("mnist_to_mnist_m"), seed=2)
    painted = DigitsDAData(config("mnist_to_mnist_m", recolour="a"), seed=2)
    straight = [b for b in painted.dataset().take(4)]
    resumed = [b for b in painted.dataset(start_step=2).take(2)]
    for k in ("a", "b", "label_a"):
        np.testing.assert_array_equal(resumed[0][k], straight[2][k])
        np.testing.assert_array_equal(resumed[1][k], straight[3][k])
    for batch, grey in zip(straight, plain.dataset().take(4)):
        np.testing.assert_array_equal(batch["label_a"], grey["label_a"])
        np.testing.assert_array_equal(batch["b"], grey["b"])  # the target is never painted
        x, g = batch["a"].numpy(), grey["a"].numpy()[..., 0]  # [4, 32, 32, 3], [4, 32, 32]
        for image, level in zip(x, g):  # image = paper + (ink - paper) * (level + 1) / 2
            t = ((level + 1) / 2).reshape(-1, 1)  # [1024, 1] in [0, 1]
            paper = image[level == -1][0]
            ink_minus_paper = np.linalg.lstsq(t, image.reshape(-1, 3) - paper, rcond=None)[0]
            np.testing.assert_allclose(image.reshape(-1, 3), paper + t * ink_minus_paper,
                                       atol=1e-5)
            assert np.all(np.abs(paper + ink_minus_paper) <= 1.0 + 1e-6)  # ink in the cube
        assert not np.allclose(x[..., 0], x[..., 1])  # in colour
    assert "random colours for a" in painted.describe()


def test_recolouring_needs_a_protocol_a_known_domain_and_three_channels_to_read_it():
    from unit_tf.config import ExperimentConfig, UNITDAConfig

    with pytest.raises(ValueError, match="needs a domain-adaptation --protocol"):
        DataConfig(recolour="a")
    with pytest.raises(ValueError, match="recolour"):
        DataConfig(protocol="mnist_to_usps", recolour="c")
    data = DataConfig(protocol="mnist_to_mnist_m", recolour="a", load_size=32, crop_size=32)
    with pytest.raises(ValueError, match="model.channels_a=1 reads them as grey: set "
                                         "--channels_a=3"):
        ExperimentConfig(family="unit_da", model=UNITDAConfig(), data=data)
    ExperimentConfig(family="unit_da", model=UNITDAConfig(channels_a=3, channels_b=3), data=data)
