"""`unit-tf eval`: metrics of a trained run.

MUNIT runs: style diversity and reconstruction on a folder of source-domain images. Runs on
side-by-side A|B data (pix2pix, or CycleGAN with --layout=side_by_side): PSNR, SSIM, L1 and
sharpness of the translations against the paired ground truth of the test (or val) split.
"""

import json
import os

from absl import flags

from unit_tf.cli.errors import user_errors

MODEL_DIR = flags.DEFINE_string("model_dir", None, "Trained run directory (MUNIT, or trained "
                                "on side-by-side A|B data).")
INPUT = flags.DEFINE_string("input", None, "MUNIT: an image file or a folder of source-domain "
                            "images (default: the run's test split of the source domain). "
                            "Paired: a folder of A|B images (default: the run's test/ or val/).")
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
        multimodal = hasattr(model, "sample_style")
        if not multimodal and config.data.layout == "side_by_side":
            return report(paired_metrics_of(config, model), step)
        if not multimodal:
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
        metrics.update({"input": folder, "seed": SEED.value})
        report(metrics, step)


def paired_metrics_of(config, model):
    """Paired metrics over the A|B images of --input (or the run's test/ or val/ split), each
    half resized as the run's sample grids are, at the crop size."""
    from unit_tf.data import centred_pairs
    from unit_tf.data.sources import FolderSource, side_by_side_source
    from unit_tf.evaluation import evaluate_paired, in_batches

    if INPUT.value:
        if not os.path.isdir(INPUT.value):
            raise FileNotFoundError(f"--input {INPUT.value!r} is not a folder of A|B images")
        source = FolderSource(os.path.dirname(os.path.abspath(INPUT.value)),
                              os.path.basename(os.path.abspath(INPUT.value)))
    else:
        source = side_by_side_source(config.data.data_dir, "test")
    direction = DIRECTION.value if flags.FLAGS["direction"].present else model.directions[0]
    if direction not in model.directions:
        raise ValueError(f"--direction={direction}: this {config.family} run translates "
                         f"{', '.join(model.directions)}")
    size = config.data.crop_size
    pairs = centred_pairs(source, MAX_IMAGES.value, size, size, config.data.resize)
    metrics = evaluate_paired(model, in_batches(pairs), direction)
    metrics.update({"input": source.what, "direction": direction})
    return metrics


def report(metrics, step):
    metrics.update({"model_dir": MODEL_DIR.value, "step": step})
    metrics.setdefault("direction", DIRECTION.value)
    text = json.dumps(metrics, indent=2, sort_keys=True)
    print(text)
    if OUTPUT.value:
        with open(OUTPUT.value, "w") as f:
            f.write(text + "\n")
