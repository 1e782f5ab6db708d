"""Translation latency of a SavedModel and its TFLite conversion, against the same process's
matmul peak.

For each oneDNN setting (one process each: oneDNN is fixed when TensorFlow loads): a family's
official-size translator with random weights (or --saved_model) is exported, then timed through
the SavedModel's float `a2b` signature at each --sizes and --batches (median of --rounds after a
warm-up), and through a float32 TFLite conversion at each size, batch 1 (LiteRT; the .tflite
has a fixed [1, H, W, 3] input). Reports ms per image, the translation's analytic FLOPs
(unit_tf.profiling, traced at that size), achieved GFLOP/s and fraction of the matmul peak, and
with --official_gflop (at the first size; scaled by pixels for the others) the effective
throughput: the official translation's FLOPs divided by our time. --convolutions exports as
`unit-tf export --convolutions` does (winograd, the default: wide 3x3 convolutions by Winograd
F(4x4, 3x3) with ordinary-op tile transforms; winograd_2x2: F(2x2, 3x3) by the same ops; direct;
winograd_xla: F(2x2, 3x3) with XLA-compiled transforms) and
names the result `<family>-<convolutions>-t<threads>`.

    python benchmarks/translate.py [--family=unit] [--sizes=256,512] [--batches=1,8] \
        [--onednn=unset,0,1] [--threads=2] [--rounds=10] [--no_tflite] [--official_gflop=142] \
        [--convolutions=winograd|winograd_2x2|direct|winograd_xla]
Writes benchmarks/results/translate.json (keyed by the configuration) and prints a table.
"""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, matmul_peak, median_ms,  # noqa: E402
                          per_onednn_setting, process_facts, set_threads,
                          threads_key)


def official_model(family, size):
    from unit_tf.config import FAMILY_CONFIGS, defaults
    from unit_tf.models.registry import MODELS

    config = defaults(family, "official").model
    assert isinstance(config, FAMILY_CONFIGS[family])
    return MODELS[family](config, seed=0).build_networks(size, size)


def measure(args):
    import tensorflow as tf

    from unit_tf.export import export_saved_model
    from unit_tf.export.serving import traced_as_exported
    from unit_tf.export.tflite import TFLiteModel, convert
    from unit_tf.profiling import function_flops

    set_threads(args.threads, args.inter_op_threads)
    peak = matmul_peak()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        model = official_model(args.family, sizes[0])
        saved = export_saved_model(model, os.path.join(scratch, "model"),
                                   convolutions=args.convolutions)
        signature = tf.saved_model.load(saved).signatures["a2b"]
        for size in sizes:
            with traced_as_exported(args.convolutions):  # the multiply-adds the export runs
                flops = function_flops(lambda x: model.translate(x, "a2b"),
                                       tf.TensorSpec([1, size, size, 3])) / 1e9
            official = args.official_gflop * (size / sizes[0]) ** 2 if args.official_gflop \
                else None
            for batch in [int(b) for b in args.batches.split(",")]:
                x = np.random.RandomState(0).uniform(-1, 1, (batch, size, size, 3))
                x = tf.constant(x.astype(np.float32))
                ms = median_ms(lambda: signature(images=x)["images"].numpy(),
                               args.rounds) / batch
                rows.append(row("savedmodel", size, batch, ms, flops, official, peak))
            if not args.no_tflite:
                path = os.path.join(scratch, f"a2b_{size}.tflite")
                convert(saved, path, "a2b", (size, size))
                lite = TFLiteModel(path, "a2b", num_threads=args.threads or None)
                x = np.random.RandomState(0).uniform(-1, 1, (1, size, size, 3))
                x = x.astype(np.float32)
                ms = median_ms(lambda: lite(x), args.rounds)
                rows.append(row("tflite", size, 1, ms, flops, official, peak))
    return {"rows": rows, "matmul_peak_gflops": peak, **process_facts()}


def row(runtime, size, batch, ms, gflop, official_gflop, peak):
    out = {"runtime": runtime, "size": size, "batch": batch, "ms_per_image": ms,
           "gflop_per_image": gflop, "achieved_gflops": gflop / (ms / 1e3),
           "fraction_of_peak": gflop / (ms / 1e3) / peak}
    if official_gflop:
        out["effective_fraction_of_peak"] = official_gflop / (ms / 1e3) / peak
    return out


def main():
    from unit_tf.export.serving import CONVOLUTIONS  # the kinds unit-tf export writes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no_tflite", action="store_true")
    parser.add_argument("--official_gflop", type=float, default=0.0)
    parser.add_argument("--convolutions", default=CONVOLUTIONS[0], choices=CONVOLUTIONS)
    add_process_flags(parser, "unset,0,1", "benchmarks/results/translate.json")
    args = parser.parse_args()
    name = f"{args.family}-{args.convolutions}-{threads_key(args)}"
    results = per_onednn_setting(__file__, args, measure, name)
    if results is None:
        return
    print(name)
    print(f"{'oneDNN':<8}{'runtime':<12}{'size':>6}{'batch':>6}{'ms/img':>9}{'GFLOP':>8}"
          f"{'frac':>7}{'eff.frac':>9}{'peak':>7}")
    for setting, result in results.items():
        for r in result["rows"]:
            print(f"{setting:<8}{r['runtime']:<12}{r['size']:>6}{r['batch']:>6}"
                  f"{r['ms_per_image']:>9.1f}{r['gflop_per_image']:>8.1f}"
                  f"{r['fraction_of_peak']:>7.2f}"
                  f"{r.get('effective_fraction_of_peak', float('nan')):>9.2f}"
                  f"{result['matmul_peak_gflops']:>7.1f}")


if __name__ == "__main__":
    main()
