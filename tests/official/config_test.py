import numpy as np
import pytest

from unit_tf.official import CheckpointError
from unit_tf.official.config import infer_unit_generator, parse_simple_yaml

OFFICIAL_STYLE = """
# logger options
image_save_iter: 10000        # How often do you want to save output images during training
gan_w: 1                      # weight of adversarial loss
lr: 0.0001                    # initial learning rate
gen:
  dim: 64                     # number of filters in the bottommost layer
  activ: relu                 # activation function [relu/lrelu/prelu/selu/tanh]
  pad_type: reflect           # padding type [zero/reflect]
dis:
  norm: none
  gan_type: lsgan
input_dim_a: 3
data_root: ./datasets/summer2winter_yosemite256/
"""


def test_simple_yaml_reads_the_official_config_subset():
    config = parse_simple_yaml(OFFICIAL_STYLE)
    assert config["gen"] == {"dim": 64, "activ": "relu", "pad_type": "reflect"}
    assert config["dis"] == {"norm": "none", "gan_type": "lsgan"}
    assert config["lr"] == pytest.approx(1e-4) and config["input_dim_a"] == 3
    assert config["data_root"] == "./datasets/summer2winter_yosemite256/"
    with pytest.raises(ValueError, match="line 2"):
        parse_simple_yaml("gen:\n  just words\n")


def test_generator_sizes_are_read_from_the_state_dict():
    def conv(o, i, k):
        return np.zeros((o, i, k, k), np.float32)

    state = {"enc.model.0.conv.weight": conv(32, 3, 7), "enc.model.1.conv.weight": conv(64, 32, 4),
             "enc.model.2.conv.weight": conv(128, 64, 4), "enc.model.3.conv.weight": conv(256, 128, 4)}
    for i in range(5):
        state[f"enc.model.4.model.{i}.model.0.conv.weight"] = conv(256, 256, 3)
    assert infer_unit_generator(state) == {"dim": 32, "n_downsample": 3, "n_res": 5}
    with pytest.raises(CheckpointError, match="not a UNIT VAEGen"):
        infer_unit_generator({"model.0.weight": conv(1, 1, 1)})
