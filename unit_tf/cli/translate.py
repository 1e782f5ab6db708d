"""`unit-tf translate`: translate an image file or a folder of images at full resolution."""

import os
import sys

from absl import flags

from unit_tf.cli.checkpoint_flag import define_checkpoint_flag
from unit_tf.cli.errors import user_errors
from unit_tf.data.files import error_reason


class WriteFailed(OSError):
    """An output file could not be written (reported by user_errors as one line)."""

MODEL = flags.DEFINE_string("model", None, "Run directory, SavedModel directory (or its "
                            "versioned base) or .tflite file.")
INPUT = flags.DEFINE_string("input", None, "An image file or a folder of images.")
OUTPUT_DIR = flags.DEFINE_string("output_dir", "translated", "Where PNGs are written.")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Translation direction.")
NUM_STYLES = flags.DEFINE_integer("num_styles", 1, "MUNIT: outputs per input, each with a style "
                                  "drawn from N(0, I).")
SEED = flags.DEFINE_integer("seed", 0, "MUNIT: seed of the drawn styles (same seed, same "
                            "outputs).")
SYNCHRONIZED = flags.DEFINE_bool("synchronized", False, "MUNIT: the same styles for every "
                                 "input (otherwise each input gets its own).")
STYLE = flags.DEFINE_string("style", "", "MUNIT: a target-domain image whose style is used "
                            "(example-guided translation).")
MAX_PIXELS = flags.DEFINE_integer("max_pixels", None, "Largest image (H*W) translated; larger "
                                  "files are skipped by name, checked from their header before "
                                  "decoding (default: the SavedModel's limit, else the export "
                                  "default).")
CHECKPOINT = define_checkpoint_flag()
flags.mark_flags_as_required(["model", "input"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf translate: error: unexpected arguments {argv[1:]}")
    with user_errors("translate"):
        import tensorflow as tf

        from unit_tf.data import image_paths
        from unit_tf.data.images import decode_rgb_limited
        from unit_tf.export.inference import StyleRequest, make_translator, pixel_limit

        if not os.path.exists(INPUT.value):
            raise FileNotFoundError(f"--input {INPUT.value!r} does not exist")
        paths = image_paths(INPUT.value)
        if NUM_STYLES.value < 1:
            raise ValueError(f"--num_styles={NUM_STYLES.value} must be at least 1")
        request = StyleRequest(NUM_STYLES.value, SEED.value, SYNCHRONIZED.value, STYLE.value)
        translate = make_translator(MODEL.value, DIRECTION.value, request, CHECKPOINT.value)
        max_pixels = MAX_PIXELS.value or pixel_limit(MODEL.value)
        os.makedirs(OUTPUT_DIR.value, exist_ok=True)
        root = INPUT.value if os.path.isdir(INPUT.value) else os.path.dirname(INPUT.value)
        failed = []
        for index, path in enumerate(paths):
            rel = os.path.splitext(os.path.relpath(path, root))[0]
            try:
                image = decode_rgb_limited(tf.io.read_file(path), max_pixels)
                results = translate(image, index)
            except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError, ValueError) as e:
                failed.append(f"{path}: {error_reason(e)}")
                continue
            for k, result in enumerate(results):
                suffix = f"_style{k}" if len(results) > 1 else ""
                out = os.path.join(OUTPUT_DIR.value, f"{rel}_{DIRECTION.value}{suffix}.png")
                try:
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    tf.io.write_file(out, tf.io.encode_png(result))
                except (OSError, tf.errors.OpError) as e:
                    raise WriteFailed(f"could not write {out}: {error_reason(e)}; "
                                      f"{index} image(s) were written before it") from None
        print(f"translated {len(paths) - len(failed)} image(s) {DIRECTION.value} into "
              f"{OUTPUT_DIR.value}")
        if failed:
            print(f"skipped {len(failed)} image(s): " + "; ".join(failed[:5]))
        if len(failed) == len(paths):
            print("unit-tf translate: error: no image was translated", file=sys.stderr)
            sys.exit(1)
