"""VGG16 relu5_3 features for the optional perceptual loss (`vgg_w`) of UNIT and MUNIT.

Paper/official -> code: the official `Vgg16` (conv1_1 .. conv5_3 of the Caffe VGG16, read from
`vgg16.t7`) and `vgg_preprocess` (RGB -> BGR, [-1, 1] -> [0, 255], minus the Caffe ImageNet mean)
are `VGG16Features`; Keras' ImageNet VGG16 weights are the same Caffe model, so
`weights_source="imagenet"` gives the official features. Nothing is ever downloaded here: the
weights come from a local file (or Keras' cache, where `keras.applications.VGG16(weights=
"imagenet", include_top=False)` leaves them on a machine with network access).
"""

import os

import keras
import tensorflow as tf

CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
IMAGENET_NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
FEATURE_LAYER = "block5_conv3"  # relu5_3 (Keras' conv layers carry their ReLU)


def keras_cache_file(name):
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models", name)


def resolve_weights(weights_source):
    """None (random, for tests), "imagenet" (Keras' cached notop file) or a path to an .h5 /
    .weights.h5 file of `keras.applications.VGG16(include_top=False)`."""
    if weights_source is None:
        return None
    path = keras_cache_file(IMAGENET_NOTOP_FILE) if weights_source == "imagenet" \
        else weights_source
    if not os.path.isfile(path):
        hint = (" (run keras.applications.VGG16(weights='imagenet', include_top=False) once on a "
                "machine with network access, or pass --vgg_weights=FILE)"
                if weights_source == "imagenet" else "")
        raise FileNotFoundError(f"VGG16 weights not found: {path}{hint}")
    return path


def vgg_preprocess(images):
    """[B, H, W, 3] RGB in [-1, 1] -> BGR in [0, 255] minus the Caffe mean (float32)."""
    images = tf.cast(images, tf.float32)
    bgr = tf.reverse((images + 1.0) * 127.5, axis=[-1])
    return bgr - tf.constant(CAFFE_BGR_MEAN, tf.float32)


@keras.saving.register_keras_serializable(package="unit_tf")
class VGG16Features(keras.layers.Layer):
    """[B, H, W, 3] in [-1, 1] -> relu5_3 features [B, H/16, W/16, 512]; frozen (not trainable).

    weights_source: None (random init), "imagenet" or a path to a VGG16 notop weights file.
    """

    def __init__(self, weights_source="imagenet", **kwargs):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        self.weights_source = weights_source
        full = keras.applications.VGG16(include_top=False, weights=None,
                                        input_shape=(None, None, 3))
        path = resolve_weights(weights_source)
        if path is not None:
            full.load_weights(path)
        self.features = keras.Model(full.input, full.get_layer(FEATURE_LAYER).output,
                                    name="vgg16_relu5_3")
        self.features.trainable = False

    def call(self, images):
        return self.features(vgg_preprocess(images))  # [B, H/16, W/16, 512]

    def compute_output_shape(self, input_shape):
        def down(n):
            return None if n is None else n // 16
        return (input_shape[0], down(input_shape[1]), down(input_shape[2]), 512)

    def get_config(self):
        return {**super().get_config(), "weights_source": self.weights_source}
