"""What the two-domain training pipelines share: the seeded, resumable augmented stream and the
per-replica batch arithmetic."""

import logging
import threading

import tensorflow as tf

from unit_tf.data.files import DataError, error_reason
from unit_tf.data.images import center_preprocess, train_preprocess


class DecodeGuard:
    """Loads one source's images inside tf.data, catching what TF's decoders cannot: a corrupt
    or truncated file, or one deleted since the run started, is skipped, counted and its path
    logged (the first few at WARNING); after `max_failures` failures in a row (at most the
    source's size) the stream stops with a DataError naming the folder, instead of retrying for
    ever. Python exceptions cannot cross a graph op, so the load runs eagerly in a py_function.
    """

    LOGGED = 5  # files logged one by one as they fail; the rest are counted

    def __init__(self, source, max_failures=50):
        self.source = source
        self.max_failures = max(1, min(int(max_failures), len(source)))
        self.failures = {}  # {file name: reason} of every file that failed
        self.in_a_row = 0
        self.fatal = None  # the DataError that stopped the stream
        self._lock = threading.Lock()

    def _load(self, key):
        try:
            image = self.source.load(key)
        except (tf.errors.OpError, ValueError) as e:
            return self._failed(key, e)
        with self._lock:
            self.in_a_row = 0
        return image, True

    def _failed(self, key, error):
        name = key.numpy().decode(errors="replace") if key.dtype == tf.string else \
            f"element {int(key.numpy())}"
        reason = error_reason(error)
        with self._lock:
            new = name not in self.failures
            self.failures[name] = reason
            self.in_a_row += 1
            stop = self.in_a_row >= self.max_failures and self.fatal is None
            if stop:
                self.fatal = DataError(
                    f"{self.source.what}: no decodable image in {self.in_a_row} tries in a row "
                    f"({len(self.failures)} unreadable file(s), e.g. {name}: {reason}); check "
                    "the folder")
        if new and len(self.failures) <= self.LOGGED:
            logging.warning("%s: skipped unreadable image %s: %s", self.source.what, name,
                            reason)
        if self.fatal is not None:
            raise self.fatal
        return tf.zeros([1, 1, 3], tf.uint8), False

    def load(self, key):
        """key -> (uint8 [H, W, 3], ok): graph-side wrapper of the eager `_load`."""
        image, ok = tf.py_function(self._load, [key], [tf.uint8, tf.bool])
        image.set_shape([None, None, 3])
        ok.set_shape([])
        return image, ok

    def report(self):
        """One line about the skipped files, or "" when there were none."""
        if not self.failures:
            return ""
        name, reason = next(iter(self.failures.items()))
        return (f"{self.source.what}: skipped {len(self.failures)} unreadable file(s), e.g. "
                f"{name}: {reason}")


def augmented_stream(source, transform, seed, batch_size, input_context, skip, guard=None):
    """Batches of `transform(image_uint8, element_seed)` over the source's endless keys.

    Each element's seed is (stream seed, element index), so the stream is a pure function of the
    seed and `skip` elements resume it exactly. `guard` (a DecodeGuard of `source`) skips and
    reports unreadable files; without one, the source's `load` must not fail.
    """
    stream_seed = seed + (input_context.input_pipeline_id if input_context else 0)
    ds = source.keys(stream_seed, input_context).enumerate().skip(skip)
    if guard is not None:
        ds = ds.map(lambda index, key: (index, *guard.load(key)))
        ds = ds.filter(lambda index, image, ok: ok).map(lambda index, image, ok: (index, image))
    else:
        ds = ds.map(lambda index, key: (index, source.load(key)))

    def preprocess(index, image):
        return transform(image, tf.stack([tf.cast(stream_seed, tf.int64), index]))

    ds = ds.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.batch(batch_size, drop_remainder=True)


class TwoDomainData:
    """What both pipelines share: per-replica batch sizes, resumption, display preprocessing."""

    def __init__(self, data, seed=0):
        self.config = data
        self.seed = int(seed)
        self.guards = {}  # {name: DecodeGuard} of the training streams

    def failure_report(self):
        """Lines about the unreadable files the training streams skipped."""
        return [line for line in (g.report() for g in self.guards.values()) if line]

    def fatal_error(self):
        """The DataError that stopped a stream (a folder with no decodable image), or None."""
        return next((g.fatal for g in self.guards.values() if g.fatal is not None), None)

    def _sizes(self, input_context, start_step):
        """(per-replica batch, elements to skip) for a pipeline resumed after start_step."""
        batch, per_pipeline = self.config.batch_size, self.config.batch_size
        if input_context is not None:
            batch = input_context.get_per_replica_batch_size(self.config.batch_size)
            per_pipeline = self.config.batch_size // input_context.num_input_pipelines
        return batch, int(start_step) * per_pipeline

    def train_transform(self, image, element_seed):
        c = self.config
        return train_preprocess(image, element_seed, c.load_size, c.crop_size, c.flip, c.resize)

    def display_transform(self, image):
        c = self.config
        return center_preprocess(image, c.load_size, c.crop_size, c.resize)
