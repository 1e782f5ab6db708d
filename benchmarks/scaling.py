"""How a training step's time grows with image size and batch: the cost per pixel should stay
flat (the networks are fully convolutional, so work is linear in pixels).

Runs benchmarks/train_step.py's measurement (one process per point, TensorFlow's default oneDNN
setting unless --onednn) for --sizes at batch 1 and for --batches at --batch_size, and reports
seconds per step, microseconds per pixel (seconds / (batch * size^2)), the analytic FLOPs per
pixel, the fraction of the same process's matmul peak, and per-pixel time relative to the first
point of each series.

    python benchmarks/scaling.py [--family=unit] [--preset=official] [--sizes=64,128,256,512] \
        [--batches=1,2,4] [--batch_size=128] [--steps=3] [--warmup=1] [--onednn=unset]
Writes benchmarks/results/scaling.json and prints a table.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import flatness, linear_cost, run_child, write_json  # noqa: E402

TRAIN_STEP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_step.py")


def point(args, size, batch):
    r = run_child(TRAIN_STEP, [f"--family={args.family}", f"--preset={args.preset}",
                               f"--size={size}", f"--batch={batch}", f"--steps={args.steps}",
                               f"--warmup={args.warmup}", f"--threads={args.threads}",
                               f"--inter_op_threads={args.inter_op_threads}"],
                  args.onednn)
    pixels = batch * size * size
    return {"size": size, "batch": batch, "seconds_per_step": r["seconds_per_step"],
            "us_per_pixel": r["seconds_per_step"] / pixels * 1e6,
            "kflop_per_pixel": r["gflop_per_step"] * 1e6 / pixels,
            "fraction_of_peak": r["fraction_of_peak"],
            "matmul_peak_gflops": r["matmul_peak_gflops"], "peak_rss_mb": r["peak_rss_mb"],
            "load_average_1m": r["load_average_1m"]}


def relative(series):
    for p in series:
        p["per_pixel_vs_first"] = p["us_per_pixel"] / series[0]["us_per_pixel"]
    return series


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--preset", default="official")
    parser.add_argument("--sizes", default="64,128,256,512")
    parser.add_argument("--batches", default="1,2,4")
    parser.add_argument("--batch_size", type=int, default=128, help="image size of the batch series")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--inter_op_threads", type=int, default=0, help="0: TF's default")
    parser.add_argument("--onednn", default="unset")
    parser.add_argument("--out", default="benchmarks/results/scaling.json")
    args = parser.parse_args()
    result = {"family": args.family, "preset": args.preset, "onednn": args.onednn,
              "threads": args.threads,
              "inter_op_threads": args.inter_op_threads, "steps_timed": args.steps,
              "by_size": relative([point(args, int(s), 1) for s in args.sizes.split(",")]),
              "by_batch": relative([point(args, args.batch_size, int(b))
                                    for b in args.batches.split(",")])}
    result["flatness"] = {series: flatness(result[series]) for series in ("by_size", "by_batch")}
    result["linear_cost"] = {series: linear_cost(result[series])
                             for series in ("by_size", "by_batch")}
    write_json(args.out, result)
    print(f"{'series':<8}{'size':>6}{'batch':>6}{'s/step':>9}{'us/px':>9}{'kFLOP/px':>10}"
          f"{'vs first':>9}{'frac':>7}")
    for series in ("by_size", "by_batch"):
        for p in result[series]:
            print(f"{series:<8}{p['size']:>6}{p['batch']:>6}{p['seconds_per_step']:>9.3f}"
                  f"{p['us_per_pixel']:>9.2f}{p['kflop_per_pixel']:>10.1f}"
                  f"{p['per_pixel_vs_first']:>9.2f}{p['fraction_of_peak']:>7.2f}")
        print(f"{series}: per-pixel time max/min - 1 = "
              f"{result['flatness'][series]['per_pixel_spread']:.2f} "
              f"({result['flatness'][series]['per_pixel_spread_without_first']:.2f} without "
              f"the first point); fit: {result['linear_cost'][series]['fixed_seconds_per_step']} "
              f"s per step + {result['linear_cost'][series]['marginal_us_per_pixel']} us per pixel")


if __name__ == "__main__":
    main()
