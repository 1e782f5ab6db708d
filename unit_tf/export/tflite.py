"""TFLite: convert a SavedModel's float translation signature at a fixed size; run it with LiteRT.

Why a fixed size: the SavedModel signatures take any H and W and reflect-pad to the network
stride with `tf.shape`-dependent padding, which TFLite's builtin ops cannot express; at a fixed
[1, H, W, 3] the padding folds away and every op is a builtin. Why tensor signatures only: the
`_bytes` signatures decode images with `tf.map_fn`, which needs Flex ops that the pip runtimes
cannot load.

The converted signature keeps its direction as its TFLite signature key (`a2b`), with input and
output named `images`. Quantisation:
    none     float32 weights and arithmetic
    float16  float16 weights, float32 arithmetic (half the size)
    dynamic  int8 weights, activations quantised on the fly
    int8     full integer, calibrated on a representative set; input/output float32 or uint8
"""

import os
import re
import shutil
import tempfile

import numpy as np
import tensorflow as tf

from unit_tf.export.serving import read_metadata, tflite_twin

QUANTIZATIONS = ("none", "float16", "dynamic", "int8")
IO_TYPES = ("float32", "uint8")


class TFLiteError(ValueError):
    """A conversion that cannot be done with builtin TFLite ops, or a bad request."""


def default_size(saved_model_dir):
    """(H, W) the model was trained at, from the export metadata; None when unknown."""
    config = read_metadata(saved_model_dir).get("config") or {}
    crop = (config.get("data") or {}).get("crop_size")
    return (int(crop), int(crop)) if crop else None


def _fixed_size_saved_model(saved_model_dir, signature, height, width, scratch):
    """Re-save `signature` of the SavedModel as a [1, H, W, 3] float32 function, keyed by the
    same name, so the converter sees static shapes."""
    loaded = tf.saved_model.load(saved_model_dir)
    if signature not in loaded.signatures:
        raise TFLiteError(f"{saved_model_dir!r} has no signature {signature!r} "
                          f"(it has {', '.join(sorted(loaded.signatures))})")
    # exports since 2026-12-07 hold the signature's twin written for TFLite (int8-safe norms)
    translate = loaded.signatures.get(tflite_twin(signature), loaded.signatures[signature])
    spec = translate.structured_input_signature[1].get("images")
    if spec is None or spec.dtype != tf.float32:
        raise TFLiteError(f"signature {signature!r} is not a float32 `images` tensor signature; "
                          "convert a direction signature such as 'a2b'")

    module = tf.Module()
    module.loaded = loaded

    @tf.function(input_signature=[tf.TensorSpec([1, height, width, 3], tf.float32,
                                                name="images")])
    def fixed(images):
        return {"images": translate(images=images)["images"]}

    module.fixed = fixed
    path = os.path.join(scratch, "fixed")
    tf.saved_model.save(module, path, signatures={signature: fixed})
    return path


def convert(saved_model_dir, output, signature="a2b", size=None, quantize="none",
            representative=None, io_type="float32"):
    """Write `output` (.tflite) from a SavedModel signature; returns the file size in bytes.

    size: (H, W), multiples of the network stride; default, the training crop size.
    representative: for int8, a callable returning an iterable of float32 [1, H, W, 3] arrays in
        [-1, 1] (a few hundred training images of the source domain).
    io_type: for int8, the input/output type of the converted model (float32 or uint8).
    """
    if quantize not in QUANTIZATIONS:
        raise TFLiteError(f"--quantize={quantize!r} is not one of {', '.join(QUANTIZATIONS)}")
    if io_type not in IO_TYPES:
        raise TFLiteError(f"--io_type={io_type!r} is not one of {', '.join(IO_TYPES)}")
    if io_type != "float32" and quantize != "int8":
        raise TFLiteError("--io_type=uint8 needs --quantize=int8 (full-integer model)")
    if quantize == "int8" and representative is None:
        raise TFLiteError("--quantize=int8 needs representative images to calibrate on")
    size = size or default_size(saved_model_dir)
    if not size:
        raise TFLiteError(f"the size of {saved_model_dir!r} is unknown; pass --height and --width")
    height, width = (int(s) for s in size)
    metadata = read_metadata(saved_model_dir)
    # (exports before `convolutions` wrote "winograd": true for the XLA kind)
    if quantize == "int8" and (metadata.get("convolutions") == "winograd_xla"
                               or metadata.get("winograd") is True):
        raise TFLiteError(f"{saved_model_dir!r} is a --convolutions=winograd_xla export: its "
                          f"XLA tile transforms do not calibrate in TFLite; for --quantize=int8 "
                          f"convert a --convolutions=winograd_2x2 or direct export")
    # (default exports before F(4x4, 3x3) ran F(2x2, 3x3) and wrote no "winograd_convolutions")
    if quantize in ("dynamic", "int8") and metadata.get("convolutions") == "winograd" \
            and metadata.get("winograd_convolutions", 0) > 0:
        raise TFLiteError(
            f"{saved_model_dir!r} is a default (--convolutions=winograd) export with "
            f"{metadata['winograd_convolutions']} Winograd F(4x4, 3x3) convolutions: 8-bit "
            f"integers cannot hold their tile transforms' range (the image is lost); for "
            f"--quantize={quantize} export with --convolutions=winograd_2x2 or direct")
    stride = int(metadata.get("stride", 1))
    if height % stride or width % stride or height <= 0 or width <= 0:
        raise TFLiteError(f"--height={height} and --width={width} must be positive multiples of "
                          f"the network stride {stride}")

    scratch = tempfile.mkdtemp(prefix="unit_tf_tflite_")
    try:
        fixed = _fixed_size_saved_model(saved_model_dir, signature, height, width, scratch)
        converter = tf.lite.TFLiteConverter.from_saved_model(fixed, signature_keys=[signature])
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        if quantize != "none":
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if quantize == "float16":
            converter.target_spec.supported_types = [tf.float16]
        if quantize == "int8":
            converter.representative_dataset = lambda: ([np.asarray(x, np.float32)]
                                                        for x in representative())
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            if io_type == "uint8":
                converter.inference_input_type = tf.uint8
                converter.inference_output_type = tf.uint8
        try:
            flatbuffer = converter.convert()
        except Exception as e:  # the converter raises ConverterError and friends
            ops = sorted(set(re.findall(r"'(tf\.\w+)' op is neither a custom op nor a flex op",
                                        str(e))))
            detail = ("ops without a builtin kernel: " + ", ".join(ops)) if ops \
                else str(e).strip()[:400]
            raise TFLiteError(f"{signature!r} of {saved_model_dir!r} does not convert to builtin "
                              f"TFLite ops (Flex ops are not supported); {detail}") from e
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "wb") as f:
        f.write(flatbuffer)
    return len(flatbuffer)


class TFLiteModel:
    """A converted translator run with LiteRT (`ai_edge_litert`, not the deprecated
    `tf.lite.Interpreter`): float [-1, 1] batches of the model's fixed size in and out, with
    (de)quantisation for uint8 input/output done here."""

    def __init__(self, path, direction=None, num_threads=None):
        from ai_edge_litert.interpreter import Interpreter

        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such .tflite file: {path!r}")
        self.interpreter = Interpreter(model_path=path, num_threads=num_threads)
        keys = sorted(self.interpreter.get_signature_list())
        if direction is None and len(keys) == 1:
            direction = keys[0]
        if direction not in keys:
            raise TFLiteError(f"{path!r} translates {', '.join(keys)}, not {direction!r}; "
                              "convert that direction with `unit-tf tflite --signature`")
        self.direction = direction
        self.runner = self.interpreter.get_signature_runner(direction)
        self.input = self.runner.get_input_details()["images"]
        self.output = self.runner.get_output_details()["images"]

    @property
    def size(self):
        return tuple(int(s) for s in self.input["shape"][1:3])

    def __call__(self, images):
        """float32 [1, H, W, 3] in [-1, 1] at `size` -> float32 [1, H, W, 3]."""
        images = np.asarray(images, np.float32)
        expected = (1, *self.size, 3)
        if images.shape != expected:
            raise TFLiteError(f"this .tflite model takes {expected} images, got {images.shape}")
        scale, zero = self.input["quantization"]
        if self.input["dtype"] != np.float32:
            info = np.iinfo(self.input["dtype"])
            images = np.clip(np.round(images / scale + zero), info.min, info.max)
            images = images.astype(self.input["dtype"])
        out = self.runner(images=images)["images"]
        scale, zero = self.output["quantization"]
        if out.dtype != np.float32:
            out = (out.astype(np.float32) - zero) * scale
        return out


def tflite_translator(path, direction):
    """uint8 [h, w, 3] -> uint8 [h, w, 3] for `unit-tf translate`: the image is resized to the
    model's fixed size, translated, and resized back to its own size."""
    from unit_tf.data.images import to_signed, to_uint8

    model = TFLiteModel(path, direction)

    def translate(image):
        image = tf.convert_to_tensor(image)
        height, width = int(image.shape[0]), int(image.shape[1])
        x = tf.image.resize(to_signed(image)[None], model.size, method="bilinear")
        y = tf.image.resize(model(x.numpy()), (height, width), method="bilinear")
        return to_uint8(y)[0]

    return translate
