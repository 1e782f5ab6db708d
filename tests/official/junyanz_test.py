import json

import numpy as np
import pytest

from tests.conftest import FIXTURES, require
from unit_tf.networks import PatchDiscriminator, ResnetGenerator, UnetGenerator
from unit_tf.official import load_state_dict
from unit_tf.official.junyanz import (load_junyanz, patch_discriminator_params,
                                      resnet_generator_params, unet_generator_params)
from unit_tf.testing.test_case import count_params


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def test_resnet_generator_parity_with_the_official_code():
    data = np.load(require(FIXTURES / "cyclegan_resnet_generator.npz"))
    p = json.loads((FIXTURES / "cyclegan_resnet_generator.json").read_text())["params"]
    gen = ResnetGenerator(3, p["ngf"], p["n_blocks"], "in", p["use_dropout"])
    x = nhwc(data["input"])
    gen(x)
    load_junyanz(gen, resnet_generator_params,
                 load_state_dict(str(FIXTURES / "cyclegan_resnet_generator.npz")), "G")
    assert np.abs(gen(x).numpy() - nhwc(data["output"])).max() <= 1e-4


def test_patchgan_parity_with_the_official_code():
    data = np.load(require(FIXTURES / "cyclegan_patchgan.npz"))
    p = json.loads((FIXTURES / "cyclegan_patchgan.json").read_text())["params"]
    dis = PatchDiscriminator(p["ndf"], p["n_layers"], "in")
    x = nhwc(data["input"])
    dis(x)
    load_junyanz(dis, patch_discriminator_params,
                 load_state_dict(str(FIXTURES / "cyclegan_patchgan.npz")), "D")
    out = dis(x).numpy()
    assert out.shape == (1, 6, 6, 1)
    assert np.abs(out - nhwc(data["output"])).max() <= 1e-4


def test_default_parameter_counts_equal_the_official_ones():
    gen = ResnetGenerator(3, 64, 9, "in")
    gen(np.zeros((1, 64, 64, 3), np.float32))
    assert count_params(gen) == 11_378_179
    dis = PatchDiscriminator(64, 3, "in")
    dis(np.zeros((1, 64, 64, 3), np.float32))
    assert count_params(dis) == 2_764_737


def test_unet_generator_parity_in_eval_mode_with_stored_batch_statistics():
    data = np.load(require(FIXTURES / "pix2pix_unet_generator.npz"))
    p = json.loads((FIXTURES / "pix2pix_unet_generator.json").read_text())["params"]
    gen = UnetGenerator(3, p["num_downs"], p["ngf"], "bn", p["use_dropout"])
    x = nhwc(data["input"])
    gen(x)
    load_junyanz(gen, unet_generator_params,
                 load_state_dict(str(FIXTURES / "pix2pix_unet_generator.npz")), "G")
    assert np.abs(gen(x, training=False).numpy() - nhwc(data["output"])).max() <= 1e-4


def test_sizes_are_inferred_and_both_cyclegan_generators_import(tmp_path):
    from unit_tf.official.config import infer_resnet_generator, infer_unet_generator
    from unit_tf.official.importer import import_junyanz

    resnet = load_state_dict(str(require(FIXTURES / "cyclegan_resnet_generator.npz")))
    assert infer_resnet_generator(resnet) == {
        "ngf": 16, "n_blocks": 6, "n_downsampling": 2, "norm": "in", "use_dropout": False,
        "input_dim": 3, "output_dim": 3}
    unet = load_state_dict(str(FIXTURES / "pix2pix_unet_generator.npz"))
    assert infer_unet_generator(unet) == {"ngf": 16, "num_downs": 6, "norm": "bn",
                                          "input_dim": 3, "output_dim": 3}
    np.savez(tmp_path / "g.npz", **resnet)
    model, sizes = import_junyanz("cyclegan", {"a2b": str(tmp_path / "g.npz"),
                                               "b2a": str(tmp_path / "g.npz")})
    assert model.directions == ("a2b", "b2a") and model.stride == 4
    data = np.load(FIXTURES / "cyclegan_resnet_generator.npz")
    x = nhwc(data["input"])
    np.testing.assert_allclose(model.translate(x, "b2a"), model.translate(x, "a2b"))
    pix2pix, _ = import_junyanz("pix2pix", {"b2a": str(FIXTURES / "pix2pix_unet_generator.npz")})
    with pytest.raises(ValueError, match="translates b2a, not 'a2b'"):
        pix2pix.translate(x, "a2b")
