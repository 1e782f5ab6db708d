"""The two-domain training pipelines: unpaired (UNIT, MUNIT, CycleGAN) and paired (pix2pix)."""

import os

import tensorflow as tf

from unit_tf.data.files import DataError, domain_folder
from unit_tf.data.images import center_preprocess, split_side_by_side, train_preprocess
from unit_tf.data.sources import domain_source, side_by_side_source

DOMAINS = ("a", "b")


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


def centred_pairs(source, count, load_size, crop_size, resize="short_side"):
    """The first `count` A|B images of a side-by-side source, both halves resized and
    centre-cropped alike: {"a": [N, crop, crop, C], "b": [N, crop, crop, C]} float [-1, 1]."""
    pairs = [split_side_by_side(x) for x in source.first(min(count, len(source)))]
    if not pairs:
        raise DataError(f"{source.what} holds no A|B images")
    return {d: tf.stack([center_preprocess(p[i], load_size, crop_size, resize) for p in pairs])
            for i, d in enumerate(DOMAINS)}


class _TwoDomainData:
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


class UnpairedData(_TwoDomainData):
    """Both domains' sources for a DataConfig; builds per-replica datasets of
    {"a": [B, crop, crop, 3], "b": [B, crop, crop, 3]} float32 in [-1, 1], the two domains drawn
    independently (with --layout=side_by_side: left and right halves of different images)."""

    def __init__(self, data, seed=0):
        super().__init__(data, seed)
        if data.source == "folder" and data.layout == "domains":
            for d in DOMAINS:  # name a missing domain before inspecting any contents
                domain_folder(data.data_dir, f"train{d.upper()}")
        self.sources = {d: domain_source(data, d, "train") for d in DOMAINS}

    def __len__(self):
        """Examples in an epoch: the larger domain (junyanz `max(A_size, B_size)`)."""
        return max(len(s) for s in self.sources.values())

    def dataset(self, input_context=None, start_step=0):
        """The training dataset; with an InputContext, the per-replica batches of that pipeline.

        The element sequence is a pure function of the seed, so `start_step` (the steps already
        trained) resumes it exactly: the keys those steps consumed are skipped, not decoded.
        """
        batch, skip = self._sizes(input_context, start_step)
        streams = {d: augmented_stream(self.sources[d], self.train_transform,
                                       self.seed + 7919 * i, batch, input_context, skip)
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


class PairedData(_TwoDomainData):
    """Aligned pairs from side-by-side A|B images (`<data_dir>/train`, pix2pix's layout):
    {"a": left halves, "b": right halves} [B, crop, crop, 3], both halves of an image given the
    same resize, crop and flip (junyanz `aligned` mode)."""

    def __init__(self, data, seed=0):
        super().__init__(data, seed)
        if data.layout != "side_by_side":
            raise DataError("paired training (pix2pix) reads side-by-side A|B images: set "
                            "--layout=side_by_side and --data_dir to a folder holding train/")
        self.source = side_by_side_source(data.data_dir, "train")

    def __len__(self):
        return len(self.source)

    def paired_transform(self, image, element_seed):
        a, b = split_side_by_side(image)
        both = self.train_transform(tf.concat([a, b], axis=-1), element_seed)  # [crop, crop, 6]
        return dict(zip(DOMAINS, tf.split(both, 2, axis=-1)))

    def dataset(self, input_context=None, start_step=0):
        batch, skip = self._sizes(input_context, start_step)
        return augmented_stream(self.source, self.paired_transform, self.seed, batch,
                                input_context, skip).prefetch(tf.data.AUTOTUNE)

    def display_images(self, count):
        """The first `count` pairs of test/ (or val/, else train/), centre-cropped."""
        try:
            source = side_by_side_source(self.config.data_dir, "test")
        except DataError:
            source = self.source
        c = self.config
        return centred_pairs(source, count, c.load_size, c.crop_size, c.resize)


def image_paths(path):
    """A single image file or every image in a folder (for translation)."""
    from unit_tf.data.files import check_images, list_images

    if os.path.isfile(path):
        return check_images([path], path)
    return check_images(list_images(path), path)
