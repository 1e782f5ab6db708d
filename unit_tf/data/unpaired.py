"""The unpaired two-domain training pipeline used by UNIT, MUNIT and CycleGAN."""

import os

import tensorflow as tf

from unit_tf.data.files import DataError, domain_folder
from unit_tf.data.images import center_preprocess, train_preprocess
from unit_tf.data.sources import domain_source

DOMAINS = ("a", "b")


def _augmented(source, data, seed, batch_size, input_context, skip):
    stream_seed = seed + (input_context.input_pipeline_id if input_context else 0)
    ds = source.keys(stream_seed, input_context).enumerate().skip(skip)

    def preprocess(index, key):
        element_seed = tf.stack([tf.cast(stream_seed, tf.int64), index])
        return train_preprocess(source.load(key), element_seed, data.load_size, data.crop_size,
                                data.flip)

    ds = ds.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    ds = ds.ignore_errors(log_warning=True)  # a corrupt file is skipped, with a warning
    return ds.batch(batch_size, drop_remainder=True)


class UnpairedData:
    """Both domains' sources for a DataConfig; builds per-replica datasets of
    {"a": [B, crop, crop, 3], "b": [B, crop, crop, 3]} float32 in [-1, 1]."""

    def __init__(self, data, seed=0):
        self.config = data
        self.seed = int(seed)
        if data.source == "folder":  # name a missing domain before inspecting any contents
            for d in DOMAINS:
                domain_folder(data.data_dir, f"train{d.upper()}")
        self.sources = {d: domain_source(data, d, "train") for d in DOMAINS}

    def dataset(self, input_context=None, start_step=0):
        """The training dataset; with an InputContext, the per-replica batches of that pipeline.

        The element sequence is a pure function of the seed, so `start_step` (the steps already
        trained) resumes it exactly: the keys those steps consumed are skipped, not decoded.
        """
        batch, per_pipeline = self.config.batch_size, self.config.batch_size
        if input_context is not None:
            batch = input_context.get_per_replica_batch_size(self.config.batch_size)
            per_pipeline = self.config.batch_size // input_context.num_input_pipelines
        skip = int(start_step) * per_pipeline
        streams = {d: _augmented(self.sources[d], self.config, self.seed + 7919 * i, batch,
                                 input_context, skip)
                   for i, d in enumerate(DOMAINS)}
        return tf.data.Dataset.zip(streams).prefetch(tf.data.AUTOTUNE)

    def display_images(self, count):
        """Fixed images per domain for sample grids: the first `count` test images when the
        source has a test split, else training images; centre-cropped, [count, crop, crop, 3]."""
        result = {}
        for d in DOMAINS:
            try:
                source = domain_source(self.config, d, "test")
            except DataError:
                source = self.sources[d]
            images = source.first(count)
            result[d] = tf.stack([center_preprocess(x, self.config.load_size,
                                                    self.config.crop_size) for x in images])
        return result


def image_paths(path):
    """A single image file or every image in a folder (for translation)."""
    from unit_tf.data.files import check_images, list_images

    if os.path.isfile(path):
        return check_images([path], path)
    return check_images(list_images(path), path)
