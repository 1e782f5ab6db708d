"""TFLite conversion from the SavedModel, run with LiteRT (ai_edge_litert)."""

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from unit_tf.testing.tiny import TINY_DIS, tiny_model_config
from unit_tf.config import DiscriminatorConfig, unit_preset
from unit_tf.export import export_saved_model
from unit_tf.export.inference import make_translator
from unit_tf.export.tflite import TFLiteError, TFLiteModel, convert, default_size
from unit_tf.models import UNIT

ONE_SCALE = dataclasses.replace(TINY_DIS, num_scales=1)

SIZE = (16, 24)  # non-square, multiples of the stride 4


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    model = UNIT(tiny_model_config("unit", n_res=1, dis=ONE_SCALE),
                 seed=5).build_networks(16, 16)
    base = tmp_path_factory.mktemp("tflite") / "tiny"
    return export_saved_model(model, str(base), metadata={"config": {"data": {"crop_size": 16}}})


def signed_images(seed, size=SIZE):
    return np.random.RandomState(seed).uniform(-1, 1, (1, *size, 3)).astype(np.float32)


def representative():
    return (signed_images(100 + i) for i in range(16))


def reference(saved_model, x, direction="a2b"):
    return tf.saved_model.load(saved_model).signatures[direction](images=x)["images"].numpy()


def test_float32_and_float16_match_the_saved_model(saved_model, tmp_path):
    x = signed_images(0)
    expected = reference(saved_model, x, "b2a")
    sizes = {}
    for quantize, tolerance in [("none", 1e-4), ("float16", 1e-2)]:
        path = str(tmp_path / f"{quantize}.tflite")
        sizes[quantize] = convert(saved_model, path, "b2a", SIZE, quantize)
        model = TFLiteModel(path)
        assert model.direction == "b2a" and model.size == SIZE
        error = float(np.abs(model(x) - expected).max())
        print(f"tflite {quantize}: max abs error {error:.2e}, {sizes[quantize]} bytes")
        assert error <= tolerance
    assert sizes["float16"] < 0.6 * sizes["none"]


@pytest.mark.large  # three conversions, int8 calibrated (~35 s); tests/cli converts int8 too
def test_dynamic_and_int8_report_their_error(saved_model, tmp_path):
    x = signed_images(1)
    expected = reference(saved_model, x)
    for quantize, io_type in [("dynamic", "float32"), ("int8", "float32"), ("int8", "uint8")]:
        path = str(tmp_path / f"{quantize}_{io_type}.tflite")
        size = convert(saved_model, path, "a2b", SIZE, quantize, representative, io_type)
        model = TFLiteModel(path, "a2b")
        assert model.input["dtype"] == (np.uint8 if io_type == "uint8" else np.float32)
        error = float(np.abs(model(x) - expected).max())
        print(f"tflite {quantize}/{io_type}: max abs error {error:.3f}, {size} bytes")
        # Reported, not a parity claim; bounded so a broken calibration (errors ~1) fails.
        assert np.isfinite(error) and error < 0.3, (quantize, io_type)


def test_default_size_is_the_training_crop(saved_model, tmp_path):
    assert default_size(saved_model) == (16, 16)
    path = str(tmp_path / "default.tflite")
    convert(saved_model, path)
    assert TFLiteModel(path).size == (16, 16)


def test_bad_conversions_are_refused_by_name(saved_model, tmp_path):
    out = str(tmp_path / "x.tflite")
    with pytest.raises(TFLiteError, match="multiples of the network stride 4"):
        convert(saved_model, out, "a2b", (18, 24))
    with pytest.raises(TFLiteError, match="not a float32 `images` tensor signature"):
        convert(saved_model, out, "a2b_bytes", SIZE)
    with pytest.raises(TFLiteError, match="no signature 'c2d'"):
        convert(saved_model, out, "c2d", SIZE)
    with pytest.raises(TFLiteError, match="representative"):
        convert(saved_model, out, "a2b", SIZE, "int8")
    with pytest.raises(TFLiteError, match="--io_type=uint8 needs --quantize=int8"):
        convert(saved_model, out, "a2b", SIZE, "float16", io_type="uint8")
    with pytest.raises(TFLiteError, match="--quantize='int4'"):
        convert(saved_model, out, "a2b", SIZE, "int4")


def test_an_op_without_a_builtin_kernel_is_refused_not_flexed(tmp_path):
    class NeedsFlex(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32,
                                                    name="images")])
        def a2b(self, images):
            singular = tf.linalg.svd(images[0, :, :, 0], compute_uv=False)
            return {"images": images * tf.reduce_sum(singular)}

    module = NeedsFlex()
    path = str(tmp_path / "flex")
    tf.saved_model.save(module, path, signatures={"a2b": module.a2b})
    message = r"builtin TFLite ops.*without a builtin kernel: tf\.Svd"
    with pytest.raises(TFLiteError, match=message):
        convert(path, str(tmp_path / "flex.tflite"), "a2b", (8, 8))
    assert not (tmp_path / "flex.tflite").exists()


def test_translator_takes_any_size_and_checks_the_direction(saved_model, tmp_path):
    path = str(tmp_path / "a2b.tflite")
    convert(saved_model, path, "a2b", SIZE)
    translate = make_translator(path, "a2b")
    image = np.random.RandomState(2).randint(0, 256, (18, 30, 3)).astype(np.uint8)
    (out,) = translate(image)
    assert out.dtype == tf.uint8 and tuple(out.shape) == (18, 30, 3)
    with pytest.raises(TFLiteError, match="translates a2b, not 'b2a'"):
        make_translator(path, "b2a")
    with pytest.raises(TFLiteError, match=r"takes \(1, 16, 24, 3\) images"):
        TFLiteModel(path)(signed_images(0, (16, 16)))


@pytest.mark.large  # slow (the default stage stays under 15 minutes)
def test_munit_plain_signature_converts_with_its_fixed_style(tmp_path):
    from unit_tf.config import MUNITConfig
    from unit_tf.models import MUNIT

    model = MUNIT(tiny_model_config("munit", dis=ONE_SCALE),
                  seed=2).build_networks(16, 16)
    saved = export_saved_model(model, str(tmp_path / "munit"))
    x = signed_images(3)
    expected = reference(saved, x, "b2a")
    path = str(tmp_path / "munit_b2a.tflite")
    convert(saved, path, "b2a", SIZE)
    assert np.abs(TFLiteModel(path)(x) - expected).max() <= 1e-4
    style = model.sample_style(1, seed=tf.constant([0, 0], tf.int64))
    np.testing.assert_allclose(expected, model.translate(x, "b2a", style=style), atol=1e-5)


def test_conversion_takes_the_signatures_tflite_twin_when_the_export_has_one(tmp_path):
    """Exports hold `a2b_tflite` (norms by the moments) beside `a2b` (the fused kernel); a
    SavedModel without the twin (exports before it) converts its signature itself."""

    def saved_model(name, factors):
        module = tf.Module()
        spec = tf.TensorSpec(None, tf.float32, name="images")
        functions = {key: tf.function(lambda images, f=f: {"images": images * f},
                                      input_signature=[spec]) for key, f in factors.items()}
        for key, fn in functions.items():
            setattr(module, key, fn)
        tf.saved_model.save(module, str(tmp_path / name), signatures=functions)
        return str(tmp_path / name)

    x = signed_images(5, (8, 8))
    for name, factors, expected in [("twinned", {"a2b": 2.0, "a2b_tflite": 3.0}, 3.0),
                                    ("older", {"a2b": 2.0}, 2.0)]:
        out = str(tmp_path / f"{name}.tflite")
        convert(saved_model(name, factors), out, "a2b", (8, 8))
        lite = TFLiteModel(out)
        assert lite.direction == "a2b"  # keyed by the asked direction, not the twin's name
        np.testing.assert_allclose(lite(x), expected * x, rtol=1e-6)
