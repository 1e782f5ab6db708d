"""Parity with the official UNIT generator at full size, through every export kind.

The official VAEGen (benchmarks/official_torch.py: the official master architecture, its
state-dict names; dim 64, 2 down-samplings, 4 res-blocks) is initialised by PyTorch with --seed,
loaded into our official-preset UNIT by `unit_tf.official.load_official_unit` (the same weights
for domains a and b), and both translate the same random image in [-1, 1] at --size: PyTorch
decode(encode(x)) in eval mode, ours through the a2b signature of a SavedModel of each
`--convolutions` kind (default F(4x4, 3x3) Winograd, winograd_2x2, direct, winograd_xla) and
through the Keras model itself. Reports each one's largest and mean absolute difference from the
PyTorch output (the parity tests in tests/official use the official fixtures, which are too
narrow for the default Winograd thresholds without lowering them). Needs torch (`make
.venv/.torch-fid`).

    python benchmarks/official_parity.py [--size=256] [--seed=0]
Writes benchmarks/results/official_parity.json and prints a table.
"""

import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

KINDS = ("winograd", "winograd_2x2", "direct", "winograd_xla")


def official_output(image, seed, dim=64, n_res=4):
    """(PyTorch VAEGen's decode(encode(image)) [1, H, W, 3], its state dict as NumPy arrays)."""
    import numpy as np
    import torch

    from official_torch import VAEGen

    torch.manual_seed(seed)
    gen = VAEGen(dim=dim, n_res=n_res).eval()
    with torch.no_grad():
        x = torch.from_numpy(np.transpose(image, (0, 3, 1, 2)).copy())
        out = gen.decode(gen.encode(x)[0]).numpy()
    state = {k: v.numpy() for k, v in gen.state_dict().items()}
    return np.transpose(out, (0, 2, 3, 1)), state


def our_model(state, size, dim=64, n_res=4):
    from unit_tf.config import unit_preset
    from unit_tf.models import UNIT
    from unit_tf.official import load_official_unit

    config = unit_preset("official", dim=dim, n_res=n_res)
    model = UNIT(config, seed=0).build_networks(size, size)
    load_official_unit(model, gen_state={f"{d}/{k}": v for d in "ab" for k, v in state.items()})
    return model


def measure(size, seed, kinds=KINDS, dim=64, n_res=4):
    """{name: {"max_abs", "mean_abs"}} of ours against the official output, for the Keras model
    ("keras") and each export kind, and "official_output": that output's std and max_abs."""
    import numpy as np
    import tensorflow as tf

    from unit_tf.export import export_saved_model

    image = np.random.RandomState(seed).uniform(-1, 1, (1, size, size, 3)).astype(np.float32)
    want, state = official_output(image, seed, dim, n_res)
    model = our_model(state, size, dim, n_res)

    def difference(got):
        error = np.abs(np.asarray(got) - want)
        return {"max_abs": float(error.max()), "mean_abs": float(error.mean())}

    result = {"keras": difference(model.translate(tf.constant(image), "a2b")),
              "official_output": {"std": float(want.std()), "max_abs": float(np.abs(want).max())}}
    with tempfile.TemporaryDirectory() as scratch:
        for kind in kinds:
            path = export_saved_model(model, os.path.join(scratch, kind), convolutions=kind)
            signature = tf.saved_model.load(path).signatures["a2b"]
            result[kind] = difference(signature(images=tf.constant(image))["images"])
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "official_parity.json"))
    args = parser.parse_args()
    result = {"size": args.size, "seed": args.seed, "differences": measure(args.size, args.seed)}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"{'ours':<14} {'max abs':>9} {'mean abs':>9}   (against the official output, "
          f"{args.size}^2, seed {args.seed})")
    for name, row in result["differences"].items():
        if name != "official_output":
            print(f"{name:<14} {row['max_abs']:9.2e} {row['mean_abs']:9.2e}")
    output = result["differences"]["official_output"]
    print(f"(the official output: std {output['std']:.3f}, largest |value| {output['max_abs']:.3f})")


if __name__ == "__main__":
    main()
