"""Reading official PyTorch state dicts (`.pt` / `.pth`) or their `.npz` copies as numpy arrays.

`.pt` files are read with `torch.load(weights_only=True)` ONLY (never full unpickling); torch is an
optional extra (`pip install unit_tf[torch]`). `.npz` files hold arrays keyed by the state-dict
names, optionally prefixed `param/` (the fixtures' layout); other arrays in such a file (fixture
inputs/outputs) are ignored when any `param/` key is present.
"""

import os

import numpy as np


class CheckpointError(ValueError):
    """An official checkpoint that does not fit the network it is loaded into."""


def _torch_load(path):
    try:
        import torch
    except ImportError as e:
        raise CheckpointError(
            f"{path}: reading .pt/.pth checkpoints needs PyTorch (pip install 'unit_tf[torch]'), "
            "or convert it to .npz with the same keys") from e
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # torch raises UnpicklingError and others for unsafe or bad files
        raise CheckpointError(f"{path}: not a weights-only PyTorch checkpoint ({e})") from e


def _to_numpy(tree):
    if isinstance(tree, dict):
        return {str(k): _to_numpy(v) for k, v in tree.items()}
    if hasattr(tree, "detach"):
        return tree.detach().cpu().numpy()
    return np.asarray(tree)


def load_state_dict(path: str) -> dict:
    """A (possibly nested) dict of numpy arrays from `.pt`, `.pth` or `.npz`.

    Nested dicts are flattened one level with '/' (so `{'a': sd, 'b': sd}` becomes 'a/<key>').
    """
    if not os.path.isfile(path):
        raise CheckpointError(f"checkpoint {path!r} does not exist")
    ext = os.path.splitext(path)[1].lower()
    if ext in (".pt", ".pth"):
        raw = _to_numpy(_torch_load(path))
    elif ext == ".npz":
        with np.load(path, allow_pickle=False) as data:
            raw = {k: data[k] for k in data.files}
        if any(k.startswith("param/") for k in raw):
            raw = {k[len("param/"):]: v for k, v in raw.items() if k.startswith("param/")}
    else:
        raise CheckpointError(f"{path}: unknown checkpoint type {ext!r} (use .pt, .pth or .npz)")
    flat = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            flat.update({f"{key}/{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def select_prefix(state: dict, prefix: str) -> dict:
    """The entries under `prefix/` (for 'a'/'b' pairs), with the prefix removed."""
    head = prefix + "/"
    return {k[len(head):]: v for k, v in state.items() if k.startswith(head)}


def has_prefixes(state: dict, prefixes) -> bool:
    return all(any(k.startswith(p + "/") for k in state) for p in prefixes)
