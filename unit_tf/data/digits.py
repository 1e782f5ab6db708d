"""Labelled digits for UNIT's domain-adaptation protocols, read from the shared data layout.

    mnist_to_usps     source 2000 MNIST training digits (labels), target 1800 USPS training
                      digits (no labels), drawn with the run seed (the CoGAN protocol);
                      evaluation on the full USPS test set (2007)
    usps_to_mnist     source 1800 USPS (labels), target 2000 MNIST; evaluation on MNIST test
                      (10000)
    mnist_to_mnist_m  source the MNIST training set (labels), target the first 5000 of the 6000
                      MNIST-M images (no labels); the last 1000 are the held-out test set. MNIST-M
                      image i is MNIST training image i recoloured, so the source leaves out the
                      MNIST digits 5000..5999 behind the test images (59000 source images)

`data_dir` is the datasets root (`digits/mnist/mnist.npz`, `digits/usps/zip.{train,test}.gz`,
`mnist_m/mnist_m_train6k.npz`). Every image becomes 32x32 RGB uint8: MNIST 28 -> 32 nearest
neighbour (as the official code), USPS 16 -> 32 bilinear, grey repeated on three channels.
"""

import gzip
import os

import numpy as np
import tensorflow as tf

from unit_tf.data.augment import augmented_digits
from unit_tf.data.files import DataError
from unit_tf.data.images import to_signed
from unit_tf.models.contract import DOMAINS

SIZE = 32
PROTOCOL_SIZES = {"mnist": 2000, "usps": 1800}
MNIST_M_TRAIN = 5000  # of the 6000 shipped; the last 1000 are the test set
MNIST_M_SHIPPED = 6000  # MNIST-M image i is MNIST training image i recoloured


def _require(path):
    if not os.path.isfile(path):
        raise DataError(f"{path} does not exist: data_dir must be the datasets root holding "
                        "digits/mnist, digits/usps and mnist_m (e.g. ../shared/datasets)")
    return path


def to_rgb32(images, method):
    """uint8 [N, H, W] or [N, H, W, C] -> uint8 [N, 32, 32, 3]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise DataError(f"digit images must be [N, H, W] or [N, H, W, 1|3]; got {images.shape}")
    if images.shape[1:3] != (SIZE, SIZE):
        resized = tf.image.resize(tf.cast(images, tf.float32), [SIZE, SIZE], method=method)
        images = np.clip(np.round(resized.numpy()), 0, 255).astype(np.uint8)
    if images.shape[-1] == 1:
        images = np.repeat(images, 3, axis=-1)
    return images.astype(np.uint8)


def load_mnist(root, split):
    with np.load(_require(os.path.join(root, "digits", "mnist", "mnist.npz")),
                 allow_pickle=False) as data:
        return to_rgb32(data[f"x_{split}"], "nearest"), data[f"y_{split}"].astype(np.int64)


def load_usps(root, split):
    path = _require(os.path.join(root, "digits", "usps", f"zip.{split}.gz"))
    with gzip.open(path, "rt") as f:
        rows = np.array([line.split() for line in f if line.strip()], dtype=np.float64)
    labels = rows[:, 0].astype(np.int64)
    images = np.clip(np.round((rows[:, 1:].reshape(-1, 16, 16) + 1.0) * 127.5), 0, 255)
    return to_rgb32(images.astype(np.uint8), "bilinear"), labels


def load_mnist_m(root, split):
    with np.load(_require(os.path.join(root, "mnist_m", "mnist_m_train6k.npz")),
                 allow_pickle=False) as data:
        images, labels = data["x_train"], data["y_train"].astype(np.int64)
    part = slice(0, MNIST_M_TRAIN) if split == "train" else slice(MNIST_M_TRAIN, None)
    return to_rgb32(images[part], "bilinear"), labels[part]


LOADERS = {"mnist": load_mnist, "usps": load_usps, "mnist_m": load_mnist_m}
PROTOCOLS = {"mnist_to_usps": ("mnist", "usps"), "usps_to_mnist": ("usps", "mnist"),
             "mnist_to_mnist_m": ("mnist", "mnist_m")}


def inverted_copies(images, labels):
    """(images, labels) followed by their inverted copies (255 - x) with the same labels."""
    return np.concatenate([images, 255 - images]), np.concatenate([labels, labels])


def protocol_split(root, protocol, seed=0, invert=""):
    """{"a": (images, labels), "b": (images, labels), "test_b": (images, labels)} of a protocol:
    the training subsets of the source (a) and target (b) domains and the target's test set.
    The target's training labels are returned but never used for training. Each domain named
    in `invert` ("a", "b", "ab") has its training set doubled with inverted copies."""
    if protocol not in PROTOCOLS:
        raise DataError(f"data.protocol={protocol!r} is not one of {', '.join(PROTOCOLS)}")
    source, target = PROTOCOLS[protocol]
    rng = np.random.RandomState(seed)
    result = {}
    for key, name in (("a", source), ("b", target)):
        images, labels = LOADERS[name](root, "train")
        if protocol != "mnist_to_mnist_m":  # the CoGAN protocol's random subsets
            keep = np.sort(rng.choice(len(images), PROTOCOL_SIZES[name], replace=False))
            images, labels = images[keep], labels[keep]
        elif key == "a":  # no test image's digit, even in another colour, is trained on
            keep = np.r_[0:MNIST_M_TRAIN, MNIST_M_SHIPPED:len(images)]
            images, labels = images[keep], labels[keep]
        result[key] = inverted_copies(images, labels) if key in invert else (images, labels)
    result["test_b"] = LOADERS[target](root, "test")
    return result


class DigitsDAData:
    """Training batches {"a": [B, 32, 32, 3], "b": [B, 32, 32, 3] float32 in [-1, 1],
    "label_a": int64 [B]}: the two domains shuffled independently, a pure function of the seed
    and the step (so a resumed run continues the exact stream)."""

    def __init__(self, data, seed=0):
        self.config = data
        self.seed = int(seed)
        if data.crop_size != SIZE:
            raise DataError(f"data.crop_size={data.crop_size}: the digit networks take "
                            f"{SIZE}x{SIZE} images")
        self.split = protocol_split(data.data_dir, data.protocol, seed, data.invert)
        self.guards = {}

    def __len__(self):
        return max(len(self.split[d][0]) for d in DOMAINS)

    def describe(self):
        inverted = f", inverted copies added to {self.config.invert}" if self.config.invert else ""
        augmented = (f", random affine augmentation {self.config.augment:g}"
                     if self.config.augment else "")
        augmented += (f", random colours for {self.config.recolour}"
                      if self.config.recolour else "")
        return (f"{self.config.protocol}: a {len(self.split['a'][0])} labelled source digits, "
                f"b {len(self.split['b'][0])} unlabelled target digits{inverted}{augmented}")

    def failure_report(self):
        return []  # in-memory arrays: nothing to skip

    def fatal_error(self):
        return None

    def _stream(self, domain, seed, batch, input_context, skip):
        """(images [B, 32, 32, 3] in [-1, 1], labels [B]) of one domain; with data.augment (and
        data.recolour naming the domain) each batch is augmented (painted) with the stateless
        seed (seed, its first element's position in the stream), so a stream skipped to a
        resumed step augments as the uninterrupted one."""
        images, labels = (tf.constant(v) for v in self.split[domain])
        count = len(self.split[domain][0])
        ids = tf.data.Dataset.range(count)
        if input_context is not None and input_context.num_input_pipelines > 1:
            ids = ids.shard(input_context.num_input_pipelines, input_context.input_pipeline_id)
        ids = ids.shuffle(count, seed=seed, reshuffle_each_iteration=True).repeat()
        batches = ids.enumerate().skip(skip).batch(batch, drop_remainder=True)
        strength = self.config.augment

        recolour = domain in self.config.recolour

        def read(positions, i):
            x = to_signed(tf.gather(images, i))  # [B, 32, 32, 3]
            position = tf.stack([tf.constant(seed, tf.int64), positions[0]])
            return augmented_digits(x, strength, recolour, position), tf.gather(labels, i)

        return batches.map(read)

    def dataset(self, input_context=None, start_step=0):
        batch = self.config.batch_size
        if input_context is not None:
            batch = input_context.get_per_replica_batch_size(self.config.batch_size)
        per_pipeline = self.config.batch_size // (
            input_context.num_input_pipelines if input_context else 1)
        skip = int(start_step) * per_pipeline
        offset = input_context.input_pipeline_id if input_context else 0
        a = self._stream("a", self.seed + offset, batch, input_context, skip)
        b = self._stream("b", self.seed + 7919 + offset, batch, input_context, skip)
        return tf.data.Dataset.zip(a, b).map(
            lambda a, b: {"a": a[0], "b": b[0], "label_a": a[1]}).prefetch(tf.data.AUTOTUNE)

    def display_images(self, count):
        """The first `count` source training digits and target test digits."""
        return {"a": to_signed(self.split["a"][0][:count]),
                "b": to_signed(self.split["test_b"][0][:count])}
