"""Where a training step's time goes at each image size: the step's kernels, profiled, summed by
op class, per step and per pixel, beside each class's FLOPs and GFLOP/s.

benchmarks/scaling.py shows the time per pixel rising at small images; this says which kernels
it rises in. Per size, in a fresh process (TensorFlow's default oneDNN setting unless --onednn):
the step of benchmarks/train_step.py's configuration, --warmup untimed steps, --steps timed ones
(median), then --profiled steps under the TensorFlow profiler. From the profile (the host
plane's executor threads, "tf_Compute"), each kernel's exclusive time (its span less the kernels
nested in it) is summed by op type and class (CLASSES; oneDNN's "_Mkl"/"_MklNative" prefixes
dropped); what the executor threads spend in `ExecutorState::Process` outside any kernel is the
"executor" row. Times are thread-time: with the default inter-op pool two kernels run side by
side on 2 cores, so a class's milliseconds add up to about threads x the step, and a kernel's
span includes its waits for a core. Each class's share of that total, its nanoseconds per pixel
and, for the convolution and matmul classes, its GFLOP/s (the analytic FLOPs of
unit_tf.profiling over its thread-time) show which work grows per pixel as the image shrinks.

    python benchmarks/size_profile.py [--family=unit] [--preset=official] [--sizes=64,128,256] \
        [--steps=5] [--warmup=2] [--profiled=2] [--threads=2] [--onednn=unset]
Writes benchmarks/results/size_profile.json and prints a table.
"""

import argparse
import collections
import glob
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, median_spread, per_size,  # noqa: E402
                          process_facts, set_threads, write_json)

# op class -> op types (after dropping oneDNN's prefixes); the first class that names a type
# wins; types no class names are "other"
CLASSES = {
    "winograd products": ("BatchMatMulV2", "BatchMatMulV3", "BatchMatMul"),
    "matmuls (transforms, dense)": ("MatMul", "FusedMatMul"),
    "convolutions": ("Conv2D", "FusedConv2D", "PadWithConv2D", "PadWithFusedConv2D",
                     "Conv2DBackpropInput", "Conv2DBackpropFilter",
                     "Conv2DBackpropFilterWithBias", "DepthwiseConv2dNative"),
    "norms": ("FusedBatchNormV3", "FusedBatchNormGradV3", "FusedBatchNormEx", "Mean",
              "SquaredDifference", "Rsqrt", "RsqrtGrad"),
    "gathers and scatters": ("GatherV2", "GatherNd", "UnsortedSegmentSum", "TensorScatterAdd",
                             "ScatterNd"),
    "padding": ("MirrorPad", "MirrorPadGrad", "Pad", "PadV2"),
    "layout (transpose, concat, slice)": ("Transpose", "ConcatV2", "Slice", "StridedSlice",
                                          "StridedSliceGrad", "Split", "SplitV", "Tile",
                                          "DepthToSpace", "SpaceToDepth"),
    "optimizer": ("ResourceApplyAdam", "ResourceApplyAdamWithAmsgrad", "AssignAdd",
                  "AssignSub", "Assign", "AssignVariableOp", "AssignAddVariableOp"),
}
# the FLOP counter's op types (unit_tf.profiling) per class, for GFLOP/s
FLOP_TYPES = {"winograd products": ("BatchMatMulV2", "BatchMatMulV3"),
              "matmuls (transforms, dense)": ("MatMul",),
              "convolutions": ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")}
EXECUTOR_EVENT = "ExecutorState::Process"
EXECUTOR = "executor (outside kernels)"
OTHER = "other element-wise and small ops"


def op_type(event_name):
    """'node:_MklNativeConv2D' -> 'Conv2D'; None for events that are not kernels (executor and
    thread-pool trace points, 'ParallelFor', allocations)."""
    if event_name.count(":") != 1:
        return None
    kind = event_name.split(":")[1]
    for prefix in ("_MklNative", "_Mkl"):
        if kind.startswith(prefix):
            return kind[len(prefix):]
    return kind or None


def op_class(kind):
    for name, kinds in CLASSES.items():
        if kind in kinds:
            return name
    return OTHER


def executor_times(xspace):
    """{op type: [kernels, exclusive seconds]} plus {EXECUTOR: [spans, seconds outside
    kernels]} over the host plane's executor threads ("tf_Compute" lines) of an XSpace."""
    totals = collections.defaultdict(lambda: [0, 0.0])
    for plane in xspace.planes:
        names = {k: v.name for k, v in plane.event_metadata.items()}
        for line in plane.lines:
            if not line.name.startswith("tf_Compute"):
                continue
            events = sorted(((e.offset_ps, e.offset_ps + e.duration_ps,
                              names.get(e.metadata_id, "")) for e in line.events),
                            key=lambda e: (e[0], -e[1]))  # an enclosing span first
            stack = []  # open spans: [end, kind, start, ps of the spans directly inside]

            def close(until):
                while stack and stack[-1][0] <= until:
                    end, kind, start, inner = stack.pop()
                    seconds = (end - start - inner) / 1e12
                    totals[kind][0] += 1
                    totals[kind][1] += seconds
                    if stack:
                        stack[-1][3] += end - start

            for start, end, name in events:
                close(start)
                kind = EXECUTOR if name == EXECUTOR_EVENT else op_type(name)
                if kind is not None:
                    stack.append([end, kind, start, 0])
            close(float("inf"))
    return dict(totals)


def by_class(times, steps, pixels, flops_by_type):
    """Per class: ms per step, share of the total, ns per pixel, kernels per step and (where
    FLOP_TYPES names it) GFLOP/s; `times` from executor_times over `steps` profiled steps."""
    classes = collections.defaultdict(lambda: [0, 0.0])
    for kind, (count, seconds) in times.items():
        name = kind if kind == EXECUTOR else op_class(kind)
        classes[name][0] += count
        classes[name][1] += seconds
    total = sum(seconds for _, seconds in classes.values())
    rows = {}
    for name, (count, seconds) in sorted(classes.items(), key=lambda kv: -kv[1][1]):
        per_step = seconds / steps
        row = {"ms_per_step": per_step * 1e3, "share": seconds / total if total else 0.0,
               "ns_per_pixel": per_step / pixels * 1e9, "events_per_step": count / steps}
        if name in FLOP_TYPES and per_step > 0:
            gflop = sum(flops_by_type.get(k, 0.0) for k in FLOP_TYPES[name]) / 1e9
            row["gflop_per_step"] = gflop
            row["gflops"] = gflop / per_step
        rows[name] = row
    return rows


def measure(args):
    import tensorflow as tf
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    from train_step import built_step, run_step, timed_steps
    from unit_tf.profiling import function_flops

    set_threads(args.threads, args.inter_op_threads)
    pixels = args.batch * args.size * args.size
    with tempfile.TemporaryDirectory() as model_dir, tempfile.TemporaryDirectory() as logdir:
        _, compiled, batch = built_step(args, model_dir)
        flops_by_type = collections.Counter()
        flops = function_flops(compiled, batch, by_type=flops_by_type)

        times = timed_steps(compiled, batch, args.warmup, args.steps)
        tf.profiler.experimental.start(logdir)
        for _ in range(args.profiled):
            run_step(compiled, batch)
        tf.profiler.experimental.stop()
        space = xplane_pb2.XSpace()
        paths = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
        if not paths:
            raise SystemExit(f"the profiler wrote no .xplane.pb under {logdir}")
        with open(paths[0], "rb") as f:
            space.ParseFromString(f.read())
    times_by_type = executor_times(space)
    seconds = median_spread(times)[0]
    return {"size": args.size, "batch": args.batch, "seconds_per_step": seconds,
            "us_per_pixel": seconds / pixels * 1e6, "gflop_per_step": flops / 1e9,
            "thread_ms_per_step": sum(s for _, s in times_by_type.values()) / args.profiled * 1e3,
            "classes": by_class(times_by_type, args.profiled, pixels, flops_by_type),
            "top_op_types": {k: {"events_per_step": c / args.profiled,
                                 "ms_per_step": s / args.profiled * 1e3}
                             for k, (c, s) in sorted(times_by_type.items(),
                                                     key=lambda kv: -kv[1][1])[:15]},
            **process_facts()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--preset", default="official")
    parser.add_argument("--sizes", default="64,128,256")
    parser.add_argument("--size", type=int, default=64, help=argparse.SUPPRESS)  # a child's
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--xla", action="store_true")
    parser.add_argument("--reuse_fakes", action="store_true")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--profiled", type=int, default=2)
    add_process_flags(parser, "unset", "benchmarks/results/size_profile.json")
    args = parser.parse_args()
    points = per_size(__file__, args, measure)
    if points is None:
        return
    write_json(args.out, {"family": args.family, "preset": args.preset, "onednn": args.onednn,
                          "command": "python benchmarks/size_profile.py " +
                          " ".join(sys.argv[1:]), "by_size": points})
    print_table(points)


def print_table(points):
    names = list(points[-1]["classes"])
    names += [n for p in points for n in p["classes"] if n not in names]
    print(f"{'size':>5}{'s/step':>8}{'us/px':>8}{'thread ms':>11}")
    for p in points:
        print(f"{p['size']:>5}{p['seconds_per_step']:>8.3f}{p['us_per_pixel']:>8.1f}"
              f"{p['thread_ms_per_step']:>11.0f}")
    print(f"\n{'class (ns per pixel; GFLOP/s)':<36}" +
          "".join(f"{p['size']:>16}" for p in points))
    for name in names:
        cells = []
        for p in points:
            row = p["classes"].get(name)
            cell = "-" if row is None else f"{row['ns_per_pixel']:.0f}" + (
                f" ({row['gflops']:.0f})" if "gflops" in row else "")
            cells.append(f"{cell:>16}")
        print(f"{name[:35]:<36}" + "".join(cells))


if __name__ == "__main__":
    main()
