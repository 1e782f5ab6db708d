"""`unit-tf eval`: metrics of a trained run (evaluation.evaluate_run picks them by the run).

Every translator: standard FID/KID of its translations of the source test split against the
target test split (when the FID weights are available; --fid).
MUNIT runs: style diversity and reconstruction on a folder of source-domain images. Runs on
side-by-side A|B data (pix2pix, or CycleGAN with --layout=side_by_side): PSNR, SSIM, L1 and
sharpness of the translations against the paired ground truth of the test (or val) split.
"""

from absl import flags

from unit_tf.cli.checkpoint_flag import define_checkpoint_flag
from unit_tf.cli.errors import user_errors
from unit_tf.cli.output import report_json

MODEL_DIR = flags.DEFINE_string("model_dir", None, "Trained run directory (MUNIT, unit_da, or "
                                "trained on side-by-side A|B data), or a unit_da SavedModel.")
INPUT = flags.DEFINE_string("input", None, "MUNIT: an image file or a folder of source-domain "
                            "images (default: the run's test split of the source domain). "
                            "Paired: a folder of A|B images (default: the run's test/ or val/).")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Translation direction "
                              "(paired runs: default the direction the model translates).")
NUM_STYLES = flags.DEFINE_integer("num_styles", 4, "Styles per input for diversity.")
SEED = flags.DEFINE_integer("seed", 0, "Seed of the drawn styles.")
MAX_IMAGES = flags.DEFINE_integer("max_images", 100, "Evaluate at most this many inputs.")
OUTPUT = flags.DEFINE_string("output", "", "Also write the metrics to this JSON file.")
LABELLED = flags.DEFINE_string("labelled", None, "unit_da: the labelled digits to classify: an "
                               ".npz with one x_* image array and its y_* labels, or "
                               "mnist_test / usps_test / mnist_m_test (default: the run's "
                               "protocol's target test set).")
FID = flags.DEFINE_enum("fid", "auto", ["auto", "on", "off"], "Standard FID/KID of the "
                        "translations of the source test images against the target test "
                        "images (inception-2015-12-05): auto = when the weights are cached or "
                        "convertible (`unit-tf fid --prepare`), on = required, off = never.")
CHECKPOINT = define_checkpoint_flag()
flags.mark_flags_as_required(["model_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf eval: error: unexpected arguments {argv[1:]}")
    with user_errors("eval"):
        from unit_tf.evaluation import evaluate_run

        metrics = evaluate_run(
            MODEL_DIR.value, INPUT.value,
            DIRECTION.value if flags.FLAGS["direction"].present else None,
            NUM_STYLES.value, SEED.value, MAX_IMAGES.value, LABELLED.value, FID.value,
            CHECKPOINT.value)
        report_json(metrics, OUTPUT.value)
