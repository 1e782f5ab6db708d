"""Finding and checking image files before any training starts."""

import logging
import os

from unit_tf.data.images import IMAGE_EXTENSIONS
from unit_tf.errors import error_reason  # noqa: F401 (re-exported for the data package)

# Leading bytes of the formats tf.io.decode_image reads.
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"GIF87a", b"GIF89a")
SPLITS = ("trainA", "trainB", "testA", "testB")


class DataError(ValueError):
    """Input data that cannot be used; the message names the path."""


def list_images(folder: str):
    """Sorted image paths under `folder` (recursively), by extension."""
    if not os.path.isdir(folder):
        raise DataError(f"image folder {folder!r} does not exist")
    paths = []
    for root, _, names in os.walk(folder, followlinks=True):
        paths.extend(os.path.join(root, n) for n in names
                     if n.lower().endswith(IMAGE_EXTENSIONS))
    return sorted(paths)


def read_file_list(list_path: str, root: str = ""):
    """Paths from a text file, one a line (relative ones joined to `root`), as `*_list.yaml`."""
    if not os.path.isfile(list_path):
        raise DataError(f"image list {list_path!r} does not exist")
    with open(list_path) as f:
        names = [line.strip() for line in f if line.strip()]
    return [n if os.path.isabs(n) else os.path.join(root or os.path.dirname(list_path), n)
            for n in names]


def check_images(paths, what: str):
    """Keep the readable files whose first bytes are a known image format; log the others.

    Raises DataError naming `what` when none is left. Corrupt image data past the header is
    caught later by the pipeline, which skips it with a warning.
    """
    good, bad = [], []
    for path in paths:
        try:
            with open(path, "rb") as f:
                head = f.read(8)
        except OSError as e:
            bad.append(f"{path} ({e.strerror or e})")
            continue
        if head.startswith(_MAGIC):
            good.append(path)
        else:
            bad.append(f"{path} ({'empty file' if not head else 'not a JPEG/PNG/BMP/GIF'})")
    if bad:
        shown = "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
        logging.warning("%s: skipping %d unreadable image(s) of %d: %s", what, len(bad),
                        len(paths), shown)
    if not good:
        raise DataError(f"{what}: no readable images"
                        + (f" ({len(bad)} skipped: {bad[0]})" if bad else " (folder is empty)"))
    return good


def check_data_dir(data_dir: str) -> None:
    """A missing or empty --data_dir, named with what it must hold and where examples are."""
    if not data_dir:
        raise DataError("--data_dir is required: a folder holding trainA/ and trainB/ (one "
                        "folder of images per domain), or train/ of side-by-side A|B images "
                        "with --layout=side_by_side. The flagfiles in flags/ are complete "
                        "examples: --flagfile=flags/unit_tiny.flags trains on the bundled "
                        "demo_data/mnist2usps")
    if not os.path.isdir(data_dir):
        raise DataError(f"--data_dir {data_dir!r} does not exist")


def domain_folder(data_dir: str, split: str) -> str:
    """`<data_dir>/<split>` for split in trainA/trainB/testA/testB, checked to exist."""
    check_data_dir(data_dir)
    folder = os.path.join(data_dir, split)
    if not os.path.isdir(folder):
        present = sorted(n for n in os.listdir(data_dir)
                         if os.path.isdir(os.path.join(data_dir, n)))
        raise DataError(f"{folder!r} does not exist: --data_dir must hold trainA, trainB "
                        f"(and optionally testA, testB); found {present or 'no folders'}")
    return folder


def image_paths(path):
    """A single image file or every image in a folder (for translation)."""
    if os.path.isfile(path):
        return check_images([path], path)
    return check_images(list_images(path), path)
