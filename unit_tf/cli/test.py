"""`unit-tf test`: translate a test split and write images plus an HTML page to look at.

    unit-tf test --model=runs/NAME --output_dir=results/NAME            # the run's test split
    unit-tf test --model=savedmodels/NAME --input=photos/ --output_dir=out --direction=b2a
Each row of <output_dir>/index.html: input | translation (MUNIT: --num_styles of them) |
back-translation | ground truth (runs on side-by-side A|B data).
"""

from absl import flags

from unit_tf.cli.checkpoint_flag import define_checkpoint_flag
from unit_tf.cli.errors import user_errors
from unit_tf.cli.output import report_json

MODEL = flags.DEFINE_string("model", None, "Run directory, SavedModel directory (or its "
                            "versioned base) or .tflite file.")
INPUT = flags.DEFINE_string("input", None, "A folder or image file to translate (default: the "
                            "run's test split of the source domain; A|B test pairs for runs on "
                            "side-by-side data).")
OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "Where images/ and index.html are written.")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Translation direction.")
NUM_STYLES = flags.DEFINE_integer("num_styles", 1, "MUNIT: translations per input.")
SEED = flags.DEFINE_integer("seed", 0, "MUNIT: seed of the drawn styles.")
MAX_IMAGES = flags.DEFINE_integer("max_images", None, "Translate at most this many inputs.")
SCALE = flags.DEFINE_enum("scale", "load_size", ["load_size", "original"], "load_size: resize "
                          "inputs as the run's training resize did (short side or square to "
                          "its load size), as the official test scripts do; original: as they "
                          "are.")
CHECKPOINT = define_checkpoint_flag()
flags.mark_flags_as_required(["model", "output_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf test: error: unexpected arguments {argv[1:]}")
    with user_errors("test"):
        from unit_tf.evaluation.report import write_report

        if NUM_STYLES.value < 1:
            raise ValueError(f"--num_styles={NUM_STYLES.value} must be at least 1")
        summary = write_report(MODEL.value, OUTPUT_DIR.value, DIRECTION.value, INPUT.value,
                               NUM_STYLES.value, SEED.value, MAX_IMAGES.value, CHECKPOINT.value,
                               SCALE.value)
        report_json(summary)
        print(f"open {summary['index']}")
