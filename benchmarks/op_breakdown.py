"""Where a training step's time goes: every convolution and matmul of the traced step, run on its
own, per oneDNN setting.

In a fresh process per setting: the step of train_step.py's configuration is built and traced;
unit_tf.profiling records each conv/matmul op (type, shapes, attributes); identical ops are
grouped, and each group is run alone through tf.raw_ops (random inputs, best of --repeats after
a warm-up). The whole step is timed too (median of --steps). Reports per op type the summed time
and GFLOP/s, the costliest groups, and what is left of the step for everything else
(element-wise work, norms, the optimiser, overheads).

    python benchmarks/op_breakdown.py [--family=unit] [--preset=official] [--size=128] \
        [--onednn=unset,0] [--threads=2] [--top=12]
Writes benchmarks/results/op_breakdown.json and prints a table.
"""

import argparse
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, matmul_peak, median_spread,  # noqa: E402
                          per_onednn_setting, process_facts, set_threads,
                          threads_key)
from train_step import experiment  # noqa: E402

ARGUMENTS = {"Conv2D": ("input", "filter"),
             "Conv2DBackpropInput": ("input_sizes", "filter", "out_backprop"),
             "Conv2DBackpropFilter": ("input", "filter_sizes", "out_backprop"),
             "MatMul": ("a", "b"), "BatchMatMulV2": ("x", "y"), "BatchMatMulV3": ("x", "y")}


def group_key(record):
    return json.dumps([record["type"], record["inputs"],
                       {k: (v.decode() if isinstance(v, bytes) else v)
                        for k, v in record["attrs"].items()}], sort_keys=True)


def runner(record):
    """A tf.function running the recorded op alone on random inputs."""
    import tensorflow as tf

    values = []
    for i, (spec, dtype) in enumerate(record["inputs"]):
        if dtype.startswith(("float", "bfloat")):
            values.append(tf.random.stateless_normal(spec, seed=[i, 1], dtype=dtype))
        else:
            values.append(tf.constant(spec, dtype=dtype))
    kwargs = dict(zip(ARGUMENTS[record["type"]], values))
    attrs = dict(record["attrs"])
    if record["type"] == "BatchMatMulV3":
        attrs["Tout"] = values[0].dtype
    op = getattr(tf.raw_ops, record["type"])
    return tf.function(lambda: op(**kwargs, **attrs))


def measure(args):
    import tempfile

    import tensorflow as tf

    from unit_tf.profiling import best_seconds, function_flops
    from unit_tf.training import build_training
    from unit_tf.training.runtime import set_precision

    set_threads(args.threads, args.inter_op_threads)
    peak = matmul_peak()
    with tempfile.TemporaryDirectory() as model_dir:
        config = experiment(args.family, args.preset, args.size, 1, "float32", False, model_dir)
        set_precision("float32")
        _, step, _ = build_training(config, tf.distribute.get_strategy())
        step.build()
        batch = {d: tf.random.stateless_uniform([1, args.size, args.size, 3], [i, 7], -1.0, 1.0)
                 for i, d in enumerate("ab")}
        compiled = tf.function(step)
        records = []
        total_flops = function_flops(compiled, batch, ops=records)
        times = []
        for i in range(args.steps + 1):
            start = time.perf_counter()
            float(next(iter(compiled(batch).values())).numpy())
            if i:
                times.append(time.perf_counter() - start)
    step_seconds = median_spread(times)[0]
    groups = collections.OrderedDict()
    for record in records:
        groups.setdefault(group_key(record), {"record": record, "count": 0})["count"] += 1
    rows = []
    for group in groups.values():
        record = group["record"]
        run = runner(record)
        seconds = best_seconds(lambda: run().numpy(), args.repeats)
        kernel = next((s for s, d in record["inputs"] if len(s) == 4 and record["type"] !=
                       "Conv2DBackpropFilter" and d.startswith("float")), None)
        rows.append({"type": record["type"], "count": group["count"],
                     "inputs": [s for s, _ in record["inputs"]],
                     "seconds_each": seconds, "seconds_total": seconds * group["count"],
                     "gflops": record["flops"] / seconds / 1e9,
                     "gflop_total": record["flops"] * group["count"] / 1e9,
                     "example": record["name"], "first_input": kernel})
    rows.sort(key=lambda r: -r["seconds_total"])
    by_type = collections.defaultdict(lambda: {"seconds": 0.0, "gflop": 0.0, "ops": 0})
    for r in rows:
        t = by_type[r["type"]]
        t["seconds"] += r["seconds_total"]
        t["gflop"] += r["gflop_total"]
        t["ops"] += r["count"]
    ops_seconds = sum(r["seconds_total"] for r in rows)
    return {"step_seconds": step_seconds, "step_gflop": total_flops / 1e9,
            "matmul_peak_gflops": peak,
            "conv_matmul_seconds_alone": ops_seconds,
            "other_seconds": step_seconds - ops_seconds,
            "by_type": {k: {**v, "gflops": v["gflop"] / v["seconds"]} for k, v in by_type.items()},
            "top": rows[:args.top], **process_facts()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--preset", default="official")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    add_process_flags(parser, "unset,0", "benchmarks/results/op_breakdown.json")
    args = parser.parse_args()
    name = f"{args.family}-{args.preset}-{args.size}px-{threads_key(args)}"
    results = per_onednn_setting(__file__, args, measure, name)
    for setting, r in (results or {}).items():
        print(f"{name}, oneDNN {setting}: step {r['step_seconds']:.3f} s, {r['step_gflop']:.1f} "
              f"GFLOP; conv/matmul alone {r['conv_matmul_seconds_alone']:.3f} s; other "
              f"{r['other_seconds']:.3f} s; matmul peak {r['matmul_peak_gflops']:.0f} GFLOP/s")
        for op_type, t in sorted(r["by_type"].items(), key=lambda kv: -kv[1]["seconds"]):
            print(f"  {op_type:<22}{t['ops']:>5} ops {t['seconds']:>8.3f} s {t['gflops']:>7.1f} "
                  f"GFLOP/s")
        for row in r["top"][:6]:
            print(f"    {row['type']:<22}x{row['count']:<3}{row['seconds_total']:>7.3f} s "
                  f"{row['gflops']:>7.1f} GFLOP/s  {row['inputs']}")


if __name__ == "__main__":
    main()
