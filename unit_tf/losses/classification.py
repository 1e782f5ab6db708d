"""Classification losses as pure functions (float32 arithmetic)."""

import math

import tensorflow as tf


def softmax_cross_entropy(logits, labels):
    """mean over the batch of -log softmax(logits)[label] (`F.cross_entropy`).
    logits [B, K], labels int [B]."""
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.cast(labels, tf.int32), logits=tf.cast(logits, tf.float32)))


def prediction_entropy(logits):
    """mean over the batch of the entropy (nats) of softmax(logits): 0 when every image is
    classified with certainty, log K when every answer is uniform. logits [B, K]."""
    logits = tf.cast(logits, tf.float32)
    log_p = tf.nn.log_softmax(logits)
    return tf.reduce_mean(-tf.reduce_sum(tf.exp(log_p) * log_p, axis=-1))


def prediction_imbalance(logits):
    """KL(mean prediction || uniform) = log K - entropy of the batch's mean softmax (nats): 0
    when the batch's answers are spread evenly over the K classes, log K when all go to one
    class. logits [B, K]."""
    logits = tf.cast(logits, tf.float32)
    mean = tf.reduce_mean(tf.nn.softmax(logits), axis=0)
    entropy = -tf.reduce_sum(mean * tf.math.log(tf.maximum(mean, 1e-12)))
    return math.log(int(logits.shape[-1])) - entropy
