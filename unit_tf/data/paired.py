"""Paired training data (pix2pix): side-by-side A|B images, both halves augmented alike."""

import tensorflow as tf

from unit_tf.data.files import DataError
from unit_tf.data.images import center_preprocess, split_side_by_side
from unit_tf.data.sources import side_by_side_source
from unit_tf.data.streams import DecodeGuard, TwoDomainData, augmented_stream
from unit_tf.models.contract import DOMAINS


def centred_pairs(source, count, load_size, crop_size, resize="short_side"):
    """The first `count` A|B images of a side-by-side source, both halves resized and
    centre-cropped alike: {"a": [N, crop, crop, C], "b": [N, crop, crop, C]} float [-1, 1]."""
    pairs = [split_side_by_side(x) for x in source.first(min(count, len(source)))]
    if not pairs:
        raise DataError(f"{source.what} holds no A|B images")
    return {d: tf.stack([center_preprocess(p[i], load_size, crop_size, resize) for p in pairs])
            for i, d in enumerate(DOMAINS)}


class PairedData(TwoDomainData):
    """Aligned pairs from side-by-side A|B images (`<data_dir>/train`, pix2pix's layout):
    {"a": left halves, "b": right halves} [B, crop, crop, 3], both halves of an image given the
    same resize, crop and flip (junyanz `aligned` mode)."""

    def __init__(self, data, seed=0):
        super().__init__(data, seed)
        if data.layout != "side_by_side":
            raise DataError("paired training (pix2pix) reads side-by-side A|B images: set "
                            "--layout=side_by_side and --data_dir to a folder holding train/")
        self.source = side_by_side_source(data.data_dir, "train", data.max_image_pixels)
        self.guards = {"pairs": DecodeGuard(self.source)}

    def __len__(self):
        return len(self.source)

    def describe(self):
        return f"{len(self.source)} A|B pairs of {self.source.what}"

    def paired_transform(self, image, element_seed):
        a, b = split_side_by_side(image)
        both = self.train_transform(tf.concat([a, b], axis=-1), element_seed)  # [crop, crop, 6]
        return dict(zip(DOMAINS, tf.split(both, 2, axis=-1)))

    def dataset(self, input_context=None, start_step=0):
        batch, skip = self._sizes(input_context, start_step)
        return augmented_stream(self.source, self.paired_transform, self.seed, batch,
                                input_context, skip, self.guards["pairs"]
                                ).prefetch(tf.data.AUTOTUNE)

    def display_images(self, count):
        """The first `count` pairs of test/ (or val/, else train/), centre-cropped."""
        try:
            source = side_by_side_source(self.config.data_dir, "test")
        except DataError:
            source = self.source
        c = self.config
        return centred_pairs(source, count, c.load_size, c.crop_size, c.resize)
