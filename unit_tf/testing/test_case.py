"""Layer contract checks: config round trip, weight counts and mixed-precision dtypes."""

import keras
import numpy as np

from unit_tf.models.base import parameter_count


def count_params(layer) -> int:
    return parameter_count(layer.weights)


def check_serialization(layer_cls, init_kwargs):
    """`layer_cls(**kwargs).get_config()` rebuilds an equal-config layer, also via
    `keras.saving.serialize_keras_object` / `deserialize_keras_object`."""
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    missing = sorted(set(init_kwargs) - set(config))
    assert not missing, f"{layer_cls.__name__}.get_config() lacks constructor args {missing}"
    for key, value in init_kwargs.items():
        assert config[key] == value, f"{layer_cls.__name__}.{key}: {config[key]!r} != {value!r}"
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(restored) is layer_cls
    assert restored.get_config() == config
    return clone


def check_precision(layer_cls, init_kwargs, inputs, policy="mixed_float16",
                       float32_output=False):
    """Build under `policy`: variables stay float32; the output is the policy's compute dtype
    (or float32 where the layer promises it) and finite."""
    layer = layer_cls(**init_kwargs, dtype=policy)
    outputs = layer(*inputs) if isinstance(inputs, tuple) else layer(inputs)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    expected = "float32" if float32_output else keras.DTypePolicy(policy).compute_dtype
    for out in outputs:
        assert keras.backend.standardize_dtype(out.dtype) == expected, (out.dtype, expected)
        assert np.all(np.isfinite(np.asarray(keras.ops.cast(out, "float32"))))
    for v in layer.weights:
        assert keras.backend.standardize_dtype(v.dtype) in ("float32", "int64", "uint32",
                                                            "int32"), v
    return layer
