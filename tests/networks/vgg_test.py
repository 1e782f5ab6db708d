import numpy as np
import pytest

from unit_tf.networks import VGG16Features, vgg_preprocess
from unit_tf.testing.test_case import check_serialization, count_params

VGG16_CONV_PARAMS = 14_714_688  # conv1_1 .. conv5_3, as the official Vgg16


def test_preprocess_is_caffe_bgr_minus_mean():
    rgb = np.array([[[[-1.0, 0.0, 1.0]]]], np.float32)  # R=0, G=127.5, B=255 in [0, 255]
    out = vgg_preprocess(rgb).numpy().ravel()
    np.testing.assert_allclose(out, [255 - 103.939, 127.5 - 116.779, 0 - 123.68], rtol=1e-6)


def test_relu5_3_features_shape_frozen_and_counted():
    vgg = VGG16Features(weights_source=None)
    x = np.random.RandomState(0).uniform(-1, 1, (2, 48, 64, 3)).astype(np.float32)
    features = vgg(x)
    assert tuple(features.shape) == (2, 3, 4, 512)
    assert float(np.min(features)) >= 0.0  # after the ReLU
    assert count_params(vgg) == VGG16_CONV_PARAMS
    assert vgg.trainable_weights == []
    check_serialization(VGG16Features, {"weights_source": None, "name": "vgg"})


def test_weights_come_from_a_local_file_and_never_download(tmp_path, monkeypatch):
    source = VGG16Features(weights_source=None)
    path = str(tmp_path / "vgg16_notop.weights.h5")
    source.features.save_weights(path)  # a stand-in for Keras' ImageNet notop file
    x = np.random.RandomState(1).uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32)
    loaded = VGG16Features(weights_source=path)
    np.testing.assert_array_equal(loaded(x).numpy(), source(x).numpy())

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_keras_home"))
    with pytest.raises(FileNotFoundError, match="empty_keras_home.*notop.h5.*network access"):
        VGG16Features(weights_source="imagenet")
    with pytest.raises(FileNotFoundError, match="no_such.h5"):
        VGG16Features(weights_source=str(tmp_path / "no_such.h5"))
