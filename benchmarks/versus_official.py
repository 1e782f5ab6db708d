"""unit_tf against the official UNIT code's framework on the same CPU, in one run.

One after the other, each in its own process (same threads per op, nothing else running; ours
with TensorFlow's default inter-op threads, as `unit-tf train` and a loaded SavedModel run):
  1. PyTorch: the official UNIT master networks and iteration (benchmarks/official_torch.py,
     checked against the official parity fixtures by tests/benchmarks): seconds per training
     iteration at each --sizes (median of --steps after --warmup) and ms per 256^2 translation
     (eval mode, no_grad, encode + decode, median of --rounds), plus that process's matmul
     peak (torch and NumPy, 4096^2 float32, best of 5);
  2. unit_tf: benchmarks/train_step.py (UNIT official preset, float32, batch 1, TensorFlow's
     default oneDNN setting) at the same sizes, and benchmarks/translate.py (the SavedModel's
     a2b signature at 256^2, batch 1), exported as `unit-tf export` does by default (wide 3x3
     convolutions by Winograd F(4x4, 3x3), ordinary ops), with `--convolutions=winograd_2x2`
     (F(2x2, 3x3), ordinary ops), with `--convolutions=direct`, and with
     `--convolutions=winograd_xla` (F(2x2, 3x3), XLA tile transforms; the runtime must run
     XLA).
  3. with --translation_pairs=N: N alternating pairs of processes, the official translation's
     (no training before it) then our default export's, each pair's ratio and their median
     (a slow phase of this shared host moves single runs by 20-40%; within a pair both sides
     see about the same host).
The ratio is official seconds / our seconds (> 1: unit_tf is faster). Each side's time is also
given as a fraction of the run's matmul peak (the best any of its processes measured), on the
official FLOP counts (656 and
2,626 GFLOP per 128^2 / 256^2 iteration, 142 GFLOP per 256^2 translation; scaled by pixels for
other sizes).

    python benchmarks/versus_official.py [--sizes=128,256] [--steps=10] [--warmup=2] \
        [--rounds=10] [--threads=2] [--translation_pairs=0] \
        [--out=benchmarks/results/versus_official.json]
Writes JSON and prints a table.
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from speed_common import (flatness, linear_cost, median_ms, median_spread,  # noqa: E402
                          per_pixel_series, process_facts, run_child, write_json)

OFFICIAL_TRAIN_GFLOP_256 = 2626.0
OFFICIAL_TRANSLATE_GFLOP_256 = 142.0


def official_gflop(per_256, size):
    return per_256 * (size / 256) ** 2


def torch_matmul_peak(torch, size=4096, repeats=5):
    import numpy as np

    from unit_tf.profiling import best_seconds

    a, b = torch.randn(size, size), torch.randn(size, size)

    def best(fn):
        return 2 * size ** 3 / best_seconds(fn, repeats) / 1e9

    torch_gflops = best(lambda: torch.mm(a, b))
    a, b = a.numpy(), b.numpy()
    numpy_gflops = best(lambda: np.dot(a, b))
    return {"torch_matmul_gflops": round(torch_gflops, 1),
            "numpy_matmul_gflops": round(numpy_gflops, 1),
            "matmul_peak_gflops": round(max(torch_gflops, numpy_gflops), 1)}


def measure_torch(args):
    import torch

    from official_torch import OfficialUNITIteration

    torch.set_num_threads(args.threads)
    result = {"torch": torch.__version__, **torch_matmul_peak(torch), "train": {}}
    iteration = OfficialUNITIteration()
    for size in [int(s) for s in args.sizes.split(",") if s]:
        x_a, x_b = (torch.rand(1, 3, size, size) * 2 - 1 for _ in "ab")
        times = []
        for i in range(args.warmup + args.steps):
            start = time.perf_counter()
            iteration(x_a, x_b)
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
        median, low, high = median_spread(times)
        result["train"][str(size)] = {"seconds_per_step": median, "min": low, "max": high}
    gen = iteration.gen_a.eval()
    x = torch.rand(1, 3, 256, 256) * 2 - 1

    def translate():
        with torch.no_grad():
            hidden, _ = gen.encode(x)
            return gen.decode(hidden)

    result["translate_256_ms"] = median_ms(translate, args.rounds)
    result.update({k: v for k, v in process_facts().items()
                   if k in ("peak_rss_mb", "load_average_1m", "machine")})
    return result


def ours(args):
    common = [f"--threads={args.threads}"]
    train = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        train[str(size)] = run_child(os.path.join(HERE, "train_step.py"), [
            f"--size={size}", f"--steps={args.steps}", f"--warmup={args.warmup}",
            f"--official_gflop={official_gflop(OFFICIAL_TRAIN_GFLOP_256, size)}", *common],
            "unset")
    translate = {export: our_translation(args, extra)
                 for export, extra in TRANSLATION_EXPORTS.items()}
    return train, translate


def our_translation(args, extra=()):
    """translate.py's result for our SavedModel (a2b, 256^2, batch 1), exported with `extra`."""
    return run_child(os.path.join(HERE, "translate.py"), [
        "--sizes=256", "--batches=1", "--no_tflite", f"--rounds={args.rounds}",
        f"--official_gflop={OFFICIAL_TRANSLATE_GFLOP_256}", f"--threads={args.threads}",
        *extra], "unset")


def translation_pairs(args):
    """--translation_pairs alternating pairs of processes, the official translation's (no
    training before it) then ours (the default export): each pair's two medians are measured
    within about a minute of each other, so a slow phase of the host weighs on both."""
    pairs = []
    for _ in range(args.translation_pairs):
        official = run_child(os.path.abspath(__file__), [
            "--sizes=", f"--rounds={args.rounds}", f"--threads={args.threads}"], "unset")
        mine = our_translation(args)
        pairs.append({"official_ms": official["translate_256_ms"],
                      "ours_ms": mine["rows"][0]["ms_per_image"],
                      "official_matmul_peak_gflops": official["matmul_peak_gflops"],
                      "ours_matmul_peak_gflops": mine["matmul_peak_gflops"]})
    return pairs


def pairs_summary(pairs):
    """Each pair's official / ours, their median, least and greatest, and each side's median
    time."""
    import statistics

    speedups = [p["official_ms"] / p["ours_ms"] for p in pairs]
    return {"pairs": len(pairs), "speedups": [round(r, 3) for r in speedups],
            "median_speedup": statistics.median(speedups), "min_speedup": min(speedups),
            "max_speedup": max(speedups),
            "official_median_ms": statistics.median(p["official_ms"] for p in pairs),
            "ours_median_ms": statistics.median(p["ours_ms"] for p in pairs)}


# how our SavedModel is exported -> translate.py's extra flags
TRANSLATION_EXPORTS = {"default": [],
                       "--convolutions=winograd_2x2": ["--convolutions=winograd_2x2"],
                       "--convolutions=direct": ["--convolutions=direct"],
                       "--convolutions=winograd_xla": ["--convolutions=winograd_xla"]}


def compare(official, train, translate):
    """Rows of official / ours; fractions are of the run's best matmul peak (the highest any of
    its processes measured: the machine's, whichever library reaches it). `translate`:
    {export: translate.py's result}."""
    peak = max([official["matmul_peak_gflops"]]
               + [t["matmul_peak_gflops"] for t in translate.values()]
               + [t["matmul_peak_gflops"] for t in train.values()])
    rows = []
    for size, ours_step in train.items():
        gflop = official_gflop(OFFICIAL_TRAIN_GFLOP_256, int(size))
        rows.append(row(f"UNIT official train iteration {size}^2", "s", gflop,
                        official["train"][size]["seconds_per_step"],
                        ours_step["seconds_per_step"], peak))
    for export, result in translate.items():
        rows.append(row(f"UNIT official translation 256^2 (SavedModel a2b, export {export})",
                        "ms", OFFICIAL_TRANSLATE_GFLOP_256 * 1e3, official["translate_256_ms"],
                        result["rows"][0]["ms_per_image"], peak))
    return rows, peak


def per_pixel(official, train):
    """Each side's training time per pixel by size, its spread (max / min - 1) and the linear
    fit of its time (a fixed part per step, a cost per pixel): whether the official code's cost
    per pixel is any flatter than ours from the smallest size up, and why neither is."""
    result = {}
    for side, steps in (("official", official["train"]), ("ours", train)):
        series = per_pixel_series({size: r["seconds_per_step"] for size, r in steps.items()})
        result[side] = {"us_per_pixel": {str(p["size"]): round(p["us_per_pixel"], 2)
                                         for p in series},
                        **flatness(series), **linear_cost(series)}
    return result


def row(what, unit, gflop_times_unit, theirs, mine, peak):
    """gflop_times_unit: the official FLOPs (GFLOP) per measured item, over the time unit."""
    return {"what": what, "unit": unit, "official": theirs, "ours": mine,
            "speedup": theirs / mine,
            "official_fraction_of_peak": gflop_times_unit / theirs / peak,
            "ours_fraction_of_peak": gflop_times_unit / mine / peak}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="128,256")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--translation_pairs", type=int, default=0,
                        help="then this many alternating pairs of translation processes, the "
                             "official's and our default export's, timed against each other")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "versus_official.json"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_torch(args)))
        return
    forwarded = [a for a in sys.argv[1:] if not a.startswith(("--out", "--translation_pairs"))]
    official = run_child(os.path.abspath(__file__), forwarded, "unset")
    train, translate = ours(args)
    rows, peak = compare(official, train, translate)
    result = {"rows": rows, "run_matmul_peak_gflops": peak, "official_torch": official,
              "ours_train": train, "ours_translate": translate,
              "train_per_pixel": per_pixel(official, train),
              "command": "python benchmarks/versus_official.py " + " ".join(sys.argv[1:])}
    if args.translation_pairs:
        pairs = translation_pairs(args)
        result["translation_pairs"] = {**pairs_summary(pairs), "measured": pairs}
    write_json(args.out, result)
    print(f"{'what':<72}{'official':>10}{'ours':>10}{'speedup':>9}{'off.frac':>9}"
          f"{'our frac':>9}")
    for r in rows:
        print(f"{r['what']:<72}{r['official']:>10.3f}{r['ours']:>10.3f}{r['speedup']:>9.2f}"
              f"{r['official_fraction_of_peak']:>9.2f}{r['ours_fraction_of_peak']:>9.2f}")
    for side, p in result["train_per_pixel"].items():
        print(f"{side} training, us per pixel by size: "
              f"{', '.join(f'{s}^2 {v:.1f}' for s, v in p['us_per_pixel'].items())}; "
              f"max / min - 1 = {p['per_pixel_spread']}; fit: "
              f"{p['fixed_seconds_per_step']} s per step + {p['marginal_us_per_pixel']} us per "
              "pixel")
    if args.translation_pairs:
        summary = result["translation_pairs"]
        print(f"translation 256^2, default export, {summary['pairs']} alternating pairs: "
              f"official / ours {', '.join(map(str, summary['speedups']))}; median "
              f"{summary['median_speedup']:.2f}")


if __name__ == "__main__":
    main()
