import json

import numpy as np

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
