"""`unit-tf eval`: metrics of a trained run on a folder of source-domain images."""

import json
import os

from absl import flags

from unit_tf.cli.errors import user_errors

MODEL_DIR = flags.DEFINE_string("model_dir", None, "Trained run directory (MUNIT).")
INPUT = flags.DEFINE_string("input", None, "An image file or a folder of source-domain images "
                            "(default: the run's test split of the source domain).")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Translation direction.")
NUM_STYLES = flags.DEFINE_integer("num_styles", 4, "Styles per input for diversity.")
SEED = flags.DEFINE_integer("seed", 0, "Seed of the drawn styles.")
MAX_IMAGES = flags.DEFINE_integer("max_images", 100, "Evaluate at most this many inputs.")
OUTPUT = flags.DEFINE_string("output", "", "Also write the metrics to this JSON file.")
flags.mark_flags_as_required(["model_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf eval: error: unexpected arguments {argv[1:]}")
    with user_errors("eval"):
        import tensorflow as tf

        from unit_tf.data import decode_rgb, image_paths
        from unit_tf.data.images import center_preprocess
        from unit_tf.evaluation import evaluate_diversity
        from unit_tf.models import load_run

        config, model, step = load_run(MODEL_DIR.value)
        if not hasattr(model, "sample_style"):
            raise ValueError(f"{MODEL_DIR.value!r} holds a {config.family.upper()} model: "
                             "diversity needs a multimodal (MUNIT) run")
        folder = INPUT.value or os.path.join(
            config.data.data_dir, f"test{DIRECTION.value[0].upper()}")
        if not os.path.exists(folder):
            raise FileNotFoundError(f"--input {folder!r} does not exist")
        paths = image_paths(folder)[:MAX_IMAGES.value]
        size = config.data.crop_size
        images = (center_preprocess(decode_rgb(tf.io.read_file(p)), config.data.load_size,
                                    size)[None]
                  for p in paths)
        metrics = evaluate_diversity(model, images, DIRECTION.value, NUM_STYLES.value,
                                     SEED.value)
        metrics.update({"model_dir": MODEL_DIR.value, "step": step, "input": folder,
                        "direction": DIRECTION.value, "seed": SEED.value})
        text = json.dumps(metrics, indent=2, sort_keys=True)
        print(text)
        if OUTPUT.value:
            with open(OUTPUT.value, "w") as f:
                f.write(text + "\n")
