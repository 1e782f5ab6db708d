"""Would one batch-2 call of a network beat two batch-1 calls at small images?

A UNIT step calls each decoder on two codes (a reconstruction and a translation) and each
discriminator on two images (real and fake) one image at a time, as the official code does. At
64^2 every GEMM of such a call is small, so batching a network's two calls into one would give
each GEMM twice the rows. Instance and layer norms are per sample and the multi-scale
discriminator has no batch statistics, so the batched call computes the same values. This
measures the saving before the step is restructured for it: per size, in a fresh process, the
UNIT official model of benchmarks/train_step.py's configuration; for decoder a and
discriminator a, forward and backward (the gradient of a mean-square of the outputs with respect
to the network's weights) of two batch-1 calls against one call on the two inputs concatenated,
interleaved for --rounds rounds (median), beside the whole step's median; and the largest
difference between the two ways' weight gradients.

    python benchmarks/batched_calls.py [--sizes=64,128] [--rounds=15] [--threads=2]
Writes benchmarks/results/batched_calls.json and prints a table.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_common import (add_process_flags, per_size, process_facts, set_threads,  # noqa: E402
                          write_json)

NETWORKS = ("decoder", "discriminator")


def mean_square(outputs):
    """A scalar of every output of a network (a multi-scale discriminator gives a list)."""
    import tensorflow as tf

    return tf.add_n([tf.reduce_mean(tf.square(o)) for o in tf.nest.flatten(outputs)])


def weight_gradients(network, inputs, batched):
    """Gradients of the networks' weights, the inputs run as one batch or one call each; Winograd
    filter tiles made once for all calls, as in a step."""
    import tensorflow as tf

    from unit_tf.layers.winograd import shared_filter_tiles

    with shared_filter_tiles(), tf.GradientTape() as tape:
        if batched:
            loss = mean_square(network(tf.concat(inputs, 0), training=True)) * len(inputs)
        else:
            loss = tf.add_n([mean_square(network(x, training=True)) for x in inputs])
    return tape.gradient(loss, network.trainable_variables)


def largest_difference(first, second):
    return max(float(abs(a - b).numpy().max()) for a, b in zip(first, second))


def measure(args):
    import tensorflow as tf

    from train_step import built_step, timed_steps

    set_threads(args.threads, args.inter_op_threads)
    args.family, args.preset, args.batch, args.precision = "unit", "official", 1, "float32"
    args.xla = args.reuse_fakes = False
    with tempfile.TemporaryDirectory() as model_dir:
        model, compiled, batch = built_step(args, model_dir)
        code = model.encode(batch["a"], "a")
        inputs = {"decoder": [tf.random.stateless_normal(code.shape, [i, 3]) for i in (1, 2)],
                  "discriminator": [batch["a"], batch["b"]]}
        networks = {"decoder": model.decoders["a"], "discriminator": model.discriminators["a"]}
        calls = {(name, batched): tf.function(
                     lambda n=networks[name], x=inputs[name], b=batched: weight_gradients(n, x, b))
                 for name in NETWORKS for batched in (False, True)}
        differences = {name: largest_difference(calls[name, False](), calls[name, True]())
                       for name in NETWORKS}
        times = {key: [] for key in calls}
        for _ in range(args.rounds):
            for key, call in calls.items():
                start = time.perf_counter()
                call()[0].numpy()
                times[key].append(time.perf_counter() - start)
        step = statistics.median(timed_steps(compiled, batch, 2, args.steps))
    result = {"size": args.size, "step_ms": step * 1e3, **process_facts()}
    for name in NETWORKS:
        separate, joined = (statistics.median(times[name, b]) * 1e3 for b in (False, True))
        result[name] = {"two_calls_ms": separate, "one_batch_2_call_ms": joined,
                        "saved_ms": separate - joined, "speedup": separate / joined,
                        "largest_gradient_difference": differences[name]}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,128")
    parser.add_argument("--size", type=int, default=64, help=argparse.SUPPRESS)  # a child's
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--steps", type=int, default=5, help="whole steps timed, for scale")
    add_process_flags(parser, "unset", "benchmarks/results/batched_calls.json")
    args = parser.parse_args()
    points = per_size(__file__, args, measure)
    if points is None:
        return
    write_json(args.out, {"command": "python benchmarks/batched_calls.py " +
                          " ".join(sys.argv[1:]), "by_size": points})
    print(f"{'size':>5}{'network':>15}{'2 x b1 ms':>11}{'1 x b2 ms':>11}{'saved':>8}"
          f"{'step ms':>9}{'grad diff':>11}")
    for p in points:
        for name in NETWORKS:
            r = p[name]
            print(f"{p['size']:>5}{name:>15}{r['two_calls_ms']:>11.1f}"
                  f"{r['one_batch_2_call_ms']:>11.1f}{r['saved_ms']:>8.1f}{p['step_ms']:>9.0f}"
                  f"{r['largest_gradient_difference']:>11.1e}")


if __name__ == "__main__":
    main()
