import numpy as np

from unit_tf.layers import ResBlock
from unit_tf.testing.test_case import (count_params, check_precision,
                                       check_serialization)


def test_identity_skip_and_weight_count():
    block = ResBlock(8, norm="in", pad_type="reflect")
    x = np.random.RandomState(0).randn(2, 6, 5, 8).astype(np.float32)
    y = block(x).numpy()
    assert y.shape == x.shape
    assert count_params(block) == 2 * (3 * 3 * 8 * 8 + 8)
    inner = block.block2(block.block1(x)).numpy()
    np.testing.assert_allclose(y, x + inner, atol=1e-5)


def test_adain_consumes_four_times_dim_params_in_order():
    block = ResBlock(4, norm="adain")
    assert block.num_adain_params == 16
    x = np.random.RandomState(1).randn(2, 4, 4, 4).astype(np.float32)
    params = np.random.RandomState(2).randn(2, 16).astype(np.float32)
    y = block(x, adain_params=params).numpy()
    manual = block.block2(block.block1(x, adain_params=params[:, :8]),
                          adain_params=params[:, 8:]).numpy()
    np.testing.assert_allclose(y, x + manual, atol=1e-5)


def test_dropout_only_while_training():
    block = ResBlock(4, dropout=0.5)
    x = np.random.RandomState(4).randn(1, 8, 8, 4).astype(np.float32)
    inner = block.block2(block.block1(x)).numpy()
    np.testing.assert_allclose(block(x, training=False).numpy(), x + inner, atol=1e-5)
    dropped = block(x, training=True).numpy() - x
    zeroed = np.isclose(dropped, 0.0, atol=1e-7)
    assert 0.3 < zeroed.mean() < 0.7  # about half the residual is dropped
    np.testing.assert_allclose(dropped[~zeroed], 2 * inner[~zeroed], rtol=1e-4, atol=1e-5)


def test_config_round_trip_and_precision():
    kwargs = {"dim": 4, "norm": "in", "activation": "relu", "pad_type": "reflect",
              "dropout": 0.5}
    check_serialization(ResBlock, kwargs)
    x = np.random.RandomState(3).randn(1, 4, 4, 4).astype(np.float32)
    check_precision(ResBlock, kwargs, x, "mixed_float16")
