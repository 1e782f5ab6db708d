"""What every translation model shares: checkpointable variables and the direction contract."""


def variables_by_path(model) -> dict:
    """{variable.path: variable} for every variable of `model` (trainable or not), for
    `tf.train.Checkpoint`.

    Keras 3 layers held in lists or dicts are not children in TensorFlow's checkpoint object
    graph, so a model is checkpointed through this flat dict instead. Paths are fixed by the build
    order (domain a before b), which `build_networks` keeps stable.
    """
    result = {}
    for v in model.variables:
        if v.path in result and result[v.path] is not v:
            raise ValueError(f"two variables share the path {v.path!r}; give the layers unique names")
        result[v.path] = v
    return result
