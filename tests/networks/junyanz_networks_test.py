import numpy as np

from unit_tf.networks import PatchDiscriminator, ResnetGenerator, UnetGenerator
from unit_tf.testing.test_case import check_serialization, count_params


def test_resnet_generator_shapes_and_float32_output():
    gen = ResnetGenerator(3, 8, 2, "in")
    out = gen(np.zeros((2, 20, 28, 3), np.float32))
    assert tuple(out.shape) == (2, 20, 28, 3) and out.dtype.name == "float32"
    check_serialization(ResnetGenerator, {"output_dim": 3, "ngf": 8, "n_blocks": 6,
                                          "norm": "bn", "use_dropout": True,
                                          "n_downsampling": 2, "init_type": "gaussian",
                                          "name": "g"})
    with_bn = ResnetGenerator(3, 8, 1, "bn")
    with_bn(np.zeros((1, 8, 8, 3), np.float32))
    assert not with_bn.conv_in.use_bias and with_bn.conv_out.use_bias


def test_patch_discriminator_map_sizes():
    dis = PatchDiscriminator(8, 3, "in")
    assert tuple(dis(np.zeros((1, 256, 256, 3), np.float32)).shape) == (1, 30, 30, 1)
    conditional = PatchDiscriminator(8, 2, "bn")
    assert tuple(conditional(np.zeros((2, 64, 48, 6), np.float32)).shape) == (2, 14, 10, 1)
    check_serialization(PatchDiscriminator, {"ndf": 8, "n_layers": 3, "norm": "in",
                                             "init_type": "gaussian", "name": "d"})


def test_unet_shapes_dropout_levels_and_config():
    gen = UnetGenerator(3, 6, 8, "bn", use_dropout=True)
    out = gen(np.zeros((2, 64, 128, 3), np.float32), training=False)
    assert tuple(out.shape) == (2, 64, 128, 3) and out.dtype.name == "float32"
    assert [k for k, d in enumerate(gen.dropout) if d is not None] == [4]  # num_downs - 5 = 1
    assert [k for k, d in enumerate(UnetGenerator(3, 8, 8, use_dropout=True).dropout)
            if d is not None] == [4, 5, 6]  # unet_256: the three levels above the innermost
    check_serialization(UnetGenerator, {"output_dim": 3, "num_downs": 7, "ngf": 8, "norm": "in",
                                        "use_dropout": False, "init_type": "gaussian",
                                        "name": "g"})


def trainable(layer):
    return int(sum(np.prod(v.shape) for v in layer.trainable_weights))


def test_pix2pix_default_sizes_match_the_official_logs():
    """junyanz prints '[Network G] Total number of parameters : 54.414 M' for unet_256 and
    2.769 M for the conditional (6-channel) basic D: `parameters()`, i.e. without BatchNorm's
    running statistics (buffers there, non-trainable weights here)."""
    gen = UnetGenerator(3, 8, 64, "bn")
    gen(np.zeros((1, 256, 256, 3), np.float32))
    assert round(trainable(gen) / 1e6, 3) == 54.414
    assert count_params(gen) - trainable(gen) == 2 * 4928  # mean and variance per BN channel
    dis = PatchDiscriminator(64, 3, "bn")
    dis(np.zeros((1, 256, 256, 6), np.float32))
    assert round(trainable(dis) / 1e6, 3) == 2.769
