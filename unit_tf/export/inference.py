"""Translators for `unit-tf translate`: `translate(image, index) -> [outputs]` with image uint8
[H, W, 3] and each output uint8 [H, W, 3], from a run directory, a SavedModel directory or a
`.tflite` file (see tflite.py).

Multimodal models (MUNIT) take a `StyleRequest`: K outputs per input with styles drawn from
N(0, I) by a seed (`synchronized`: the same K styles for every input; otherwise input `index`
gets its own), or the style of a reference image of the target domain. A run directory and its
SavedModel draw the same styles for the same request.
"""

import dataclasses
import os

import tensorflow as tf

from unit_tf.config import RUN_CONFIG
from unit_tf.data.images import decode_rgb, to_signed, to_uint8
from unit_tf.export.serving import DEFAULT_MAX_PIXELS, read_metadata, resolve_saved_model
from unit_tf.models import load_run, parse_direction
from unit_tf.models.base import translate_full_resolution


@dataclasses.dataclass(frozen=True)
class StyleRequest:
    num_styles: int = 1
    seed: int = 0
    synchronized: bool = False
    reference: str = ""  # path of a target-domain image (example-guided translation)

    @property
    def multimodal(self):
        """Asks for more than a unimodal model can give (a seed alone is harmless)."""
        return self.num_styles > 1 or bool(self.reference)

    def style_seed(self, index):
        """The int seed of input `index`'s styles."""
        return self.seed if self.synchronized else self.seed * 1_000_003 + index + 1

    def reference_image(self):
        if not os.path.isfile(self.reference):
            raise FileNotFoundError(f"--style image {self.reference!r} does not exist")
        return to_signed(decode_rgb(tf.io.read_file(self.reference)))[None]


def _unimodal(model_path, request):
    if request is not None and request.multimodal:
        raise ValueError(f"{model_path!r} is unimodal (one output per input): --num_styles "
                         "and --style need a multimodal (MUNIT) model")


def pixel_limit(model_path):
    """The largest image (H*W) a model path serves: a SavedModel's own limit (its metadata),
    else the export default (run directories and .tflite files)."""
    if os.path.isdir(model_path) and not os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        try:
            return int(read_metadata(resolve_saved_model(model_path)).get(
                "max_pixels", DEFAULT_MAX_PIXELS))
        except FileNotFoundError:
            pass
    return DEFAULT_MAX_PIXELS


def _check_size(image, max_pixels):
    height, width = int(image.shape[0]), int(image.shape[1])
    if height * width > max_pixels:
        raise ValueError(f"image of {height}x{width} pixels is larger than the {max_pixels}-pixel "
                         "limit (H*W)")
    if height * width == 0:
        raise ValueError(f"image of {height}x{width} pixels is empty")


def run_dir_translator(model_dir, direction, request=None, max_pixels=None, checkpoint=None):
    """A translator from a run directory's newest checkpoint (or `checkpoint`: a step number or
    a path); images over `max_pixels` (default the export default, the same limit a SavedModel
    of the run would have) are refused."""
    _, model, _ = load_run(model_dir, checkpoint)
    return model_translator(model, direction, request, max_pixels, what=model_dir)


def model_translator(model, direction, request=None, max_pixels=None, what="this model"):
    """The translator of a built (loaded) model, as `run_dir_translator` describes."""
    _, tgt = parse_direction(direction)
    max_pixels = max_pixels or DEFAULT_MAX_PIXELS
    if not model.multimodal:
        _unimodal(what, request)

        @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.uint8)])
        def translate(image):
            return to_uint8(translate_full_resolution(model, to_signed(image)[None],
                                                      direction))[0]

        def unimodal(image, index=0):
            _check_size(image, max_pixels)
            return [translate(image)]

        return unimodal

    request = request or StyleRequest()
    reference = model.style_encoders[tgt](request.reference_image()) if request.reference \
        else None

    def translate(image, index=0):
        _check_size(image, max_pixels)
        x = to_signed(tf.convert_to_tensor(image))[None]
        if reference is not None:
            style = reference
        else:
            seed = tf.constant([request.style_seed(index), 0], tf.int64)
            style = model.sample_style(request.num_styles, seed=seed)
        x = tf.repeat(x, tf.shape(style)[0], axis=0)
        return list(to_uint8(translate_full_resolution(model, x, direction, style=style)))

    return translate


def _signature(loaded, name, saved_model_dir):
    if name not in loaded.signatures:
        raise ValueError(f"{saved_model_dir!r} has no signature {name!r} "
                         f"(it has {', '.join(sorted(loaded.signatures))})")
    return loaded.signatures[name]


def saved_model_translator(saved_model_dir, direction, request=None):
    parse_direction(direction)
    loaded = tf.saved_model.load(saved_model_dir)
    request = request or StyleRequest()
    if f"{direction}_random" not in loaded.signatures:  # a unimodal model
        _unimodal(saved_model_dir, request)
        signature = _signature(loaded, f"{direction}_uint8", saved_model_dir)
        return lambda image, index=0: [
            signature(images=tf.convert_to_tensor(image)[None])["images"][0]]
    if request.reference:
        guided = _signature(loaded, f"{direction}_guided", saved_model_dir)
        reference = request.reference_image()

        def translate(image, index=0):
            x = to_signed(tf.convert_to_tensor(image))[None]
            return [to_uint8(guided(images=x, style_images=reference)["images"][0])]

        return translate
    random = _signature(loaded, f"{direction}_random", saved_model_dir)

    def translate(image, index=0):
        x = tf.repeat(to_signed(tf.convert_to_tensor(image))[None], request.num_styles, axis=0)
        seed = tf.constant(request.style_seed(index), tf.int64)
        return list(to_uint8(random(images=x, seed=seed)["images"]))

    return translate


def make_translators(model_path, requests, checkpoint=None):
    """{direction: translator} for `requests` ({direction: StyleRequest or None}), reading the
    model once (a run directory is loaded once for all directions)."""
    if os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        _, model, _ = load_run(model_path, checkpoint)
        return {d: model_translator(model, d, r, what=model_path) for d, r in requests.items()}
    return {d: make_translator(model_path, d, r, checkpoint) for d, r in requests.items()}


def make_translator(model_path, direction, request=None, checkpoint=None):
    """A run directory (config.json; `checkpoint` picks one of its checkpoints), a SavedModel
    directory (saved_model.pb, or a base directory of numbered versions: the newest is used)
    or a .tflite file."""
    if checkpoint not in (None, "") and not os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        raise ValueError(f"--checkpoint picks a checkpoint of a run directory; {model_path!r} "
                         "is not one (a SavedModel or .tflite file holds one set of weights)")
    if os.path.isfile(model_path) and model_path.endswith(".tflite"):
        from unit_tf.export.tflite import tflite_translator

        _unimodal(model_path, request)
        translate = tflite_translator(model_path, direction)
        return lambda image, index=0: [translate(image)]
    if os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        return run_dir_translator(model_path, direction, request, checkpoint=checkpoint)
    try:
        saved_model = resolve_saved_model(model_path)
    except FileNotFoundError:
        raise FileNotFoundError(f"--model {model_path!r} is neither a run directory "
                                "(config.json), a SavedModel directory nor a .tflite file"
                                ) from None
    return saved_model_translator(saved_model, direction, request)
