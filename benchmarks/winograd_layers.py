"""The wide 3x3 convolutions of a 256^2 official-UNIT translation, one layer at a time, by each
export kind's algorithm, in one process against its matmul peak.

Layers (batch 1, float32): the residual blocks' 3x3 256->256 convolution with reflect padding 1
at 64^2, and the decoder's two up-sampling stages' 3x3 phase convolutions (unit_tf.layers.
upsample: 64^2x256 -> 4x128 outputs, 128^2x128 -> 4x64, on the symmetric-padded input). Kinds
(unit_tf.layers.winograd; `unit-tf export --convolutions`):
  direct        TensorFlow's convolution (`--convolutions=direct`), the pad before it;
  portable      Winograd F(4x4, 3x3), a gather and matmuls (the default export);
  portable_2x2  Winograd F(2x2, 3x3), the same ops (`--convolutions=winograd_2x2`);
  xla           Winograd F(2x2, 3x3), XLA-compiled transforms (`--convolutions=winograd_xla`).
Each kind's filter tiles are computed beforehand, as an export does. The kinds run in interleaved
rounds (median of --rounds each), so a slow moment of the host weighs on all alike; each layer's
result also gives the largest difference from a float64 direct convolution.

    python benchmarks/winograd_layers.py [--rounds=20] [--threads=2] [--onednn=unset]
Writes benchmarks/results/winograd_layers.json and prints a table.
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from speed_common import (add_process_flags, matmul_peak, median_spread,  # noqa: E402
                          per_onednn_setting, process_facts, set_threads, threads_key)

KINDS = ("direct", "portable", "portable_2x2", "xla")
# name -> (input side, input channels, output channels, padding, pad type); the phase stages'
# inputs are already padded by 1 (symmetric) and convolved 'valid'
LAYERS = {"res_block_64x256": (64, 256, 256, 1, "reflect"),
          "phases_64x256_to_4x128": (66, 256, 512, 0, "zero"),
          "phases_128x128_to_4x64": (130, 128, 256, 0, "zero")}


def layer_functions(x, kernel, padding, pad_type):
    """{kind: a function of no arguments returning the layer's output as a NumPy array}."""
    import tensorflow as tf

    from unit_tf.layers.padding import pad_spatial
    from unit_tf.layers.winograd import precomputed_filter_tiles, winograd_conv3x3

    functions = {"direct": tf.function(
        lambda: tf.nn.conv2d(pad_spatial(x, padding, pad_type), kernel, 1, "VALID"))}
    with precomputed_filter_tiles():  # (each kind's U, once, as an export computes it)
        for kind in KINDS[1:]:
            functions[kind] = tf.function(
                lambda kind=kind: winograd_conv3x3(x, kernel, padding, pad_type,
                                                   transforms=kind))
            functions[kind].get_concrete_function()  # traced inside the scope
    return {kind: (lambda f=f: f().numpy()) for kind, f in functions.items()}


def measure_layer(side, cin, cout, padding, pad_type, rounds, seed=0):
    """{kind: {"ms", "ms_min", "ms_max", "max_error"}} for one layer, kinds interleaved."""
    import time

    import numpy as np
    import tensorflow as tf

    from unit_tf.layers.padding import pad_spatial

    rs = np.random.RandomState(seed)
    x = tf.constant(rs.randn(1, side, side, cin).astype(np.float32))
    kernel = tf.Variable((rs.randn(3, 3, cin, cout) / np.sqrt(9 * cin)).astype(np.float32))
    exact = tf.nn.conv2d(pad_spatial(tf.cast(x, tf.float64), padding, pad_type),
                         tf.cast(kernel, tf.float64), 1, "VALID").numpy()
    functions = layer_functions(x, kernel, padding, pad_type)
    errors = {kind: float(np.abs(f() - exact).max()) for kind, f in functions.items()}
    times = {kind: [] for kind in functions}
    for _ in range(rounds):
        for kind, f in functions.items():
            start = time.perf_counter()
            f()
            times[kind].append(time.perf_counter() - start)
    result = {}
    for kind in functions:
        median, low, high = median_spread(times[kind])
        result[kind] = {"ms": median * 1e3, "ms_min": low * 1e3, "ms_max": high * 1e3,
                        "max_error": errors[kind]}
    return result


def measure(args):
    set_threads(args.threads, args.inter_op_threads)
    peak = matmul_peak()
    layers = {}
    for name, (side, cin, cout, padding, pad_type) in LAYERS.items():
        result = measure_layer(side, cin, cout, padding, pad_type, args.rounds)
        out_side = side + 2 * padding - 2
        direct_gflop = 2 * out_side ** 2 * 9 * cin * cout / 1e9
        for row in result.values():
            row["direct_over_this"] = result["direct"]["ms"] / row["ms"]
            # the direct convolution's FLOPs over this kind's time, against the peak
            row["effective_fraction_of_peak"] = direct_gflop / (row["ms"] / 1e3) / peak
        layers[name] = result
    return {"layers": layers, "rounds": args.rounds, "matmul_peak_gflops": peak,
            **process_facts()}


def print_table(results):
    for setting, result in results.items():
        print(f"oneDNN {setting}, matmul peak {result['matmul_peak_gflops']:.0f} GFLOP/s")
        print(f"{'layer':<24} {'kind':<13} {'ms':>7} {'direct/this':>11} {'eff.frac':>8} "
              f"{'max err':>9}")
        for name, kinds in result["layers"].items():
            for kind, row in kinds.items():
                print(f"{name:<24} {kind:<13} {row['ms']:7.2f} {row['direct_over_this']:11.2f} "
                      f"{row['effective_fraction_of_peak']:8.2f} {row['max_error']:9.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    add_process_flags(parser, "unset", os.path.join(HERE, "results", "winograd_layers.json"))
    args = parser.parse_args()
    results = per_onednn_setting(__file__, args, measure, f"unit-256-{threads_key(args)}")
    if results is not None:
        print_table(results)


if __name__ == "__main__":
    main()
