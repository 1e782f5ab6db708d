"""Fewer FLOPs for the translators' convolutions: what pays on this CPU, measured against the
same process's matmul peak.

1. The decoder's up-sampling stage (nearest x2, reflect pad 2, 5x5 conv): plain against by
   phases (unit_tf.layers.upsample.upsampled_conv: one 3x3 conv on the low-resolution input
   with 4x the outputs, 36 instead of 100 multiply-adds per output), at the official UNIT
   decoder's two stages for a 256^2 image (64^2 x 256 -> 128^2 x 128, 128^2 x 128 -> 256^2 x 64).
2. The residual blocks' 3x3 256 -> 256 conv at 64^2: direct against Winograd F(2x2, 3x3) written
   with TensorFlow ops (tile transforms as slices and adds, 16 batched matmuls), and those
   matmuls alone (what Winograd would cost with free transforms: 2.25x fewer multiplies).

    python benchmarks/conv_algorithms.py [--onednn=unset] [--threads=2] [--rounds=10]
Writes benchmarks/results/conv_algorithms.json and prints a table.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, matmul_peak, median_ms,  # noqa: E402
                          per_onednn_setting, process_facts, set_threads,
                          threads_key)

UPSAMPLE_STAGES = [(64, 256, 128), (128, 128, 64)]  # input side, Cin, Cout


def winograd_f2x2_3x3(padded, u):
    """Winograd F(2x2, 3x3) of a reflect-padded [B, H + 2, W + 2, C] input with the transformed
    kernel u [16, C, Cout]: input tiles B^T d B from strided slices, the 16 products as one
    batched matmul, outputs A^T m A, interleaved by depth_to_space."""
    import tensorflow as tf

    h, w = padded.shape[1] - 2, padded.shape[2] - 2
    th, tw = h // 2, w // 2

    def bt(d0, d1, d2, d3):  # B^T rows
        return d0 - d2, d1 + d2, d2 - d1, d1 - d3

    rows = bt(*[padded[:, i:i + 2 * th:2] for i in range(4)])
    tiles = [t for r in rows for t in bt(*[r[:, :, j:j + 2 * tw:2] for j in range(4)])]
    m = tf.matmul(tf.reshape(tf.stack(tiles), [16, -1, padded.shape[3]]), u)  # [16, N, Cout]
    m = tf.reshape(m, [4, 4, -1, u.shape[2]])
    r0, r1 = m[0] + m[1] + m[2], m[1] - m[2] - m[3]  # A^T on rows, then on columns
    out = [c for r in (r0, r1) for c in (r[0] + r[1] + r[2], r[1] - r[2] - r[3])]
    y = tf.reshape(tf.concat(out, -1), [-1, th, tw, 4 * u.shape[2]])
    return tf.nn.depth_to_space(y, 2)


def winograd_kernel(w):
    import tensorflow as tf

    g = tf.constant([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], w.dtype)
    return tf.reshape(tf.einsum("ai,ijco,bj->abco", g, w, g), [16, w.shape[2], w.shape[3]])


def measure(args):
    import numpy as np
    import tensorflow as tf

    from unit_tf.layers.upsample import plain_upsampled_conv, upsampled_conv

    set_threads(args.threads, args.inter_op_threads)
    peak = matmul_peak()
    rows = []

    def add(name, shape, gflop, ms, max_err=None, baseline_ms=None):
        rows.append({"what": name, "shape": shape, "counted_gflop": gflop, "ms": ms,
                     "achieved_gflops": gflop / (ms / 1e3),
                     "fraction_of_peak": gflop / (ms / 1e3) / peak,
                     **({"max_abs_error": max_err} if max_err is not None else {}),
                     **({"speedup": baseline_ms / ms} if baseline_ms else {})})

    rs = np.random.RandomState(0)
    for side, cin, cout in UPSAMPLE_STAGES:
        x = tf.constant(rs.randn(1, side, side, cin), tf.float32)
        k = tf.constant(rs.randn(5, 5, cin, cout) * 0.02, tf.float32)
        plain = tf.function(lambda: plain_upsampled_conv(x, k, 2, "reflect"))
        phases = tf.function(lambda: upsampled_conv(x, k, 2, "reflect"))
        err = float(tf.reduce_max(tf.abs(plain() - phases())))
        gflop = (2 * side) ** 2 * 25 * cin * cout * 2 / 1e9  # the plain stage's count
        shape = f"{side}^2x{cin} -> {2 * side}^2x{cout}"
        plain_ms = median_ms(lambda: plain().numpy(), args.rounds, warmup=2)
        add("upsample+5x5 plain", shape, gflop, plain_ms)
        add("upsample+5x5 by phases (effective)", shape, gflop,
            median_ms(lambda: phases().numpy(), args.rounds, warmup=2), err, plain_ms)

    x = tf.constant(rs.randn(1, 64, 64, 256), tf.float32)
    w = tf.constant(rs.randn(3, 3, 256, 256) * 0.02, tf.float32)
    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], "REFLECT")
    u = winograd_kernel(w)
    v = tf.random.normal([16, 32 * 32, 256])
    direct = tf.function(lambda: tf.nn.conv2d(padded, w, 1, "VALID"))
    winograd = tf.function(lambda: winograd_f2x2_3x3(padded, u))
    products = tf.function(lambda: tf.matmul(v, u))
    err = float(tf.reduce_max(tf.abs(direct() - winograd())))
    gflop = 64 * 64 * 9 * 256 * 256 * 2 / 1e9
    direct_ms = median_ms(lambda: direct().numpy(), args.rounds, warmup=2)
    add("3x3 conv direct", "64^2x256 -> 256", gflop, direct_ms)
    add("3x3 Winograd F(2,3), TF ops (effective)", "64^2x256 -> 256", gflop,
        median_ms(lambda: winograd().numpy(), args.rounds, warmup=2), err, direct_ms)
    add("its 16 batched matmuls alone (effective)", "16 x [1024,256]x[256,256]", gflop,
        median_ms(lambda: products().numpy(), args.rounds, warmup=2), None, direct_ms)
    return {"rows": rows, "matmul_peak_gflops": peak, **process_facts()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    add_process_flags(parser, "unset", "benchmarks/results/conv_algorithms.json")
    args = parser.parse_args()
    name = threads_key(args)
    results = per_onednn_setting(__file__, args, measure, name)
    if results is None:
        return
    print(f"{'oneDNN':<7}{'what':<42}{'shape':<28}{'ms':>8}{'frac':>6}{'speedup':>8}{'err':>9}")
    for setting, result in results.items():
        for r in result["rows"]:
            print(f"{setting:<7}{r['what']:<42}{r['shape']:<28}{r['ms']:>8.1f}"
                  f"{r['fraction_of_peak']:>6.2f}{r.get('speedup', float('nan')):>8.2f}"
                  f"{r.get('max_abs_error', float('nan')):>9.1e}")
        print(f"matmul peak {result['matmul_peak_gflops']:.1f} GFLOP/s, load "
              f"{result['load_average_1m']}")


if __name__ == "__main__":
    main()
