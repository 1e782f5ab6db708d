"""Training-step speed of one family/preset against the same process's matmul peak.

Builds the model, objective, optimisers and step exactly as `unit-tf train` does
(unit_tf.training.build_training) and feeds it synthetic batches (the input pipeline is measured
separately: benchmarks/data_pipeline.py). Each configuration runs in its own process (oneDNN is
fixed when TensorFlow loads); in it: the float32 matmul peak (4096^2, best of 5), then `--warmup`
steps, then `--steps` timed steps. Reports seconds/step (median, min, max), images/s, the step's
analytic FLOPs (unit_tf.profiling: convolutions and matmuls of the traced step), achieved GFLOP/s
and its fraction of the matmul peak, peak RSS and the load average. With --official_gflop, also
the "effective throughput": the official code's FLOPs per step divided by our seconds per step
(so a step that does less work than the official one gets the credit), and its fraction of the
peak.

    python benchmarks/train_step.py --family=unit --preset=official --size=128 \
        [--batch=1] [--precision=float32] [--xla] [--reuse_fakes] [--onednn=unset,0,1] \
        [--threads=2] \
        [--steps=10] [--warmup=2] [--official_gflop=656] [--out=benchmarks/results/train_step.json]
Writes JSON (one entry per oneDNN setting, appended to an existing file under a key naming the
configuration) and prints a table.
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, matmul_peak, median_spread,  # noqa: E402
                          per_onednn_setting, process_facts, set_threads,
                          threads_key)


def experiment(family, preset, size, batch, precision, xla, model_dir, reuse_fakes=False):
    import dataclasses

    from unit_tf.config import DataConfig, ExperimentConfig, RuntimeConfig, TrainConfig, defaults

    base = defaults(family, preset if family == "unit" else "official")
    return ExperimentConfig(
        family=family, model=base.model, loss_weights=base.loss_weights,
        # junyanz's epoch schedules need an epoch length; the data set's does not matter here
        optim=dataclasses.replace(base.optim, reuse_fakes=reuse_fakes,
                                  steps_per_epoch=base.optim.steps_per_epoch or 1000),
        data=DataConfig(data_dir=model_dir, load_size=size, crop_size=size, batch_size=batch),
        runtime=RuntimeConfig(precision=precision, jit_compile=xla, seed=0),
        train=TrainConfig(model_dir=model_dir))


def built_step(args, model_dir):
    """(model, the training step as a tf.function, a synthetic batch {"a", "b"}) for args'
    family, preset, size, batch, precision, xla and reuse_fakes, built as `unit-tf train`
    builds them."""
    import tensorflow as tf

    from unit_tf.training import build_training
    from unit_tf.training.runtime import set_precision

    config = experiment(args.family, args.preset, args.size, args.batch, args.precision,
                        args.xla, model_dir, args.reuse_fakes)
    set_precision(args.precision)
    model, step, _ = build_training(config, tf.distribute.get_strategy())
    step.build()
    shape = [args.batch, args.size, args.size, 3]
    batch = {d: tf.random.stateless_uniform(shape, [i, 7], -1.0, 1.0)
             for i, d in enumerate("ab")}
    return model, tf.function(step), batch


def run_step(compiled, batch):
    """One step, waited for (its first log read back)."""
    logs = compiled(batch)
    float(next(iter(logs.values())).numpy())


def timed_steps(compiled, batch, warmup, steps):
    """Seconds of each of `steps` steps after `warmup` untimed ones."""
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        run_step(compiled, batch)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


def measure(args):
    import collections

    from unit_tf.profiling import function_flops

    set_threads(args.threads, args.inter_op_threads)
    peak = matmul_peak()
    with tempfile.TemporaryDirectory() as model_dir:
        model, compiled, batch = built_step(args, model_dir)
        by_type = collections.Counter()
        flops = function_flops(compiled, batch, by_type=by_type)
        times = timed_steps(compiled, batch, args.warmup, args.steps)
    median, low, high = median_spread(times)
    result = {"seconds_per_step": median, "min": low, "max": high, "steps_timed": len(times),
              "images_per_second": args.batch / median,
              "gflop_per_step": flops / 1e9,
              "gflop_by_op": {k: round(v / 1e9, 2) for k, v in by_type.items()},
              "achieved_gflops": flops / 1e9 / median, "matmul_peak_gflops": peak,
              "fraction_of_peak": flops / 1e9 / median / peak,
              "parameters": int(sum(v.shape.num_elements() for v in model.trainable_variables)),
              **process_facts()}
    if args.official_gflop:
        result["official_gflop_per_step"] = args.official_gflop
        result["effective_gflops"] = args.official_gflop / median
        result["effective_fraction_of_peak"] = args.official_gflop / median / peak
    return result


def key(args):
    return (f"{args.family}-{args.preset}-{args.size}px-b{args.batch}-{args.precision}"
            f"{'-xla' if args.xla else ''}{'-reuse_fakes' if args.reuse_fakes else ''}"
            f"-{threads_key(args)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--preset", default="official")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--xla", action="store_true")
    parser.add_argument("--reuse_fakes", action="store_true",
                        help="the D update judges the G update's translations (optim.reuse_fakes)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--official_gflop", type=float, default=0.0)
    add_process_flags(parser, "unset,0,1", "benchmarks/results/train_step.json")
    args = parser.parse_args()
    rows = per_onednn_setting(__file__, args, measure, key(args))
    if rows:
        print_table(key(args), rows)


def print_table(name, rows):
    print(name)
    print(f"{'oneDNN':<8}{'s/step':>9}{'spread':>15}{'GFLOP':>9}{'GFLOP/s':>9}{'peak':>8}"
          f"{'frac':>7}{'eff.frac':>9}{'RSS MB':>8}{'load':>6}")
    for setting, r in rows.items():
        print(f"{setting:<8}{r['seconds_per_step']:>9.3f}{r['min']:>7.3f}-{r['max']:<7.3f}"
              f"{r['gflop_per_step']:>9.1f}{r['achieved_gflops']:>9.1f}"
              f"{r['matmul_peak_gflops']:>8.1f}{r['fraction_of_peak']:>7.2f}"
              f"{r.get('effective_fraction_of_peak', float('nan')):>9.2f}"
              f"{r['peak_rss_mb']:>8}{r['load_average_1m']:>6.1f}")


if __name__ == "__main__":
    main()
