"""`unit-tf tflite`: convert a SavedModel's translation signature to a .tflite file."""

import os

from absl import flags

from unit_tf.cli.errors import user_errors

SAVED_MODEL = flags.DEFINE_string("saved_model", None, "SavedModel directory, or its versioned "
                                  "base (the newest version is used).")
OUTPUT = flags.DEFINE_string("output", None, "The .tflite file to write.")
SIGNATURE = flags.DEFINE_enum("signature", "a2b", ["a2b", "b2a"], "Direction to convert.")
QUANTIZE = flags.DEFINE_enum("quantize", "none", ["none", "float16", "dynamic", "int8"],
                             "none: float32; float16: half-size weights; dynamic: int8 weights; "
                             "int8: full integer, calibrated on --representative_data.")
IO_TYPE = flags.DEFINE_enum("io_type", "float32", ["float32", "uint8"], "int8 only: the "
                            "input/output type of the converted model.")
HEIGHT = flags.DEFINE_integer("height", None, "Fixed input height (default: the training crop).")
WIDTH = flags.DEFINE_integer("width", None, "Fixed input width (default: the training crop).")
REPRESENTATIVE_DATA = flags.DEFINE_string(
    "representative_data", None, "int8: a folder (or file) of source-domain images; default: "
    "the training folder of the source domain named in the export metadata.")
NUM_REPRESENTATIVE = flags.DEFINE_integer("num_representative", 100, "int8: images used to "
                                          "calibrate.")
flags.mark_flags_as_required(["saved_model", "output"])


def training_folder(saved_model, direction):
    """<data_dir>/train<A|B> of the run that was exported, when its metadata names one."""
    from unit_tf.export import read_metadata

    data = (read_metadata(saved_model).get("config") or {}).get("data") or {}
    if data.get("source", "folder") != "folder" or not data.get("data_dir"):
        return None
    return os.path.join(data["data_dir"], f"train{direction[0].upper()}")


def representative_images(folder, count, size):
    """A callable giving float32 [1, H, W, 3] arrays in [-1, 1], resized to `size`."""
    import tensorflow as tf

    from unit_tf.data import decode_rgb, image_paths
    from unit_tf.data.images import to_signed

    paths = image_paths(folder)[:count]

    def images():
        for path in paths:
            image = to_signed(decode_rgb(tf.io.read_file(path)))
            yield tf.image.resize(image[None], size).numpy()

    return images


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf tflite: error: unexpected arguments {argv[1:]}")
    with user_errors("tflite"):
        from unit_tf.export import resolve_saved_model
        from unit_tf.export.tflite import convert, default_size

        saved_model = resolve_saved_model(SAVED_MODEL.value)
        if (HEIGHT.value is None) != (WIDTH.value is None):
            raise ValueError("--height and --width go together")
        size = (HEIGHT.value, WIDTH.value) if HEIGHT.value else default_size(saved_model)
        representative = None
        if QUANTIZE.value == "int8":
            folder = REPRESENTATIVE_DATA.value or training_folder(saved_model, SIGNATURE.value)
            if not folder or not os.path.exists(folder):
                raise FileNotFoundError(f"--quantize=int8 needs --representative_data (a folder of "
                                        f"source-domain images); {folder!r} does not exist")
            if size:
                representative = representative_images(folder, NUM_REPRESENTATIVE.value, size)
        nbytes = convert(saved_model, OUTPUT.value, SIGNATURE.value, size, QUANTIZE.value,
                         representative, IO_TYPE.value)
        print(f"tflite: {OUTPUT.value} ({nbytes / 1e6:.2f} MB, {SIGNATURE.value}, "
              f"quantize={QUANTIZE.value})")
