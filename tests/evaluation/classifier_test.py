"""Classes, accuracy and the label-free prediction balance of a digit classifier."""

import math

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.evaluation import (classifier_accuracy, predicted_classes, prediction_balance,
                                 translation_accuracy)


class BrightnessClassifier:
    """Class = the image's first pixel value // 26 (0..9): a stand-in with known answers."""

    def classify(self, x, domain="b", training=False):
        assert domain == "b" and not training
        value = (x[:, 0, 0, 0] + 1.0) * 127.5  # back to 0..255
        return tf.one_hot(tf.cast(value // 26, tf.int32), 10)


def images_of(classes):
    images = np.zeros([len(classes), 32, 32, 3], np.uint8)
    images[:, 0, 0, 0] = np.asarray(classes) * 26 + 3
    return images


def test_classes_and_accuracy_in_batches_that_do_not_divide_the_set():
    classes = np.arange(23) % 10
    images = images_of(classes)
    np.testing.assert_array_equal(predicted_classes(BrightnessClassifier(), images, batch=5),
                                  classes)
    labels = classes.copy()
    labels[:4] = (labels[:4] + 1) % 10  # 4 of 23 wrong
    assert classifier_accuracy(BrightnessClassifier(), images, labels, batch=7) == \
        pytest.approx(19 / 23)
    assert predicted_classes(BrightnessClassifier(), images[:0]).shape == (0,)


def test_prediction_balance_golden_values():
    assert prediction_balance(np.full(50, 8)) == 0.0  # collapsed on one class
    assert prediction_balance(np.arange(100) % 10) == pytest.approx(1.0)
    two = prediction_balance(np.array([1, 1, 2, 2]))
    assert two == pytest.approx(math.log(2) / math.log(10))


class ShiftTranslator:
    """a2b adds 26 grey levels to the first pixel (one class up for BrightnessClassifier)."""

    def translate(self, x, direction="a2b", training=False):
        assert direction == "a2b" and not training
        return x + tf.pad(tf.fill([tf.shape(x)[0], 1, 1, 1], 26 / 127.5),
                          [[0, 0], [0, 31], [0, 31], [0, 2]])


def test_translation_accuracy_judges_the_translation_against_the_source_label():
    classes = np.arange(17) % 9  # 0..8: one class up stays within 0..9
    images = images_of(classes)
    judge = BrightnessClassifier()
    # the translation reads one class up: right against labels + 1, wrong against the labels
    assert translation_accuracy(ShiftTranslator(), images, classes + 1, judge, batch=4) == 1.0
    assert translation_accuracy(ShiftTranslator(), images, classes, judge, batch=4) == 0.0
    mixed = classes + 1
    mixed[:5] = classes[:5]
    assert translation_accuracy(ShiftTranslator(), images, mixed, judge) == \
        pytest.approx(12 / 17)
