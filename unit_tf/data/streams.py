"""What the two-domain training pipelines share: the seeded, resumable augmented stream and the
per-replica batch arithmetic."""

import tensorflow as tf

from unit_tf.data.images import center_preprocess, train_preprocess


def augmented_stream(source, transform, seed, batch_size, input_context, skip):
    """Batches of `transform(image_uint8, element_seed)` over the source's endless keys.

    Each element's seed is (stream seed, element index), so the stream is a pure function of the
    seed and `skip` elements resume it exactly; a corrupt file is skipped, with a warning.
    """
    stream_seed = seed + (input_context.input_pipeline_id if input_context else 0)
    ds = source.keys(stream_seed, input_context).enumerate().skip(skip)

    def preprocess(index, key):
        return transform(source.load(key), tf.stack([tf.cast(stream_seed, tf.int64), index]))

    ds = ds.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    ds = ds.ignore_errors(log_warning=True)
    return ds.batch(batch_size, drop_remainder=True)



class TwoDomainData:
    """What both pipelines share: per-replica batch sizes, resumption, display preprocessing."""

    def __init__(self, data, seed=0):
        self.config = data
        self.seed = int(seed)

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
