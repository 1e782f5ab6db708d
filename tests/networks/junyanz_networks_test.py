import numpy as np

from unit_tf.networks import PatchDiscriminator, ResnetGenerator
from unit_tf.testing.test_case import check_serialization


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
