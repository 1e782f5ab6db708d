"""Accuracy of the domain-adaptation model's classifier on a labelled digit set."""

import os

import numpy as np
import tensorflow as tf

from unit_tf.data.digits import to_rgb32
from unit_tf.data.files import DataError
from unit_tf.evaluation.batches import signed_batch_outputs
from unit_tf.models import parse_direction


def load_labelled_npz(path):
    """(images uint8 [N, 32, 32, 3], labels int64 [N]) from an .npz holding one `x_*` image
    array ([N, H, W] or [N, H, W, C] uint8) and its `y_*` labels (e.g. x_test / y_test),
    resized as in training (nearest from 28, bilinear otherwise)."""
    if not os.path.isfile(path):
        raise DataError(f"labelled set {path!r} does not exist")
    with np.load(path, allow_pickle=False) as data:
        images = [k for k in data.files if k.startswith("x_")]
        if len(images) != 1 or f"y_{images[0][2:]}" not in data.files:
            raise DataError(f"{path}: expected one x_* image array and its y_* labels; it "
                            f"holds {', '.join(data.files)}")
        x, y = data[images[0]], data[f"y_{images[0][2:]}"]
    if len(x) != len(y):
        raise DataError(f"{path}: {len(x)} images but {len(y)} labels")
    method = "nearest" if x.shape[1:3] == (28, 28) else "bilinear"
    return to_rgb32(x, method), np.asarray(y).astype(np.int64).reshape(-1)


def predicted_classes(model, images, domain="b", batch=500):
    """`model.classify(., domain)`'s class for each of `images` (uint8 [N, 32, 32, 3]), in
    inference mode (no dropout, batch-norm moving statistics): int64 [N]."""
    classify = tf.function(lambda x: tf.argmax(model.classify(x, domain), axis=-1))
    return np.concatenate([np.zeros([0], np.int64)] +
                          signed_batch_outputs(classify, images, batch))


def classifier_accuracy(model, images, labels, domain="b", batch=500):
    """Fraction of `images` (uint8 [N, 32, 32, 3]) that `model.classify(., domain)` labels
    correctly, in inference mode."""
    predicted = predicted_classes(model, images, domain, batch)
    return int(np.sum(predicted == np.asarray(labels))) / max(len(images), 1)


class _TranslationReader:
    """classify(x, target) = judge.classify(model.translate(x, direction), target)."""

    def __init__(self, model, judge, direction):
        self.model, self.judge, self.direction = model, judge, direction

    def classify(self, x, domain, training=False):
        return self.judge.classify(self.model.translate(x, self.direction), domain, training)


def translation_accuracy(model, images, labels, judge, direction="a2b", batch=500):
    """Fraction of source `images` (uint8 [N, 32, 32, 3]) whose translation by `model` (inference
    mode) the classifier `judge` (its `classify(., target)`, e.g. one trained on the target
    domain's labels) gives the SOURCE image's label: whether the translator carries the digit
    into the other domain. It reads target labels through `judge`, so it is a diagnostic of the
    translator, never a model-selection criterion for adaptation."""
    _, target = parse_direction(direction)
    return classifier_accuracy(_TranslationReader(model, judge, direction), images, labels,
                               target, batch)


def prediction_balance(predicted, num_classes=10):
    """Normalised entropy of predicted classes: 0 when one class is given to everything, 1 when
    all classes are given equally often. Needs no labels: a collapse detector for an adapted
    classifier on unlabelled target images."""
    share = np.bincount(predicted, minlength=num_classes) / max(len(predicted), 1)
    share = share[share > 0]
    return float(-(share * np.log(share)).sum() / np.log(num_classes))


NAMED_SETS = {"mnist_test": ("mnist", "test"), "usps_test": ("usps", "test"),
              "mnist_m_test": ("mnist_m", "test")}
PROTOCOL_TEST_SETS = {"mnist_to_usps": "usps_test", "usps_to_mnist": "mnist_test",
                      "mnist_to_mnist_m": "mnist_m_test"}


def labelled_set(spec, datasets_root=""):
    """(images uint8 [N, 32, 32, 3], labels [N], description) of `spec`: an .npz file (see
    `load_labelled_npz`), or a named test set of the shared layout under `datasets_root`
    (mnist_test, usps_test, mnist_m_test: the last 1000 MNIST-M images)."""
    from unit_tf.data.digits import LOADERS

    if spec in NAMED_SETS:
        name, split = NAMED_SETS[spec]
        images, labels = LOADERS[name](datasets_root, split)
        return images, labels, f"{spec} ({datasets_root})"
    images, labels = load_labelled_npz(spec)
    return images, labels, spec


def saved_model_accuracy(signature, images, labels, batch=500):
    """Accuracy of a SavedModel's classify_<d> signature (uint8 images in, classes out)."""
    correct = 0
    for start in range(0, len(images), batch):
        classes = signature(images=tf.constant(images[start:start + batch]))["classes"]
        correct += int(np.sum(classes.numpy() == labels[start:start + batch]))
    return correct / max(len(images), 1)
