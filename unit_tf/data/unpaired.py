"""Unpaired training data (UNIT, MUNIT, CycleGAN): the two domains drawn independently."""

import tensorflow as tf

from unit_tf.data.files import DataError, domain_folder
from unit_tf.data.sources import domain_source
from unit_tf.data.streams import DecodeGuard, TwoDomainData, augmented_stream
from unit_tf.models.contract import DOMAINS


class UnpairedData(TwoDomainData):
    """Both domains' sources for a DataConfig; builds per-replica datasets of
    {"a": [B, crop, crop, 3], "b": [B, crop, crop, 3]} float32 in [-1, 1], the two domains drawn
    independently (with --layout=side_by_side: left and right halves of different images)."""

    def __init__(self, data, seed=0):
        super().__init__(data, seed)
        if data.source == "folder" and data.layout == "domains":
            for d in DOMAINS:  # name a missing domain before inspecting any contents
                domain_folder(data.data_dir, f"train{d.upper()}")
        self.sources = {d: domain_source(data, d, "train") for d in DOMAINS}
        self.guards = {d: DecodeGuard(source) for d, source in self.sources.items()}

    def __len__(self):
        """Examples in an epoch: the larger domain (junyanz `max(A_size, B_size)`)."""
        return max(len(s) for s in self.sources.values())

    def describe(self):
        return ", ".join(f"{d}: {len(s)} images of {s.what}" for d, s in self.sources.items())

    def dataset(self, input_context=None, start_step=0):
        """The training dataset; with an InputContext, the per-replica batches of that pipeline.

        The element sequence is a pure function of the seed, so `start_step` (the steps already
        trained) resumes it exactly: the keys those steps consumed are skipped, not decoded.
        """
        batch, skip = self._sizes(input_context, start_step)
        streams = {d: augmented_stream(self.sources[d], self.train_transform,
                                       self.seed + 7919 * i, batch, input_context, skip,
                                       self.guards[d])
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
            result[d] = tf.stack([self.display_transform(x) for x in source.first(count)])
        return result
