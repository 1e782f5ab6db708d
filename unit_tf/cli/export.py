"""`unit-tf export`: a run directory -> savedmodels/<name>/<version>/ for TF Serving."""

from absl import flags

from unit_tf.cli.checkpoint_flag import define_checkpoint_flag
from unit_tf.cli.errors import user_errors
from unit_tf.cli.export_kind import convolutions_kind

MODEL_DIR = flags.DEFINE_string("model_dir", None, "Trained run directory.")
EXPORT_DIR = flags.DEFINE_string("export_dir", None, "Base directory, e.g. savedmodels/NAME; "
                                 "the version is a numbered subdirectory.")
VERSION = flags.DEFINE_integer("version", None, "Version number (default: next integer).")
MAX_PIXELS = flags.DEFINE_integer("max_pixels", 2048 * 1024, "Largest image (H*W) every "
                                  "signature accepts (about 2 GB of memory per megapixel for "
                                  "the official-size UNIT on CPU; see BUILD.md).")
CONVOLUTIONS = flags.DEFINE_enum(
    "convolutions", "winograd", ["winograd", "winograd_2x2", "direct", "winograd_xla"],
    "How the SavedModel runs the wide 3x3 convolutions. winograd: Winograd F(4x4, 3x3) by "
    "ordinary ops (runs anywhere: TF Serving, TFLite float and dynamic-range); winograd_2x2: "
    "Winograd F(2x2, 3x3) by ordinary ops (also converts to int8 TFLite); direct: TensorFlow's "
    "convolution; winograd_xla: XLA-compiled F(2x2, 3x3) tile transforms, but TF Serving needs "
    "--xla_cpu_compilation_enabled=true and TFLite converts it to float only (BUILD.md).")
WINOGRAD = flags.DEFINE_bool("winograd", False, "Same as --convolutions=winograd_xla (the name "
                             "of that export before --convolutions).")
CHECKPOINT = define_checkpoint_flag()
FLAGS = flags.FLAGS
flags.mark_flags_as_required(["model_dir", "export_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf export: error: unexpected arguments {argv[1:]}")
    with user_errors("export"):
        from unit_tf.export import export_saved_model
        from unit_tf.models import load_run

        convolutions = convolutions_kind(CONVOLUTIONS.value, FLAGS["convolutions"].present,
                                         WINOGRAD.value)
        config, model, step = load_run(MODEL_DIR.value, CHECKPOINT.value)
        path = export_saved_model(model, EXPORT_DIR.value, VERSION.value,
                                  metadata={"preset": config.model.preset, "step": step,
                                            "config": config.to_dict()},
                                  max_pixels=MAX_PIXELS.value, convolutions=convolutions)
        print(f"savedmodel: {path}")
