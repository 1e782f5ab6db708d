"""`unit-tf export`: a run directory -> savedmodels/<name>/<version>/ for TF Serving."""

from absl import flags

from unit_tf.cli.checkpoint_flag import define_checkpoint_flag
from unit_tf.cli.errors import user_errors

MODEL_DIR = flags.DEFINE_string("model_dir", None, "Trained run directory.")
EXPORT_DIR = flags.DEFINE_string("export_dir", None, "Base directory, e.g. savedmodels/NAME; "
                                 "the version is a numbered subdirectory.")
VERSION = flags.DEFINE_integer("version", None, "Version number (default: next integer).")
MAX_PIXELS = flags.DEFINE_integer("max_pixels", 2048 * 1024, "Largest image (H*W) every "
                                  "signature accepts (about 2 GB of memory per megapixel for "
                                  "the official-size UNIT on CPU; see BUILD.md).")
WINOGRAD = flags.DEFINE_bool("winograd", False, "Run the wide 3x3 convolutions by Winograd "
                             "F(2x2, 3x3) with XLA-compiled tile transforms (faster on a CPU; "
                             "the runtime must run XLA: TF Serving needs "
                             "--xla_cpu_compilation_enabled=true; see BUILD.md).")
CHECKPOINT = define_checkpoint_flag()
flags.mark_flags_as_required(["model_dir", "export_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf export: error: unexpected arguments {argv[1:]}")
    with user_errors("export"):
        from unit_tf.export import export_saved_model
        from unit_tf.models import load_run

        config, model, step = load_run(MODEL_DIR.value, CHECKPOINT.value)
        path = export_saved_model(model, EXPORT_DIR.value, VERSION.value,
                                  metadata={"preset": config.model.preset, "step": step,
                                            "config": config.to_dict()},
                                  max_pixels=MAX_PIXELS.value, winograd=WINOGRAD.value)
        print(f"savedmodel: {path}")
