"""Does the input pipeline keep up with training? Images/s of the tf.data pipeline vs the
images/s a UNIT training step consumes, at the same size.

    python benchmarks/data_pipeline.py --data_dir=demo_data/mnist2usps --size=256 --steps=3

Writes benchmarks/results/data_pipeline.json and prints a short table. The step is the official
UNIT (dim 64, 3-scale D) at batch 1 unless --tiny; the pipeline decodes, resizes, crops and flips
both domains, as in training.
"""

import argparse
import json
import os
import time

import numpy as np


def pipeline_rate(data_dir, size, batch, batches):
    from unit_tf.config import DataConfig
    from unit_tf.data import UnpairedData

    data = UnpairedData(DataConfig(data_dir=data_dir, load_size=size, crop_size=size,
                                   batch_size=batch), seed=0)
    iterator = iter(data.dataset())
    next(iterator)  # warm-up
    t0 = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    elapsed = time.perf_counter() - t0
    return 2 * batch * batches / elapsed  # two domains per batch


def step_rate(size, batch, steps, tiny):
    import tensorflow as tf

    from unit_tf.config import DiscriminatorConfig, OptimConfig, UNITLossWeights, unit_preset
    from unit_tf.models import UNIT
    from unit_tf.objectives import UNITObjective
    from unit_tf.training.optim import make_optimizer
    from unit_tf.training.step import AlternatingGANStep

    kwargs = dict(dim=8, n_res=1, dis=DiscriminatorConfig(dim=8, n_layer=2)) if tiny else {}
    model = UNIT(unit_preset("official", **kwargs)).build_networks(size, size)
    step = AlternatingGANStep(model, UNITObjective("lsgan", UNITLossWeights()),
                              {p: make_optimizer(OptimConfig(), name=p) for p in "gd"}, 1e-4)
    step.build()
    fn = tf.function(step.__call__)
    batch_data = {d: tf.random.uniform([batch, size, size, 3], -1, 1) for d in "ab"}
    fn(batch_data)  # trace
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn(batch_data)
        times.append(time.perf_counter() - t0)
    return 2 * batch / float(np.median(times)), float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data_dir", default="demo_data/mnist2usps")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--out", default="benchmarks/results/data_pipeline.json")
    args = parser.parse_args()
    data_ips = pipeline_rate(args.data_dir, args.size, args.batch, args.batches)
    train_ips, step_s = step_rate(args.size, args.batch, args.steps, args.tiny)
    result = {"size": args.size, "batch": args.batch, "data_images_per_s": data_ips,
              "train_images_per_s": train_ips, "train_step_s": step_s,
              "ratio": data_ips / train_ips, "model": "tiny" if args.tiny else "official",
              "data_dir": args.data_dir}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"| size | pipeline img/s | UNIT step img/s | step s | ratio |\n|---|---|---|---|---|\n"
          f"| {args.size} | {data_ips:.1f} | {train_ips:.3f} | {step_s:.2f} | "
          f"{result['ratio']:.0f}x |")


if __name__ == "__main__":
    main()
