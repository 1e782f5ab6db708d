"""Translators for `unit-tf translate`: one image (uint8 [H, W, 3]) in, one image out, from a
run directory, a SavedModel directory (or a `.tflite` file, see tflite.py)."""

import os

import tensorflow as tf

from unit_tf.data.images import to_signed, to_uint8
from unit_tf.models import load_run, parse_direction
from unit_tf.export.serving import resolve_saved_model
from unit_tf.models.base import translate_full_resolution


def run_dir_translator(model_dir, direction):
    parse_direction(direction)
    _, model, _ = load_run(model_dir)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.uint8)])
    def translate(image):
        return to_uint8(translate_full_resolution(model, to_signed(image)[None], direction))[0]

    return translate


def saved_model_translator(saved_model_dir, direction):
    parse_direction(direction)
    loaded = tf.saved_model.load(saved_model_dir)
    name = f"{direction}_uint8"
    if name not in loaded.signatures:
        raise ValueError(f"{saved_model_dir!r} has no signature {name!r} "
                         f"(it has {', '.join(sorted(loaded.signatures))})")
    signature = loaded.signatures[name]
    return lambda image: signature(images=tf.convert_to_tensor(image)[None])["images"][0]


def make_translator(model_path, direction):
    """A run directory (config.json), a SavedModel directory (saved_model.pb, or a base
    directory of numbered versions: the newest is used) or a .tflite file."""
    if os.path.isfile(model_path) and model_path.endswith(".tflite"):
        from unit_tf.export.tflite import tflite_translator

        return tflite_translator(model_path, direction)
    if os.path.isfile(os.path.join(model_path, "config.json")):
        return run_dir_translator(model_path, direction)
    try:
        saved_model = resolve_saved_model(model_path)
    except FileNotFoundError:
        raise FileNotFoundError(f"--model {model_path!r} is neither a run directory "
                                "(config.json), a SavedModel directory nor a .tflite file"
                                ) from None
    return saved_model_translator(saved_model, direction)
