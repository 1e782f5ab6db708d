import dataclasses

import keras
import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import CycleGANConfig, ExperimentConfig, Pix2PixConfig, DataConfig
from unit_tf.models import CycleGAN, Pix2Pix, build_model
from unit_tf.networks import PatchDiscriminator, PixelDiscriminator, ResnetGenerator, UnetGenerator
from unit_tf.testing.test_case import count_params


def trainable(layer):
    return int(sum(np.prod(v.shape) for v in layer.trainable_weights))


def tiny_cyclegan(**kw):
    kw = {"net_g": "resnet_2blocks", "ngf": 8, "ndf": 8, **kw}
    return CycleGAN(CycleGANConfig(**kw), seed=0).build_networks(32)


def test_cyclegan_defaults_have_the_official_parameter_counts():
    model = CycleGAN().build_networks(32)
    assert model.directions == ("a2b", "b2a")
    for g in model.generators.values():
        assert isinstance(g, ResnetGenerator) and g.n_blocks == 9 and not g.use_dropout
        assert count_params(g) == 11_378_179
    assert set(model.discriminators) == {"a", "b"}
    for d in model.discriminators.values():
        assert isinstance(d, PatchDiscriminator) and count_params(d) == 2_764_737
    assert model.stride == 4 and model.min_discriminator_size == 24


def test_pix2pix_defaults_unet_256_and_a_conditional_discriminator():
    model = Pix2Pix().build_networks(256)
    assert model.directions == ("a2b",) and set(model.discriminators) == {"b"}
    generator = model.generators["a2b"]
    assert isinstance(generator, UnetGenerator) and generator.num_downs == 8
    assert generator.use_dropout and generator.norm == "bn"
    # junyanz prints 54.414 M for unet_256 and 2.769 M for the 6-channel basic D (the layout is
    # the one the pix2pix_unet_generator fixture loads into, key for key)
    assert trainable(generator) == 54_413_955
    assert trainable(model.discriminators["b"]) == 2_768_705
    assert model.discriminators["b"].blocks[0].conv.kernel.shape[2] == 6
    assert model.stride == 256


def test_pix2pix_direction_b2a_translates_b_to_a_only():
    model = Pix2Pix(Pix2PixConfig(net_g="unet_32", ngf=8, ndf=8, direction="b2a"))
    model.build_networks(32)
    assert model.directions == ("b2a",) and set(model.discriminators) == {"a"}
    out = model.translate(tf.zeros([2, 32, 32, 3]), "b2a")
    assert tuple(out.shape) == (2, 32, 32, 3) and out.dtype == tf.float32
    with pytest.raises(ValueError, match="translates b2a, not 'a2b'"):
        model.translate(tf.zeros([1, 32, 32, 3]), "a2b")


def test_channels_follow_input_and_output_dim():
    model = tiny_cyclegan(input_dim=1, output_dim=3)
    assert tuple(model.translate(tf.zeros([1, 32, 32, 1]), "a2b").shape) == (1, 32, 32, 3)
    assert tuple(model.translate(tf.zeros([1, 32, 32, 3]), "b2a").shape) == (1, 32, 32, 1)
    assert model.discriminators["a"].blocks[0].conv.kernel.shape[2] == 1


def test_pixel_discriminator_and_n_layers():
    model = tiny_cyclegan(net_d="pixel")
    assert isinstance(model.discriminators["a"], PixelDiscriminator)
    assert model.min_discriminator_size == 1
    logits = model.discriminate(tf.zeros([2, 32, 32, 3]), "a")
    assert tuple(logits.shape) == (2, 32, 32, 1)
    # junyanz PixelDiscriminator(3, 64, InstanceNorm): 3*64+64 + 64*128+128 + 128+1
    pixel = PixelDiscriminator(64, "in")
    pixel(tf.zeros([1, 4, 4, 3]))
    assert count_params(pixel) == 3 * 64 + 64 + 64 * 128 + 128 + 128 + 1
    deep = tiny_cyclegan(net_d="n_layers", n_layers_d=2)
    assert deep.min_discriminator_size == 12
    assert tuple(deep.discriminate(tf.zeros([1, 32, 32, 3]), "b").shape) == (1, 6, 6, 1)


def test_generator_and_discriminator_variables_are_disjoint_and_complete():
    model = tiny_cyclegan()
    g = {id(v) for v in model.trainable_variables_of("g")}
    d = {id(v) for v in model.trainable_variables_of("d")}
    assert g and d and not g & d
    assert g | d == {id(v) for v in model.trainable_variables}


def test_config_round_trip_and_sample_rows():
    model = tiny_cyclegan()
    clone = CycleGAN.from_config(model.get_config())
    assert clone.config == model.config
    images = {d: tf.zeros([2, 32, 32, 3]) for d in "ab"}
    assert len(model.display_rows(images, "a2b")) == 3
    p2p = Pix2Pix(Pix2PixConfig(net_g="unet_32", ngf=8, ndf=8)).build_networks(32)
    rows = p2p.display_rows({"a": tf.zeros([2, 32, 32, 3]), "b": tf.ones([2, 32, 32, 3])}, "a2b")
    assert len(rows) == 3 and float(tf.reduce_min(rows[2])) == 1.0  # the ground truth


def test_build_model_checks_the_crop_against_stride_and_discriminator():
    base = ExperimentConfig(family="pix2pix",
                            model=Pix2PixConfig(net_g="unet_64", ngf=8, ndf=8),
                            data=DataConfig(load_size=32, crop_size=32))
    with pytest.raises(ValueError, match="multiple of the network stride 64"):
        build_model(base)
    small = dataclasses.replace(base, model=CycleGANConfig(net_g="resnet_1blocks", ngf=8, ndf=8),
                                family="cyclegan", data=DataConfig(load_size=20, crop_size=20))
    with pytest.raises(ValueError, match="too small for the discriminator: it needs at least 24"):
        build_model(small)


def test_configs_refuse_bad_values_by_name():
    with pytest.raises(ValueError, match="model.net_g='unet_100'"):
        CycleGANConfig(net_g="unet_100")
    with pytest.raises(ValueError, match="gan_type='hinge'"):
        CycleGANConfig(gan_type="hinge")
    with pytest.raises(ValueError, match="pool_size=50: pix2pix"):
        Pix2PixConfig(pool_size=50)
    assert CycleGANConfig(net_g="unet_128").stride == 128
    assert CycleGANConfig(net_g="resnet_6blocks").generator == ("resnet", 6)


def test_mixed_precision_keeps_tanh_and_logits_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = tiny_cyclegan()
    assert model.translate(tf.zeros([1, 32, 32, 3]), "a2b").dtype == tf.float32
    assert model.discriminate(tf.zeros([1, 32, 32, 3]), "a").dtype == tf.float32


def test_junyanz_initialisation_normal_0_02_and_batch_norm_scales_near_1():
    model = Pix2Pix(Pix2PixConfig(net_g="unet_32", ngf=64, ndf=64)).build_networks(32)
    kernel = model.generators["a2b"].down[1].conv.kernel.numpy()
    assert abs(kernel.std() - 0.02) < 0.002 and abs(kernel.mean()) < 0.002
    gamma = model.generators["a2b"].down[1].norm_layer.gamma.numpy()  # 128 scales
    assert abs(gamma.mean() - 1.0) < 0.01 and 0.01 < gamma.std() < 0.03
