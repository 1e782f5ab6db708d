"""Copy state-dict arrays into Keras variables, converting PyTorch layouts, refusing mismatches."""

import numpy as np

from unit_tf.official.state_dict import CheckpointError

# How a PyTorch tensor maps to its Keras variable.
_LAYOUTS = {
    "conv": lambda w: np.transpose(w, (2, 3, 1, 0)),  # OIHW -> HWIO
    "conv_transpose": lambda w: np.transpose(w, (2, 3, 1, 0)),  # IOHW -> HW O I (Keras: HWOI)
    "linear": lambda w: np.transpose(w, (1, 0)),  # [out, in] -> [in, out]
    "conv1x1_dense": lambda w: np.transpose(w[:, :, 0, 0], (1, 0)),  # [out, in, 1, 1] -> [in, out]
    "same": lambda w: w,
}


def conv_block_params(block, prefix, conv_name="conv", norm_name="norm"):
    """{state_dict_key: (variable, layout)} for one unit_tf ConvBlock."""
    params = {f"{prefix}.{conv_name}.weight": (block.conv.kernel, "conv")}
    if block.use_bias:
        params[f"{prefix}.{conv_name}.bias"] = (block.conv.bias, "same")
    norm = block.norm_layer
    if norm is not None and block.norm in ("ln", "in_affine"):
        params[f"{prefix}.{norm_name}.gamma" if block.norm == "ln"
               else f"{prefix}.{norm_name}.weight"] = (norm.gamma, "same")
        params[f"{prefix}.{norm_name}.beta" if block.norm == "ln"
               else f"{prefix}.{norm_name}.bias"] = (norm.beta, "same")
    return params


def conv_params(conv, prefix, layout="conv"):
    """{key: (variable, layout)} for a bare Keras Conv2D/Dense/Conv2DTranspose."""
    params = {f"{prefix}.weight": (conv.kernel, layout)}
    if conv.use_bias:
        params[f"{prefix}.bias"] = (conv.bias, "same")
    return params


def assign_state_dict(params: dict, state: dict, what: str, ignore=()):
    """Assign `state` into the variables named by `params`.

    Every key must be known (or match an `ignore` suffix), every expected key present and every
    shape right; otherwise nothing is assigned and a CheckpointError lists the offending names.
    """
    unknown = sorted(k for k in state if k not in params and not k.endswith(tuple(ignore)))
    missing = sorted(k for k in params if k not in state)
    converted, wrong = {}, []
    for key, (variable, layout) in params.items():
        if key not in state:
            continue
        value = _LAYOUTS[layout](np.asarray(state[key], dtype=np.float32))
        if tuple(value.shape) != tuple(variable.shape):
            wrong.append(f"{key}: checkpoint {tuple(np.shape(state[key]))} -> "
                         f"{tuple(value.shape)}, model {tuple(variable.shape)}")
        converted[key] = value
    problems = []
    if unknown:
        problems.append(f"unexpected keys: {', '.join(unknown)}")
    if missing:
        problems.append(f"missing keys: {', '.join(missing)}")
    if wrong:
        problems.append(f"mis-shaped keys: {'; '.join(wrong)}")
    if problems:
        raise CheckpointError(f"{what}: " + " | ".join(problems))
    for key, (variable, _) in params.items():
        variable.assign(converted[key].astype(variable.dtype))
