"""`unit-tf translate`: translate an image file or a folder of images at full resolution."""

import os

from absl import flags

from unit_tf.cli.errors import user_errors

MODEL = flags.DEFINE_string("model", None, "Run directory, SavedModel directory (or its "
                            "versioned base) or .tflite file.")
INPUT = flags.DEFINE_string("input", None, "An image file or a folder of images.")
OUTPUT_DIR = flags.DEFINE_string("output_dir", "translated", "Where PNGs are written.")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Translation direction.")
flags.mark_flags_as_required(["model", "input"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf translate: error: unexpected arguments {argv[1:]}")
    with user_errors("translate"):
        import tensorflow as tf

        from unit_tf.data import decode_rgb, image_paths
        from unit_tf.export.inference import make_translator

        if not os.path.exists(INPUT.value):
            raise FileNotFoundError(f"--input {INPUT.value!r} does not exist")
        paths = image_paths(INPUT.value)
        translate = make_translator(MODEL.value, DIRECTION.value)
        os.makedirs(OUTPUT_DIR.value, exist_ok=True)
        root = INPUT.value if os.path.isdir(INPUT.value) else os.path.dirname(INPUT.value)
        failed = []
        for path in paths:
            rel = os.path.splitext(os.path.relpath(path, root))[0]
            out = os.path.join(OUTPUT_DIR.value, f"{rel}_{DIRECTION.value}.png")
            try:
                image = decode_rgb(tf.io.read_file(path))
                result = translate(image)
            except tf.errors.InvalidArgumentError as e:
                failed.append(f"{path}: {e.message.splitlines()[0]}")
                continue
            os.makedirs(os.path.dirname(out), exist_ok=True)
            tf.io.write_file(out, tf.io.encode_png(result))
        print(f"translated {len(paths) - len(failed)} image(s) {DIRECTION.value} into "
              f"{OUTPUT_DIR.value}")
        if failed:
            print(f"skipped {len(failed)} unreadable image(s): " + "; ".join(failed[:5]))
