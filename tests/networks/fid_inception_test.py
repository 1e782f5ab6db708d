import numpy as np
import pytest

from unit_tf.networks.fid_inception import (FEATURE_DIM, MIN_SIZE, ConvReLU, FIDInceptionV3,
                                            fold_batch_norm)


def test_fold_batch_norm_golden_values():
    weight = np.arange(2 * 1 * 1 * 2, dtype=np.float32).reshape(2, 2, 1, 1)  # [out, in, 1, 1]
    kernel, bias = fold_batch_norm(weight, beta=[1.0, -1.0], mean=[0.5, 2.0], var=[3.999, 0.999])
    # s = 1 / sqrt(var + 1e-3) = (0.5, 1.0)
    assert kernel.shape == (1, 1, 2, 2) and kernel.dtype == np.float32
    np.testing.assert_allclose(kernel[0, 0], [[0.0, 2.0], [0.5, 3.0]], rtol=1e-6)
    np.testing.assert_allclose(bias, [1.0 - 0.25, -1.0 - 2.0], rtol=1e-6)


def test_folded_conv_equals_conv_then_batch_norm():
    rs = np.random.RandomState(0)
    weight = rs.normal(size=(4, 3, 3, 3))
    beta, mean, var = rs.normal(size=4), rs.normal(size=4), rs.uniform(0.5, 2, size=4)
    x = rs.normal(size=(1, 6, 6, 3)).astype(np.float32)
    layer = ConvReLU(4, 3, 1, 1)
    layer(x)
    layer.conv.set_weights(list(fold_batch_norm(weight, beta, mean, var)))
    raw = ConvReLU(4, 3, 1, 1)
    raw(x)
    raw.conv.set_weights([np.transpose(weight, (2, 3, 1, 0)).astype(np.float32),
                          np.zeros(4, np.float32)])
    raw.conv.activation = None
    expected = np.maximum((raw(x).numpy() - mean) / np.sqrt(var + 1e-3) + beta, 0.0)
    np.testing.assert_allclose(layer(x).numpy(), expected, atol=1e-5)


def test_network_shapes_weight_count_and_padding_variants():
    model = FIDInceptionV3()
    assert model(np.zeros((2, MIN_SIZE, MIN_SIZE, 3), np.float32)).shape == (2, FEATURE_DIM)
    assert model(np.zeros((1, 299, 299, 3), np.float32)).shape == (1, FEATURE_DIM)
    # 94 conv layers with folded biases: the reference's 376 tensors minus mean/var/beta
    assert len(model.weights) == 188 and model.count_params() == 21_768_352
    paths = {v.path.split("/", 1)[1] for v in model.weights}
    assert {"mixed/conv/conv/kernel", "mixed_4/tower_1/conv_4/conv/kernel",
            "mixed_9/tower_1_mixed_conv_1/conv/kernel", "mixed_10/tower_2_conv/conv/bias",
            "conv_4/conv/kernel"} <= paths
    assert model.blocks[-2].tower_2_pool.__class__.__name__ == "AveragePooling2D"
    assert model.blocks[-1].tower_2_pool.__class__.__name__ == "MaxPooling2D"


def test_average_pool_does_not_count_the_padding():
    import keras

    pool = keras.layers.AveragePooling2D(3, 1, padding="same")
    corner = pool(np.ones((1, 4, 4, 1), np.float32)).numpy()[0, 0, 0, 0]
    assert corner == pytest.approx(1.0)  # count_include_pad=True would give 4/9


def test_conv_layer_config_round_trips():
    layer = ConvReLU(8, (1, 7), 1, (0, 3), name="conv_1")
    again = ConvReLU.from_config(layer.get_config())
    assert (again.filters, again.kernel_size, again.strides, again.padding) == \
        (8, (1, 7), 1, (0, 3))
