"""The official configs (`configs/*.yaml` of UNIT/MUNIT) and what a checkpoint says about itself.

PyYAML is used when installed; otherwise a small reader handles the subset the official configs
use (nested `key: value` mappings by indentation, scalars, `#` comments).
"""

import re

from unit_tf.official.state_dict import CheckpointError


def _scalar(text):
    text = text.strip()
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_simple_yaml(text):
    """Nested mappings of scalars, as in the official configs (no lists, no anchors)."""
    root = {}
    stack = [(-1, root)]
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"\s+#.*$", "", raw.rstrip()) if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if ":" not in line:
            raise ValueError(f"line {number}: expected 'key: value', got {raw.strip()!r}")
        key, value = line.strip().split(":", 1)
        while indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        if value.strip():
            parent[key.strip()] = _scalar(value)
        else:
            parent[key.strip()] = {}
            stack.append((indent, parent[key.strip()]))
    return root


def read_official_yaml(path):
    with open(path) as f:
        text = f.read()
    try:
        import yaml
    except ImportError:
        return parse_simple_yaml(text)
    return yaml.safe_load(text)


def infer_unit_generator(state, prefix="enc", what="UNIT VAEGen"):
    """dim, n_downsample and n_res of a content encoder (`VAEGen.enc`, `AdaINGen.enc_content`)
    in a state dict, from its keys and shapes."""
    first = state.get(f"{prefix}.model.0.conv.weight")
    if first is None:
        raise CheckpointError(f"not a {what} state dict: no '{prefix}.model.0.conv.weight' (keys "
                              f"like {', '.join(sorted(state)[:4])})")
    p = re.escape(prefix)
    strided = [k for k in state if re.fullmatch(rf"{p}\.model\.\d+\.conv\.weight", k)]
    n_downsample = len(strided) - 1
    res = {m.group(1) for k in state
           if (m := re.fullmatch(rf"{p}\.model\.{n_downsample + 1}\.model\.(\d+)\..*", k))}
    return {"dim": int(first.shape[0]), "n_downsample": n_downsample, "n_res": len(res)}


def infer_munit_generator(state):
    """dim, n_downsample, n_res, style_dim and mlp_dim of an `AdaINGen` state dict."""
    gen = infer_unit_generator(state, "enc_content", "MUNIT AdaINGen")
    to_style = sorted((k for k in state if re.fullmatch(r"enc_style\.model\.\d+\.weight", k)),
                      key=lambda k: int(k.split(".")[2]))
    if not to_style or "mlp.model.0.fc.weight" not in state:
        raise CheckpointError("not a MUNIT AdaINGen state dict: no style encoder output conv or "
                              "no 'mlp.model.0.fc.weight'")
    return {**gen, "style_dim": int(state[to_style[-1]].shape[0]),
            "mlp_dim": int(state["mlp.model.0.fc.weight"].shape[0])}


def _junyanz_norm(state):
    return "bn" if any(k.endswith(".running_mean") for k in state) else "in"


def infer_resnet_generator(state):
    """ngf, n_blocks, n_downsampling, norm, use_dropout, input/output channels of a junyanz
    `ResnetGenerator` state dict."""
    first = state.get("model.1.weight")
    if first is None or not any(".conv_block." in k for k in state):
        raise CheckpointError("not a junyanz ResnetGenerator state dict (no 'model.1.weight' or "
                              f"no res-blocks; keys like {', '.join(sorted(state)[:4])})")
    blocks = sorted({int(m.group(1)) for k in state
                     if (m := re.fullmatch(r"model\.(\d+)\.conv_block\..*", k))})
    convs = sorted({int(m.group(1)) for k in state
                    if (m := re.fullmatch(r"model\.(\d+)\.weight", k)) and
                    state[k].ndim == 4})
    downs = [i for i in convs if 1 < i < blocks[0]]
    return {"ngf": int(first.shape[0]), "n_blocks": len(blocks), "n_downsampling": len(downs),
            "norm": _junyanz_norm(state),
            "use_dropout": any(".conv_block.6.weight" in k for k in state),
            "input_dim": int(first.shape[1]), "output_dim": int(state[f"model.{convs[-1]}.weight"]
                                                                .shape[0])}


def infer_unet_generator(state):
    """ngf, num_downs, norm, input/output channels of a junyanz `UnetGenerator` state dict."""
    first = state.get("model.model.0.weight")
    if first is None or "model.model.3.weight" not in state:
        raise CheckpointError("not a junyanz UnetGenerator state dict (no 'model.model.0.weight'"
                              f" / 'model.model.3.weight'; keys like {', '.join(sorted(state)[:4])})")
    depths = [k.count(".model.3") for k in state
              if re.fullmatch(r"model\.model\.1(\.model\.3)*\.model\.1\.weight", k)]
    return {"ngf": int(first.shape[0]), "num_downs": max(depths) + 2,
            "norm": _junyanz_norm(state), "input_dim": int(first.shape[1]),
            "output_dim": int(state["model.model.3.weight"].shape[1])}
