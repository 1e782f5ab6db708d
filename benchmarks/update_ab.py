"""The training step against an earlier formulation of it, in ONE process, alternating.

--change=update. "current": the step as `unit-tf train` builds it (unit_tf.training.build_training): Adam through
one ResourceApplyAdam kernel per variable (unit_tf.training.fused_adam), coupled decay as one
l2_loss kernel per variable, and the phase decoder's edge lines read through a custom gradient.
"earlier": the same model, objective and step with Keras' own Adam (about ten element-wise ops
per variable), the penalty as 0.5 * sum(square(v)) and the edge lines' plain slice gradients,
as the code was before those changes (the two module functions are swapped while that step is
traced, then restored).

--change=winograd. "current" as above, whose wide 3x3 stride-1 convolutions run by Winograd
while training (unit_tf.layers.winograd); "earlier": the same step object traced with Winograd
turned off (WINOGRAD_MIN_CHANNELS set out of reach while it is traced), i.e. the direct
convolutions.

--change=f4x4. "current" as above: training's Winograd is F(4x4, 3x3) from 32x32 outputs
(F(2x2, 3x3) below) with ordinary-op transforms and a written-out gradient; "earlier": the
same step object traced as training ran until 2026-12-07, F(2x2, 3x3) at every size with
XLA-compiled transforms (`winograd_transforms` answering "xla" for training calls while it is
traced).

--change=f4_everywhere. "current" as above; "earlier" (here the alternative under test, not an
earlier version): the same step object traced with F(4x4, 3x3) on maps under 32x32 outputs
too (WINOGRAD_F4_MIN_PIXELS 0 while it is traced), e.g. the 16x16 res-block maps of a 64^2
step, a third fewer multiply-adds there in GEMMs of a quarter of the rows.

Both steps update the same weights, one after the other, in pairs whose order alternates, so a
machine whose speed drifts (other tenants of the host) affects both alike; the figure is the
median over pairs of earlier/current seconds. Writes JSON (one entry per size) and a line each.

    python benchmarks/update_ab.py [--change update|winograd|f4x4] [--family unit|munit|cyclegan]
        [--sizes 128,256] [--rounds 8]  (also --change f4_everywhere)
        [--threads 2] [--out benchmarks/results/<change>_ab.json]
"""

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import matmul_peak, process_facts, set_threads, write_json  # noqa: E402
from train_step import experiment  # noqa: E402


def earlier_step(current, optim_config):
    """An AlternatingGANStep like `current` with Keras' Adam optimisers."""
    import keras

    from unit_tf.training.optim import learning_rate
    from unit_tf.training.step import AlternatingGANStep

    optimizers = {player: keras.optimizers.Adam(
        learning_rate=learning_rate(optim_config), beta_1=o.beta_1, beta_2=o.beta_2,
        epsilon=o.epsilon) for player, o in current.optimizers.items()}
    step = AlternatingGANStep(current.model, current.objective, optimizers,
                              current.weight_decay, current.coupled_weight_decay)
    step.build()
    return step


def traced_while(step, batch, replacements):
    """tf.function of `step`, traced while each (module, name, value) of `replacements` holds;
    the library is restored after, whatever happens."""
    import tensorflow as tf

    saved = [(module, name, getattr(module, name)) for module, name, _ in replacements]
    try:
        for module, name, value in replacements:
            setattr(module, name, value)
        compiled = tf.function(step.__call__)
        compiled(batch)
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
    return compiled


def traced_the_earlier_way(step, batch):
    """tf.function of `step`, traced with the earlier penalty and edge-line gradients."""
    import tensorflow as tf

    import unit_tf.layers.upsample as upsample
    import unit_tf.training.step as step_module

    def penalty(variables):
        return 0.5 * tf.add_n([tf.reduce_sum(tf.square(v)) for v in variables])

    def sliced(axis, n):
        return lambda t: upsample._outer_lines(t, axis, n)

    return traced_while(step, batch, [(step_module, "l2_penalty", penalty),
                                      (upsample, "_outer_lines_scattered", sliced)])


def traced_without_winograd(step, batch):
    """tf.function of `step`, traced with every convolution direct."""
    import unit_tf.layers.winograd as winograd

    return traced_while(step, batch, [(winograd, "WINOGRAD_MIN_CHANNELS", float("inf"))])


def traced_with_xla_f2x2(step, batch):
    """tf.function of `step`, traced with training's Winograd as F(2x2, 3x3) by XLA."""
    import unit_tf.layers.conv_block as conv_block
    import unit_tf.layers.upsample as upsample
    import unit_tf.layers.winograd as winograd

    def xla_while_training(training, padded_shape=None):
        return "xla" if training else winograd.winograd_transforms(training, padded_shape)

    return traced_while(step, batch, [(conv_block, "winograd_transforms", xla_while_training),
                                      (upsample, "winograd_transforms", xla_while_training)])


def traced_with_f4x4_everywhere(step, batch):
    """tf.function of `step`, traced with training's Winograd F(4x4, 3x3) at every map size."""
    import unit_tf.layers.winograd as winograd

    return traced_while(step, batch, [(winograd, "WINOGRAD_F4_MIN_PIXELS", 0)])


# change -> (the earlier step from (current step, optimiser config), its tracing from (step, batch))
EARLIER = {"update": (earlier_step, traced_the_earlier_way),
           "winograd": (lambda current, optim: current, traced_without_winograd),
           "f4x4": (lambda current, optim: current, traced_with_xla_f2x2),
           "f4_everywhere": (lambda current, optim: current, traced_with_f4x4_everywhere)}


def measure(size, rounds, change="update", family="unit"):
    import numpy as np
    import tensorflow as tf

    from unit_tf.training import build_training

    peak = matmul_peak()
    with tempfile.TemporaryDirectory() as model_dir:
        config = experiment(family, "official", size, 1, "float32", False, model_dir)
        _, current, _ = build_training(config, tf.distribute.get_strategy())
        current.build()
        batch = {d: tf.random.stateless_uniform([1, size, size, 3], [i, 7], -1.0, 1.0)
                 for i, d in enumerate("ab")}
        steps = {"current": tf.function(current.__call__)}
        steps["current"](batch)
        make_earlier, trace_earlier = EARLIER[change]
        steps["earlier"] = trace_earlier(make_earlier(current, config.optim), batch)

        def seconds(name):
            start = time.perf_counter()
            logs = steps[name](batch)
            float(next(iter(logs.values())).numpy())
            return time.perf_counter() - start

        for name in ("current", "earlier") * 2:  # warm-up
            seconds(name)
        times = {"current": [], "earlier": []}
        for r in range(rounds):
            for name in (("current", "earlier") if r % 2 == 0 else ("earlier", "current")):
                times[name].append(seconds(name))
    ratios = [e / c for e, c in zip(times["earlier"], times["current"])]
    return {"change": change, "family": family, "size": size, "rounds": rounds,
            "current_median_seconds": float(np.median(times["current"])),
            "earlier_median_seconds": float(np.median(times["earlier"])),
            "earlier_over_current_median": float(np.median(ratios)),
            "earlier_over_current_min": min(ratios), "earlier_over_current_max": max(ratios),
            "matmul_peak_gflops": peak, **process_facts()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--change", choices=sorted(EARLIER), default="update")
    parser.add_argument("--family", default="unit", help="unit, munit or cyclegan (official)")
    parser.add_argument("--sizes", default="128,256")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    args.out = args.out or f"benchmarks/results/{args.change}_ab.json"
    set_threads(args.threads)
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        r = measure(size, args.rounds, args.change, args.family)
        results[f"{args.family}-official-{size}px-b1-float32-t{args.threads}"] = r
        print(f"{size}^2: current {r['current_median_seconds']:.3f} s, earlier "
              f"{r['earlier_median_seconds']:.3f} s, earlier/current "
              f"{r['earlier_over_current_median']:.4f} ({r['earlier_over_current_min']:.3f}-"
              f"{r['earlier_over_current_max']:.3f}), peak {r['matmul_peak_gflops']:.0f} GFLOP/s",
              flush=True)
    if os.path.isfile(args.out):  # keep the file's other entries (other families, sizes)
        with open(args.out) as f:
            results = {**json.load(f), **results}
    write_json(args.out, results)


if __name__ == "__main__":
    main()
