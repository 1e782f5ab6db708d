import pytest

from unit_tf.config import CycleGANLossWeights, Pix2PixConfig, parse_generator


@pytest.mark.parametrize("net_g,parsed", [("resnet_9blocks", ("resnet", 9)),
                                          ("resnet_6blocks", ("resnet", 6)),
                                          ("unet_256", ("unet", 8)), ("unet_128", ("unet", 7)),
                                          ("unet_32", ("unet", 5))])
def test_parse_generator_reads_blocks_and_unet_depth(net_g, parsed):
    assert parse_generator(net_g) == parsed


@pytest.mark.parametrize("net_g", ["resnet_0blocks", "resnet_blocks", "unet_100", "unet_16",
                                   "vgg"])
def test_parse_generator_refuses_other_names(net_g):
    with pytest.raises(ValueError, match=f"model.net_g={net_g!r}"):
        parse_generator(net_g)


def test_cyclegan_weights_key_lambda_by_domain_and_refuse_unknown_terms():
    weights = CycleGANLossWeights(lambda_A=10.0, lambda_B=4.0, lambda_identity=0.5)
    assert weights.term_weight("g", "cycle", "b") == 4.0
    assert weights.term_weight("g", "idt", "a") == 5.0
    assert weights.term_weight("d", "gan") == 0.5
    with pytest.raises(KeyError, match="'l1'"):
        weights.term_weight("g", "l1", "a")
    with pytest.raises(ValueError, match="lambda_A=-1"):
        CycleGANLossWeights(lambda_A=-1.0)


def test_pix2pix_config_refuses_a_pool_and_odd_directions():
    assert Pix2PixConfig().generator == ("unet", 8) and Pix2PixConfig().stride == 256
    with pytest.raises(ValueError, match="pool_size=50"):
        Pix2PixConfig(pool_size=50)
    with pytest.raises(ValueError, match="direction"):
        Pix2PixConfig(direction="AtoB")
