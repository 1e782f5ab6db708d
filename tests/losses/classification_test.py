import math

import numpy as np
import pytest
import tensorflow as tf

from unit_tf import losses


def _softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


LOGITS = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-3.0, 1.0, 0.0]], np.float32)


def test_cross_entropy_golden():
    p = _softmax(LOGITS.astype(np.float64))
    labels = np.array([0, 2, 1])
    expected = -np.mean(np.log(p[np.arange(3), labels]))
    assert float(losses.softmax_cross_entropy(LOGITS, labels)) == pytest.approx(expected, rel=1e-6)


def test_prediction_entropy_golden_and_bounds():
    p = _softmax(LOGITS.astype(np.float64))
    expected = np.mean(-np.sum(p * np.log(p), axis=-1))
    assert float(losses.prediction_entropy(LOGITS)) == pytest.approx(expected, rel=1e-6)
    # certain answers: 0; uniform answers: log K
    assert float(losses.prediction_entropy(np.array([[60.0, 0.0, 0.0]]))) == pytest.approx(0.0, abs=1e-6)
    assert float(losses.prediction_entropy(np.zeros((4, 10)))) == pytest.approx(math.log(10), rel=1e-6)


def test_prediction_imbalance_golden_and_bounds():
    mean = _softmax(LOGITS.astype(np.float64)).mean(axis=0)
    expected = math.log(3) + np.sum(mean * np.log(mean))
    assert float(losses.prediction_imbalance(LOGITS)) == pytest.approx(expected, rel=1e-5)
    # every class equally often, each with certainty: balanced (0); all the same class: log K
    certain = 60.0 * np.eye(4, dtype=np.float32)
    assert float(losses.prediction_imbalance(certain)) == pytest.approx(0.0, abs=1e-6)
    one_class = np.tile(certain[:1], [4, 1])
    assert float(losses.prediction_imbalance(one_class)) == pytest.approx(math.log(4), rel=1e-5)


def test_information_terms_are_float32_under_bfloat16_logits():
    logits = tf.cast(LOGITS, tf.bfloat16)
    assert losses.prediction_entropy(logits).dtype == tf.float32
    assert losses.prediction_imbalance(logits).dtype == tf.float32
