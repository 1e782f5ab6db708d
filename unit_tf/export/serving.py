"""SavedModels for TF Serving: versioned directories and the translation signatures.

Signatures, for each direction d in (a2b, b2a):
    d            images float32 [B, H, W, 3] in [-1, 1]  -> images float32 in [-1, 1]
    d_uint8      images uint8   [B, H, W, 3]             -> images uint8 (serving_default = the
                                                            first direction's, a2b_uint8)
    d_bytes      image_bytes string [B] (JPEG/PNG)       -> output_bytes string [B] (PNG)
Any H and W: sides that are not multiples of the network stride are reflect-padded and cropped
back. Images over `max_pixels` (H*W; default DEFAULT_MAX_PIXELS) are refused with an error naming
the limit (encoded images from their header, before decoding), as are empty batches and
undecodable byte strings. The `_bytes` suffix is what TF Serving's REST API needs
to carry {"b64": ...}. Multimodal models (MUNIT) add d_style, d_guided and d_random
(export/multimodal.py).
"""

import contextlib
import json
import os
import shutil

import keras
import tensorflow as tf

from unit_tf.data.images import decode_rgb_limited, to_signed, to_uint8
from unit_tf.errors import error_reason
from unit_tf.export.multimodal import default_style, style_signatures
from unit_tf.export.validation import check_images, gate_shape
from unit_tf.layers.instance_norm import fused_norm_inference
from unit_tf.layers.winograd import precomputed_filter_tiles, winograd_inference
from unit_tf.models.base import translate_full_resolution

METADATA_FILE = "unit_tf_metadata.json"
# 2048 x 1024 (Full HD fits): what one process serves at batch 1 on an ordinary machine. The
# official-size UNIT peaks at about 2 GB per megapixel on CPU (benchmarks/serving_memory.py:
# 1.3 GB at 512^2, 2.9 GB at 1024^2), so this limit peaks near 5 GB, where 4096^2 would need
# about 33 GB and abort the process (std::bad_alloc). Raise it with `export --max_pixels`.
DEFAULT_MAX_PIXELS = 2048 * 1024


def next_version(export_base):
    """1 + the largest integer-named subdirectory of `export_base` (1 when there is none)."""
    if not os.path.isdir(export_base):
        return 1
    versions = [int(n) for n in os.listdir(export_base) if n.isdigit()]
    return max(versions, default=0) + 1


def resolve_saved_model(path):
    """A SavedModel directory, or a base directory of numbered versions (its newest)."""
    if os.path.isdir(path) and not os.path.isfile(os.path.join(path, "saved_model.pb")):
        versions = sorted((int(n) for n in os.listdir(path) if n.isdigit()), reverse=True)
        if versions:
            path = os.path.join(path, str(versions[0]))
    if not os.path.isfile(os.path.join(path, "saved_model.pb")):
        raise FileNotFoundError(f"{path!r} is not a SavedModel directory (no saved_model.pb) "
                                "nor a base directory of numbered versions")
    return path


def tflite_twin(signature):
    """The signature `unit-tf tflite` converts for `signature` ('a2b' -> 'a2b_tflite'): the same
    translation, its instance norms and AdaIN by the moments formula instead of TF's fused
    kernel. TFLite lowers the fused kernel to x * a + (offset - mean * a), a cancellation int8
    represents badly when activations have a large mean (a norm after a convolution whose
    outputs average 10: int8 max error 0.13, against 0.08 by the moments; on the random-weight
    tiny UNIT no difference). In TensorFlow the fused kernel saves ~7% of the 256^2 UNIT
    translation, so the serving signatures take it."""
    return f"{signature}_tflite"


def _signatures(model, direction, max_pixels):
    def translate(images):
        images = check_images(images, max_pixels)
        styles = {"style": default_style(model, images)} if model.multimodal else {}
        return translate_full_resolution(model, images, direction, **styles)

    def float_fn(images):
        return {"images": translate(images)}

    def uint8_fn(images):
        return {"images": to_uint8(translate(to_signed(images)))}

    def one_image(image_bytes):
        # the size is read from the header first: a decompression bomb is refused undecoded
        image = check_images(decode_rgb_limited(image_bytes, max_pixels), max_pixels, rank=3)
        return tf.io.encode_png(to_uint8(translate(to_signed(image)[None])[0]))

    def bytes_fn(image_bytes):
        image_bytes = gate_shape(image_bytes, tf.equal(tf.rank(image_bytes), 1), [None],
                                 "image_bytes must be a 1-D batch of encoded images; got shape")
        return {"output_bytes": tf.map_fn(one_image, image_bytes,
                                          fn_output_signature=tf.TensorSpec([], tf.string))}

    def tflite_fn(images):  # what TFLite converts: norms by the moments, which int8 can hold
        with fused_norm_inference(False):
            return float_fn(images)

    signatures = {
        direction: (float_fn, [tf.TensorSpec(None, tf.float32, name="images")]),
        tflite_twin(direction): (tflite_fn, [tf.TensorSpec(None, tf.float32, name="images")]),
        f"{direction}_uint8": (uint8_fn, [tf.TensorSpec(None, tf.uint8, name="images")]),
        f"{direction}_bytes": (bytes_fn, [tf.TensorSpec(None, tf.string, name="image_bytes")]),
    }
    if model.multimodal:
        signatures.update(style_signatures(model, direction, max_pixels))
    return signatures


def classifier_signature(model, domain, max_pixels):
    """classify_<domain>: images uint8 [B, H, W, 1 or 3] (resized to the model's input size as
    in training) -> logits float32 [B, classes], classes int64 [B]."""

    def classify(images):
        images = tf.convert_to_tensor(images)
        rgb = tf.cond(tf.equal(tf.shape(images)[-1], 1),
                      lambda: tf.tile(images, [1, 1, 1, 3]), lambda: images)
        rgb = check_images(rgb, max_pixels)
        side = model.input_size
        x = to_signed(rgb) if not side else tf.image.resize(
            to_signed(rgb), [side, side], antialias=True)
        logits = model.classify(x, domain)
        return {"logits": logits, "classes": tf.argmax(logits, axis=-1)}

    return classify, [tf.TensorSpec(None, tf.uint8, name="images")]


# --convolutions -> the Winograd transforms an export traces with (unit_tf.layers.winograd);
# the first is the default
WINOGRAD_MODES = {"winograd": "portable", "direct": None, "winograd_xla": "xla",
                  "winograd_2x2": "portable_2x2"}
CONVOLUTIONS = tuple(WINOGRAD_MODES)


@contextlib.contextmanager
def traced_as_exported(convolutions):
    """Inside, inference traces as an export of that kind: its Winograd transforms, instance
    norms and AdaIN by the fused kernel (but in the `tflite_twin` signatures), and each
    kernel's filter tiles computed once into a variable (yields the list of those variables,
    filled while tracing)."""
    if convolutions not in CONVOLUTIONS:
        raise ValueError(f"convolutions={convolutions!r} is not one of {', '.join(CONVOLUTIONS)}")
    with winograd_inference(WINOGRAD_MODES[convolutions]), \
            fused_norm_inference(), precomputed_filter_tiles() as filter_tiles:
        yield filter_tiles


def export_saved_model(model, export_base, version=None, metadata=None,
                       max_pixels=DEFAULT_MAX_PIXELS, convolutions="winograd"):
    """Write `<export_base>/<version>/` (next integer unless given) and return its path.

    The SavedModel is written to a hidden sibling first and renamed into place, so a server
    polling `export_base` never sees a half-written version. An existing version is refused.
    `convolutions` (unit_tf.layers.winograd; BUILD.md "Speed"):
      "winograd" (default): the wide 3x3 convolutions by Winograd F(4x4, 3x3) with tile
        transforms of ordinary ops (a gather, matmuls, a transpose) that TF Serving and TFLite
        run as they are; TFLite converts it to float and dynamic-range models, not to int8.
      "winograd_2x2": Winograd F(2x2, 3x3) by the same ordinary ops (more exact, fewer
        multiplies saved); converts to int8 TFLite too.
      "direct": every convolution by TensorFlow's kernel.
      "winograd_xla": F(2x2, 3x3) with XLA-compiled tile transforms (as training ran until
        2026-12-07); the runtime must run XLA (TF Serving needs --xla_cpu_compilation_enabled=true);
        TFLite converts it to float only.
    Every Winograd kernel's filter tiles are saved as variables (computed once, here; their
    number is the metadata's "winograd_convolutions"). Instance
    norms and AdaIN run by TF's fused kernel, but in each direction's `tflite_twin` signature
    (`a2b_tflite`), which `unit-tf tflite` converts.
    """
    version = int(version) if version is not None else next_version(export_base)
    final = os.path.join(export_base, str(version))
    if os.path.exists(final):
        raise FileExistsError(f"{final!r} exists; choose another --version or leave it unset")
    staging = os.path.join(export_base, f".staging-{version}")
    shutil.rmtree(staging, ignore_errors=True)
    with traced_as_exported(convolutions) as filter_tiles:
        archive = _archive(model, max_pixels)
        info = {"family": model.family, "stride": model.stride,
                **({"style_dim": model.style_dim} if model.multimodal else {}),
                "directions": list(model.directions), "max_pixels": max_pixels,
                "classifiers": list(model.classifier_domains), "input_size": model.input_size,
                "convolutions": convolutions, **(metadata or {})}
        try:
            os.makedirs(export_base, exist_ok=True)
            archive.write_out(staging, verbose=False)  # (traces: fills filter_tiles)
            info["winograd_convolutions"] = len(filter_tiles)
            os.makedirs(os.path.join(staging, "assets"), exist_ok=True)
            with open(os.path.join(staging, "assets", METADATA_FILE), "w") as f:
                json.dump(info, f, indent=2, sort_keys=True, default=str)
            os.rename(staging, final)
        except (OSError, tf.errors.OpError) as e:
            shutil.rmtree(staging, ignore_errors=True)
            raise ExportWriteError(f"could not write the SavedModel to {final}: "
                                   f"{error_reason(e)}; nothing was exported (earlier versions "
                                   "are untouched)") from None
    return final


def _archive(model, max_pixels):
    """An ExportArchive tracking `model` with every serving signature."""
    archive = keras.export.ExportArchive()
    archive.track(model)
    directions = model.directions
    for direction in directions:
        for name, (fn, spec) in _signatures(model, direction, max_pixels).items():
            archive.add_endpoint(name, tf.function(fn, autograph=False), input_signature=spec)
    for domain in model.classifier_domains:
        fn, spec = classifier_signature(model, domain, max_pixels)
        archive.add_endpoint(f"classify_{domain}", tf.function(fn, autograph=False),
                             input_signature=spec)
    first = directions[0]
    archive.add_endpoint("serving_default", tf.function(
        _signatures(model, first, max_pixels)[f"{first}_uint8"][0], autograph=False),
        input_signature=[tf.TensorSpec(None, tf.uint8, name="images")])
    return archive


class ExportWriteError(OSError):
    """The SavedModel could not be written (disk full, permissions); nothing half-written stays."""


def read_metadata(saved_model_dir):
    path = os.path.join(saved_model_dir, "assets", METADATA_FILE)
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        return json.load(f)
