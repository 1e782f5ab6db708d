"""The TF Serving contract of exported SavedModels, checked the ways the server uses them."""

import base64
import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.testing.files import png_header_only
from unit_tf.testing.tiny import TINY_DIS, tiny_model_config
from unit_tf.config import DiscriminatorConfig, unit_preset
from unit_tf.export import export_saved_model, read_metadata, resolve_saved_model
from unit_tf.models import UNIT
from unit_tf.models.base import translate_full_resolution

ONE_SCALE = dataclasses.replace(TINY_DIS, num_scales=1)

MAX_PIXELS = 64 * 64
SIGNATURES = {"a2b": "DT_FLOAT", "b2a": "DT_FLOAT", "a2b_tflite": "DT_FLOAT",
              "b2a_tflite": "DT_FLOAT", "a2b_uint8": "DT_UINT8",
              "b2a_uint8": "DT_UINT8", "serving_default": "DT_UINT8", "a2b_bytes": "DT_STRING",
              "b2a_bytes": "DT_STRING"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    model = UNIT(tiny_model_config("unit", n_res=1, dis=ONE_SCALE),
                 seed=5).build_networks(16, 16)
    base = tmp_path_factory.mktemp("savedmodels") / "tiny"
    path = export_saved_model(model, str(base), metadata={"preset": "paper"},
                              max_pixels=MAX_PIXELS)
    return model, path


def images(shape, seed=0):
    return np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)


def keras_reference(model, uint8_images, direction):
    x = tf.cast(uint8_images, tf.float32) / 127.5 - 1.0
    return translate_full_resolution(model, x, direction).numpy(), x.numpy()


def reachable_op_types(concrete_function):
    """Op types of a (loaded) concrete function, through the functions its nodes call."""
    graph_def = concrete_function.graph.as_graph_def()
    library = {f.signature.name: f for f in graph_def.library.function}
    types, nodes, seen = set(), list(graph_def.node), set()
    while nodes:
        node = nodes.pop()
        types.add(node.op)
        for value in node.attr.values():
            if value.func.name in library and value.func.name not in seen:
                seen.add(value.func.name)
                nodes.extend(library[value.func.name].node_def)
    return types


def test_serving_signatures_take_the_fused_norm_and_their_tflite_twins_the_moments(exported):
    _, path = exported
    loaded = tf.saved_model.load(path)
    x = tf.constant(np.random.RandomState(4).uniform(-1, 1, (2, 16, 20, 3)).astype(np.float32))
    for direction in ("a2b", "b2a"):
        served, twin = loaded.signatures[direction], loaded.signatures[f"{direction}_tflite"]
        assert "FusedBatchNormV3" in reachable_op_types(served)
        twin_ops = reachable_op_types(twin)
        assert "FusedBatchNormV3" not in twin_ops and "Mean" in twin_ops, direction
        np.testing.assert_allclose(twin(images=x)["images"].numpy(),
                                   served(images=x)["images"].numpy(), atol=1e-5)
    from unit_tf.layers.instance_norm import FUSED_NORM_INFERENCE
    assert not FUSED_NORM_INFERENCE.enabled  # the export's switch is restored


def test_versioned_layout_and_metadata(exported):
    _, path = exported
    base = os.path.dirname(path)
    assert os.path.basename(path) == "1" and resolve_saved_model(base) == path
    info = read_metadata(path)
    assert info["preset"] == "paper" and info["stride"] == 4 and info["max_pixels"] == MAX_PIXELS


def test_saved_model_cli_lists_every_signature_with_dtypes(exported):
    _, path = exported
    cli = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
    shown = subprocess.run([cli, "show", "--dir", path, "--all"], capture_output=True, text=True,
                           check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}).stdout
    blocks = {b.split("']", 1)[0]: b for b in shown.split("signature_def['")[1:]}
    for name, dtype in SIGNATURES.items():
        assert name in blocks, name
        assert f"dtype: {dtype}" in blocks[name], (name, blocks[name])
        assert "Method name is: tensorflow/serving/predict" in blocks[name]
    assert "name: output_bytes" in blocks["a2b_bytes"].split("outputs")[1] or \
        "['output_bytes']" in blocks["a2b_bytes"]


def test_tf2_loader_matches_the_keras_model_at_any_size(exported):
    model, path = exported
    loaded = tf.saved_model.load(path)
    batch = images((2, 18, 30, 3))
    for direction in ("a2b", "b2a"):
        expected, x = keras_reference(model, batch, direction)
        got = loaded.signatures[direction](images=tf.constant(x))["images"].numpy()
        assert got.shape == (2, 18, 30, 3)
        assert np.abs(got - expected).max() <= 1e-5
        as_uint8 = loaded.signatures[f"{direction}_uint8"](images=tf.constant(batch))["images"]
        reference = np.clip(np.round((expected + 1) * 127.5), 0, 255)
        assert as_uint8.dtype == tf.uint8
        assert np.abs(as_uint8.numpy().astype(int) - reference.astype(int)).max() <= 1
    default = loaded.signatures["serving_default"](images=tf.constant(batch))["images"]
    a2b = loaded.signatures["a2b_uint8"](images=tf.constant(batch))["images"]
    np.testing.assert_array_equal(default.numpy(), a2b.numpy())


def test_tf1_session_loader_runs_the_signatures(exported):
    """The path TF Serving's C++ loader takes: a v1 Session restoring the variables."""
    model, path = exported
    batch = images((1, 20, 12, 3), seed=1)
    expected, x = keras_reference(model, batch, "b2a")
    with tf.Graph().as_default(), tf.compat.v1.Session() as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], path)
        for name, feed in [("b2a", x), ("b2a_uint8", batch)]:
            signature = meta.signature_def[name]
            assert signature.method_name == "tensorflow/serving/predict"
            out = sess.run(signature.outputs["images"].name,
                           {signature.inputs["images"].name: feed})
            if name == "b2a":
                assert np.abs(out - expected).max() <= 1e-5
            else:
                reference = np.clip(np.round((expected + 1) * 127.5), 0, 255).astype(int)
                assert np.abs(out.astype(int) - reference).max() <= 1


def rest_predict(loaded, body):
    """What TF Serving's REST `:predict` does with a row-format request: inputs whose alias ends
    in `_bytes` are base64-decoded from {"b64": ...}, the instances are stacked into the single
    input, and `_bytes` outputs are base64-encoded back into {"b64": ...}."""
    request = json.loads(body)
    signature = loaded.signatures[request.get("signature_name", "serving_default")]
    (alias, spec), = signature.structured_input_signature[1].items()
    values = [base64.b64decode(v["b64"]) if alias.endswith("_bytes") else v
              for v in request["instances"]]
    outputs = signature(**{alias: tf.constant(values, dtype=spec.dtype)})
    (out_alias, tensor), = outputs.items()
    predictions = [{"b64": base64.b64encode(v).decode()} if out_alias.endswith("_bytes")
                   else v.tolist() for v in tensor.numpy()]
    return json.dumps({"predictions": predictions})


def test_rest_b64_request_returns_png_of_the_input_size(exported):
    model, path = exported
    loaded = tf.saved_model.load(path)
    source = images((13, 22, 3), seed=2)
    png = tf.io.encode_png(source).numpy()
    body = json.dumps({"signature_name": "a2b_bytes",
                       "instances": [{"b64": base64.b64encode(png).decode()}]})
    (prediction,) = json.loads(rest_predict(loaded, body))["predictions"]
    out = tf.io.decode_png(base64.b64decode(prediction["b64"])).numpy()
    assert out.shape == (13, 22, 3)
    expected, _ = keras_reference(model, source[None], "a2b")
    reference = np.clip(np.round((expected[0] + 1) * 127.5), 0, 255).astype(int)
    assert np.abs(out.astype(int) - reference).max() <= 1

    body = json.dumps({"signature_name": "serving_default", "instances": source[None].tolist()})
    (uint8_prediction,) = json.loads(rest_predict(loaded, body))["predictions"]
    np.testing.assert_array_equal(np.array(uint8_prediction), out)


def test_bad_requests_get_clear_errors(exported):
    _, path = exported
    loaded = tf.saved_model.load(path)
    uint8 = loaded.signatures["a2b_uint8"]
    with pytest.raises((TypeError, ValueError, tf.errors.InvalidArgumentError), match="uint8"):
        uint8(images=tf.zeros([1, 8, 8, 3], tf.float32))  # wrong dtype
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"shape \[batch, height, width, 3\]"):
        uint8(images=tf.zeros([8, 8, 3], tf.uint8))  # wrong rank
    rgba_message = r"shape \[batch, height, width, 3\]; got\] \[1 8 8 4\]"
    with pytest.raises(tf.errors.InvalidArgumentError, match=rgba_message):
        uint8(images=tf.zeros([1, 8, 8, 4], tf.uint8))  # RGBA
    with pytest.raises(tf.errors.InvalidArgumentError, match="1-D batch"):
        loaded.signatures["a2b_bytes"](image_bytes=tf.constant(b"x"))
    as_bytes = loaded.signatures["a2b_bytes"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        as_bytes(image_bytes=tf.constant([b"this is not an image"]))
    big = tf.io.encode_png(images((65, 64, 3))).numpy()
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"{MAX_PIXELS}-pixel limit"):
        as_bytes(image_bytes=tf.constant([big]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"{MAX_PIXELS}-pixel limit"):
        uint8(images=tf.zeros([1, 65, 64, 3], tf.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="the batch is empty"):
        uint8(images=tf.zeros([0, 16, 16, 3], tf.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="the batch is empty"):
        loaded.signatures["a2b"](images=tf.zeros([0, 16, 16, 3], tf.float32))


def test_a_decompression_bomb_is_refused_from_its_header(exported):
    _, path = exported
    as_bytes = tf.saved_model.load(path).signatures["a2b_bytes"]
    bomb = png_header_only(16384, 16384)  # 805 MB once decoded; 200 bytes here
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=f"{MAX_PIXELS}-pixel limit .*checked before decoding"):
        as_bytes(image_bytes=tf.constant([bomb]))


def test_munit_style_guided_and_random_signatures(tmp_path):
    from unit_tf.config import MUNITConfig
    from unit_tf.models import MUNIT

    model = MUNIT(tiny_model_config("munit", dis=ONE_SCALE),
                  seed=3).build_networks(16, 16)
    path = export_saved_model(model, str(tmp_path / "munit"))
    assert read_metadata(path)["style_dim"] == 8
    loaded = tf.saved_model.load(path)
    rs = np.random.RandomState(0)
    x = rs.uniform(-1, 1, (2, 18, 22, 3)).astype(np.float32)
    style = rs.normal(size=(2, 8)).astype(np.float32)

    got = loaded.signatures["a2b_style"](images=x, style=style)["images"].numpy()
    expected = translate_full_resolution(model, x, "a2b", style=style).numpy()
    assert got.shape == (2, 18, 22, 3) and np.abs(got - expected).max() <= 1e-5

    reference = rs.uniform(-1, 1, (1, 40, 24, 3)).astype(np.float32)
    guided = loaded.signatures["b2a_guided"](images=x, style_images=reference)["images"].numpy()
    ref_style = model.style_encoders["a"](reference)
    assert np.abs(guided - translate_full_resolution(model, x, "b2a", style=ref_style)).max() \
        <= 1e-5

    random = loaded.signatures["a2b_random"]
    one = random(images=x, seed=tf.constant(7, tf.int64))["images"].numpy()
    again = random(images=x, seed=tf.constant(7, tf.int64))["images"].numpy()
    other = random(images=x, seed=tf.constant(8, tf.int64))["images"].numpy()
    np.testing.assert_array_equal(one, again)
    assert np.abs(one - other).max() > 1e-3  # the style changes the output

    plain = loaded.signatures["a2b"](images=x)["images"].numpy()
    np.testing.assert_array_equal(plain, loaded.signatures["a2b"](images=x)["images"].numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"style must have shape"):
        loaded.signatures["a2b_style"](images=x, style=np.zeros((3, 8), np.float32))


def test_a_failed_export_leaves_nothing_half_written(exported, tmp_path, monkeypatch):
    import errno

    import keras

    from unit_tf.export.serving import ExportWriteError

    model, _ = exported

    def full_disk(self, path, **kwargs):
        os.makedirs(path)
        with open(os.path.join(path, "saved_model.pb"), "wb") as f:
            f.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    archive_class = type(keras.export.ExportArchive())  # the backend's subclass
    monkeypatch.setattr(archive_class, "write_out", full_disk)
    with pytest.raises(ExportWriteError, match=r"could not write the SavedModel to .*1: .*No "
                                               r"space left on device; nothing was exported"):
        export_saved_model(model, str(tmp_path / "base"))
    assert os.listdir(tmp_path / "base") == []  # no version, no staging directory


@pytest.mark.large  # four exports, three loaders, five TFLite conversions: ~200 s on 2 cores
# (the default suite keeps the portable transforms' own tests, tests/layers/winograd_test.py,
# and the official parity with them, tests/official/unit_test.py)
def test_winograd_exports_serve_and_convert_like_the_direct_one(tmp_path, monkeypatch):
    import unit_tf.layers.winograd as winograd
    from unit_tf.export.tflite import TFLiteError, TFLiteModel, convert
    from unit_tf.layers.upsample import phase_kernel

    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)  # the tiny model's convs too
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_PIXELS", 1)
    model = UNIT(tiny_model_config("unit", n_res=1, dis=ONE_SCALE),
                 seed=6).build_networks(16, 16)
    kinds = ("winograd", "winograd_2x2", "direct", "winograd_xla")
    paths = {c: export_saved_model(model, str(tmp_path / c), convolutions=c,
                                   max_pixels=MAX_PIXELS) for c in kinds}
    with pytest.raises(ValueError, match="convolutions='fast' is not one of winograd, direct"):
        export_saved_model(model, str(tmp_path / "fast"), convolutions="fast")
    assert not winograd.WINOGRAD_INFERENCE.enabled  # the export's switch is restored
    for kind, path in paths.items():
        assert read_metadata(path)["convolutions"] == kind
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            graph = f.read()
        assert (b"BatchMatMulV2" in graph) is (kind != "direct"), kind
        # the ordinary-op transforms gather the tiles
        assert (b"GatherV2" in graph) is (kind in ("winograd", "winograd_2x2")), kind
        assert (b"_XlaMustCompile" in graph) is (kind == "winograd_xla"), kind
        assert b"FusedBatchNormV3" in graph, kind  # the serving signatures' fused norms
    # a Winograd export reads each kernel's U = G g G^T from a variable of its own: a2b's
    # 2 convolutions x 1 res-block x (the encoder + the decoder) and the decoder's 2 up-samplings'
    # phase kernels (any-size signatures: by phases; 8 with b2a's): F(4x4, 3x3)'s [36, C, K]
    # in a default export, F(2x2, 3x3)'s [16, C, K] in the others
    kernels = {kind: [winograd.filter_tiles(v, transforms) for v in model.weights
                      if v.shape[:2] == (3, 3)]
               + [winograd.filter_tiles(phase_kernel(v, 2), transforms) for v in model.weights
                  if v.shape[:2] == (5, 5)]
               for kind, transforms in (("winograd", "portable"), ("winograd_xla", "xla"),
                                        ("winograd_2x2", "portable_2x2"))}
    batch = images((2, 18, 30, 3), seed=3)  # any size, odd halves included
    expected, x = keras_reference(model, batch, "a2b")
    x16 = x[:1, :16, :16]
    expected16 = keras_reference(model, batch[:1, :16, :16], "a2b")[0]
    for kind, path in paths.items():
        loaded = tf.saved_model.load(path)
        tiles = [v for v in loaded.signatures["a2b"].variables
                 if "winograd_filter_tiles" in v.name]
        assert len(tiles) == (0 if kind == "direct" else 4 + 2), kind
        assert read_metadata(path)["winograd_convolutions"] == len(
            {v.name for signature in loaded.signatures.values() for v in signature.variables
             if "winograd_filter_tiles" in v.name}), kind  # (both directions')
        for u in tiles:
            assert any(u.shape == k.shape and np.allclose(u.numpy(), k.numpy())
                       for k in kernels[kind]), kind
        got = loaded.signatures["a2b"](images=tf.constant(x))["images"]
        np.testing.assert_allclose(got.numpy(), expected, atol=1e-4, err_msg=kind)
        if kind == "direct":
            continue  # (the direct export's loaders and TFLite: tests/export/tflite_test.py)
        with tf.Graph().as_default(), tf.compat.v1.Session() as sess:  # TF Serving's loader path
            signature = tf.compat.v1.saved_model.loader.load(sess, ["serve"], path) \
                .signature_def["a2b"]
            out = sess.run(signature.outputs["images"].name, {signature.inputs["images"].name: x})
        np.testing.assert_allclose(out, expected, atol=1e-4, err_msg=kind)
        lite_path = str(tmp_path / f"{kind}.tflite")
        convert(path, lite_path, "a2b", (16, 16))
        np.testing.assert_allclose(TFLiteModel(lite_path, "a2b")(x16), expected16, atol=1e-4,
                                   err_msg=kind)
    # float16 weights: 5.8e-3 for F(4x4, 3x3)'s tiles, 1.9e-3 for F(2x2, 3x3)'s, 1.7e-3 direct
    float16_path = str(tmp_path / "float16.tflite")
    convert(paths["winograd"], float16_path, "a2b", (16, 16), "float16")
    assert float(np.abs(TFLiteModel(float16_path, "a2b")(x16) - expected16).max()) < 0.01
    # int8: F(2x2, 3x3)'s ordinary-op transforms calibrate (error bounded as
    # tests/export/tflite_test.py's: a broken calibration gives errors ~1; 0.24 here, 0.27 for
    # the direct export); F(4x4, 3x3)'s lost the image (1.4; 0.99 with dynamic-range
    # quantization, against 0.088 for F(2x2, 3x3) and direct) and are refused by name, as the
    # XLA kind is
    representative = (images((1, 16, 16, 3), seed=40 + i).astype(np.float32) / 127.5 - 1.0
                      for i in range(8))
    int8_path = str(tmp_path / "int8.tflite")
    convert(paths["winograd_2x2"], int8_path, "a2b", (16, 16), "int8", lambda: representative)
    error = float(np.abs(TFLiteModel(int8_path, "a2b")(x16) - expected16).max())
    assert np.isfinite(error) and error < 0.3, error
    for quantize in ("dynamic", "int8"):
        with pytest.raises(TFLiteError, match=r"default \(--convolutions=winograd\) export with "
                                              r"8 Winograd F\(4x4, 3x3\) convolutions: 8-bit .*"
                                              rf"--quantize={quantize} export with "
                                              r"--convolutions=winograd_2x2 or direct"):
            convert(paths["winograd"], str(tmp_path / "refused.tflite"), "a2b", (16, 16),
                    quantize, lambda: iter([x16]))
        assert not os.path.exists(tmp_path / "refused.tflite")
    with pytest.raises(TFLiteError, match=r"--convolutions=winograd_xla export: .* for "
                                          r"--quantize=int8 convert a --convolutions="
                                          r"winograd_2x2 or direct export"):
        convert(paths["winograd_xla"], str(tmp_path / "int8.tflite"), "a2b", (16, 16), "int8",
                lambda: iter([x16]))
