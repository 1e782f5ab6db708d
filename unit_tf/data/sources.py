"""Where one domain's images come from: a folder, an npz array or a TFDS dataset.

Each source gives an infinite, seeded-shuffled tf.data stream of cheap keys (paths, indices or
still-encoded examples), a `load(key)` that turns one key into a uint8 [H, W, 3] image, and a
short list of fixed display images. Keeping keys and decoding apart lets a resumed run skip the
keys it already consumed without decoding them. Nothing here downloads: TFDS is read with download=False and
fails fast with the command to prepare the data.
"""

import logging
import os

import numpy as np
import tensorflow as tf

from unit_tf.data.files import (DataError, check_data_dir, check_images, domain_folder,
                                error_reason, list_images)
from unit_tf.config import DataConfig
from unit_tf.data.images import decode_rgb, decode_rgb_limited, split_side_by_side


def _shard(ds, count, input_context):
    if input_context is None or input_context.num_input_pipelines <= 1:
        return ds
    if count < input_context.num_input_pipelines:
        return ds  # too few files to split; workers differ through their seeds instead
    return ds.shard(input_context.num_input_pipelines, input_context.input_pipeline_id)


class FolderSource:
    """Images in `<data_dir>/<split>` (trainA, trainB, testA, testB), any size up to
    `max_pixels` (H*W, checked from each file's header before decoding), checked first."""

    def __init__(self, data_dir, split, max_pixels=DataConfig.max_image_pixels):
        self.folder = domain_folder(data_dir, split)
        self.what = f"{split} ({self.folder})"
        self.paths = check_images(list_images(self.folder), self.what)
        self.max_pixels = int(max_pixels)

    def __len__(self):
        return len(self.paths)

    def keys(self, seed, input_context=None):
        ds = _shard(tf.data.Dataset.from_tensor_slices(self.paths), len(self.paths), input_context)
        return ds.shuffle(len(self.paths), seed=seed, reshuffle_each_iteration=True).repeat()

    def load(self, path):
        return decode_rgb_limited(tf.io.read_file(path), self.max_pixels)

    def first(self, n):
        return first_decodable(self.paths, n, self.load, self.what)


def first_decodable(keys, n, load, what):
    """The first `n` images `load(key)` can decode, in order; the others are skipped with a
    warning naming them (display samples must not stop a run over one bad file)."""
    images = []
    for key in keys:
        if len(images) == n:
            break
        try:
            images.append(load(key))
        except (tf.errors.OpError, ValueError) as e:
            name = key if isinstance(key, str) else "an encoded example"
            reason = error_reason(e)
            logging.warning("%s: skipped unreadable image %s for the samples: %s", what, name,
                            reason)
    if n > 0 and not images:
        raise DataError(f"{what}: none of its images can be decoded")
    return images


def _to_rgb_uint8(array, what):
    array = np.asarray(array)
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[-1] not in (1, 3, 4):
        raise DataError(f"{what}: expected images [N, H, W] or [N, H, W, 1|3|4], "
                        f"got shape {array.shape}")
    if array.dtype != np.uint8:
        lo, hi = float(array.min()), float(array.max())
        if lo >= -1.0 and hi <= 1.0 and lo < 0:
            array = (array + 1.0) * 127.5
        elif hi <= 1.0:
            array = array * 255.0
        array = np.clip(np.round(array), 0, 255).astype(np.uint8)
    if array.shape[-1] == 1:
        array = np.repeat(array, 3, axis=-1)
    return array[..., :3]


class ArraySource:
    """In-memory images from an npz array (`file.npz:key`), e.g. the digits."""

    def __init__(self, spec):
        path, _, key = spec.partition(":")
        if not os.path.isfile(path):
            raise DataError(f"npz file {path!r} does not exist")
        with np.load(path, allow_pickle=False) as data:
            if key not in data.files:
                raise DataError(f"{path}: no array {key!r}; it holds {', '.join(data.files)}")
            self.images = _to_rgb_uint8(data[key], f"{path}:{key}")
        if len(self.images) == 0:
            raise DataError(f"{spec}: the array holds no images")
        self.what = spec

    def __len__(self):
        return len(self.images)

    def keys(self, seed, input_context=None):
        ds = _shard(tf.data.Dataset.range(len(self.images)), len(self.images), input_context)
        return ds.shuffle(len(self.images), seed=seed, reshuffle_each_iteration=True).repeat()

    def load(self, index):
        if not hasattr(self, "_tensor"):
            self._tensor = tf.constant(self.images)
        return tf.gather(self._tensor, index)

    def first(self, n):
        return [tf.constant(x) for x in self.images[:n]]


class TFDSSource:
    """A prepared TFDS dataset split (e.g. `cycle_gan/horse2zebra`, split trainA)."""

    def __init__(self, name, split, data_dir=""):
        import tensorflow_datasets as tfds

        self.what = f"tfds {name}[{split}]"
        try:
            self.dataset = tfds.load(name, split=split, data_dir=data_dir or None,
                                     download=False, shuffle_files=False,
                                     decoders={"image": tfds.decode.SkipDecoding()})
        except Exception as e:  # tfds raises AssertionError / DatasetNotFoundError / ValueError
            raise DataError(
                f"{self.what} is not available offline ({type(e).__name__}: {e}). Prepare it "
                f"first on a machine with network access: `tfds build {name}` (or "
                f"tfds.load('{name}', download=True)) and pass --tfds_data_dir") from e
        self.key = "image"

    def __len__(self):
        return int(self.dataset.cardinality())

    def keys(self, seed, input_context=None):
        ds = _shard(self.dataset.map(lambda example: example[self.key]), len(self), input_context)
        return ds.shuffle(min(len(self), 10_000), seed=seed,
                          reshuffle_each_iteration=True).repeat()

    def load(self, encoded):
        return decode_rgb(encoded)

    def first(self, n):
        return first_decodable((example[self.key] for example in self.dataset), n, self.load,
                               self.what)


class HalfSource:
    """One half of the A|B images of a side-by-side source: 'a' the left, 'b' the right."""

    def __init__(self, source, domain):
        self.source = source
        self.index = "ab".index(domain)
        self.what = f"{source.what}, {'left' if self.index == 0 else 'right'} halves"

    def __len__(self):
        return len(self.source)

    def keys(self, seed, input_context=None):
        return self.source.keys(seed, input_context)

    def load(self, key):
        return split_side_by_side(self.source.load(key))[self.index]

    def first(self, n):
        return [split_side_by_side(x)[self.index] for x in self.source.first(n)]


SIDE_BY_SIDE_SPLITS = {"train": ("train",), "test": ("test", "val")}


def side_by_side_source(data_dir, split="train", max_pixels=DataConfig.max_image_pixels):
    """The folder of A|B images of `split`: train, or for test the first of test/ and val/."""
    folders = SIDE_BY_SIDE_SPLITS[split]
    check_data_dir(data_dir)
    for name in folders:
        if os.path.isdir(os.path.join(data_dir, name)):
            return FolderSource(data_dir, name, max_pixels)
    present = sorted(n for n in os.listdir(data_dir) if os.path.isdir(os.path.join(data_dir, n)))
    hint = ("; it holds trainA/ and trainB/ (one folder per domain): use --layout=domains"
            if {"trainA", "trainB"} <= set(present) else "")
    raise DataError(f"{data_dir!r} has no {' or '.join(f'{n}/' for n in folders)} folder of A|B "
                    f"images (--layout=side_by_side); found {present or 'no folders'}{hint}")


def domain_source(data, domain: str, split: str = "train"):
    """The source of domain 'a' or 'b' for split 'train' or 'test' under a DataConfig."""
    folder_split = f"{split}{domain.upper()}"
    if data.layout == "side_by_side":
        return HalfSource(side_by_side_source(data.data_dir, split, data.max_image_pixels),
                          domain)
    if data.source == "folder":
        return FolderSource(data.data_dir, folder_split, data.max_image_pixels)
    if data.source == "npz":
        spec = {"a": data.npz_a, "b": data.npz_b}[domain]
        if not spec:
            raise DataError(f"--data_source=npz needs --npz_{domain}=file.npz:key")
        return ArraySource(spec)
    if data.source == "tfds":
        if not data.tfds_name:
            raise DataError("--data_source=tfds needs --tfds_name (e.g. cycle_gan/horse2zebra)")
        return TFDSSource(data.tfds_name, folder_split, data.tfds_data_dir)
    raise DataError(f"unknown data source {data.source!r}")
