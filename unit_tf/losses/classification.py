"""Classification loss as a pure function (float32 arithmetic)."""

import tensorflow as tf


def softmax_cross_entropy(logits, labels):
    """mean over the batch of -log softmax(logits)[label] (`F.cross_entropy`).
    logits [B, K], labels int [B]."""
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.cast(labels, tf.int32), logits=tf.cast(logits, tf.float32)))
