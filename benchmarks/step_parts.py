"""The parts of a training step whose cost does not grow with the image, against the whole step.

Per image size, in one process: the model and step of train_step.py's configuration are built
and the whole step is timed, interleaved round by round with these parts, each run alone on the
model's own variables:
  - optimizer_update/<player>: the player's optimizer applying one update (unit_tf's fused
    Adam over every variable; random gradients);
  - weight_decay_and_check/<player>: the gradient of coupled weight decay (`weight_decay *
    l2_penalty`) added to the gradients, then the finiteness check the step runs before it
    applies (`all_replicas_finite`);
  - winograd_filter_transforms: U = G g G^T of every 3x3 kernel with at least
    WINOGRAD_MIN_CHANNELS input and output channels, and its gradient (the step computes both
    once per kernel and update; the decoders' phase kernels are not included).
Each is a pass over the weights, so its time per pixel grows as the image shrinks. Reports the
medians of --rounds, their sum, and the step's time per pixel with and without them.

    python benchmarks/step_parts.py [--family=unit] [--preset=official] [--sizes=64,256] \
        [--rounds=8] [--threads=2] [--out=benchmarks/results/step_parts.json]
Writes JSON and prints a table.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import process_facts, set_threads, thread_facts, write_json  # noqa: E402
from train_step import experiment  # noqa: E402


def fixed_parts(model, step):
    """{name: tf.function running that part of a step alone} (module docstring)."""
    import tensorflow as tf

    from unit_tf.layers import winograd
    from unit_tf.losses import l2_penalty
    from unit_tf.training.step import all_replicas_finite, apply_if

    def player_parts(optimizer, variables):
        grads = [1e-3 * tf.random.stateless_normal(v.shape, [i, 3])
                 for i, v in enumerate(variables)]

        def update():
            apply_if(tf.constant(True), optimizer, grads, variables)
            return tf.constant(0.0)

        def decay_and_check():
            with tf.GradientTape() as tape:
                penalty = step.weight_decay * l2_penalty(variables)
            total = [g + d for g, d in zip(grads, tape.gradient(penalty, variables))]
            return all_replicas_finite(penalty, total, optimizer)

        return tf.function(update), tf.function(decay_and_check)

    parts = {}
    for player, optimizer in step.optimizers.items():
        (parts[f"optimizer_update/{player}"],
         parts[f"weight_decay_and_check/{player}"]) = player_parts(
            optimizer, model.trainable_variables_of(player))
    kernels = [v for v in model.trainable_variables
               if len(v.shape) == 4 and tuple(v.shape[:2]) == (3, 3)
               and min(v.shape[2], v.shape[3]) >= winograd.WINOGRAD_MIN_CHANNELS]
    if kernels:
        def transforms():
            with tf.GradientTape() as tape:
                tiles = [winograd.filter_tiles(tf.convert_to_tensor(k)) for k in kernels]
            # (U itself as the output gradient: a constant one would be folded away)
            back = tape.gradient(tiles, kernels, output_gradients=tiles)
            return tf.add_n([tf.reduce_sum(b) for b in back])

        parts["winograd_filter_transforms"] = tf.function(transforms)
    return parts, len(kernels)


def measure_size(args, size):
    import tensorflow as tf

    from unit_tf.training import build_training
    from unit_tf.training.runtime import set_precision

    with tempfile.TemporaryDirectory() as model_dir:
        config = experiment(args.family, args.preset, size, 1, "float32", False, model_dir)
        set_precision("float32")
        model, step, _ = build_training(config, tf.distribute.get_strategy())
        step.build()
        batch = {d: tf.random.stateless_uniform([1, size, size, 3], [i, 7], -1.0, 1.0)
                 for i, d in enumerate("ab")}
        whole = tf.function(step)
        parts, kernels = fixed_parts(model, step)
        runs = {"whole_step": lambda: next(iter(whole(batch).values())),
                **{name: fn for name, fn in parts.items()}}
        times = {name: [] for name in runs}
        for i in range(args.rounds + 1):  # the first round traces and warms up
            for name, fn in runs.items():
                start = time.perf_counter()
                float(fn().numpy())
                if i:
                    times[name].append(time.perf_counter() - start)
    seconds = {name: statistics.median(t) for name, t in times.items()}
    fixed = sum(v for k, v in seconds.items() if k != "whole_step")
    pixels = size * size
    return {"size": size, "seconds": seconds, "fixed_seconds": fixed,
            "winograd_kernels": kernels,
            "fixed_share_of_step": fixed / seconds["whole_step"],
            "us_per_pixel": seconds["whole_step"] / pixels * 1e6,
            "us_per_pixel_without_fixed": (seconds["whole_step"] - fixed) / pixels * 1e6}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="unit")
    parser.add_argument("--preset", default="official")
    parser.add_argument("--sizes", default="64,256")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "results", "step_parts.json"))
    args = parser.parse_args()
    set_threads(args.threads)
    rows = [measure_size(args, int(s)) for s in args.sizes.split(",")]
    write_json(args.out, {"family": args.family, "preset": args.preset, "rounds": args.rounds,
                          "by_size": rows, **thread_facts(), **process_facts(),
                          "command": "python benchmarks/step_parts.py " + " ".join(sys.argv[1:])})
    names = list(rows[0]["seconds"])
    print(f"{'size':>6}" + "".join(f"{n:>32}" for n in names) + f"{'fixed':>8}{'us/px':>8}"
          f"{'w/o fixed':>10}")
    for r in rows:
        print(f"{r['size']:>6}" + "".join(f"{r['seconds'][n]:>32.4f}" for n in names)
              + f"{r['fixed_seconds']:>8.3f}{r['us_per_pixel']:>8.1f}"
              f"{r['us_per_pixel_without_fixed']:>10.1f}")


if __name__ == "__main__":
    main()
