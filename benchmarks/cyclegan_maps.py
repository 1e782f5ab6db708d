"""CycleGAN on maps with the pairing ignored (aerial photo <-> map, unpaired), on a CPU budget.

Trains `unit-tf train --flagfile=flags/cyclegan_maps.flags` (a finished run is reused, an
interrupted one resumes), then scores both directions on the 50 validation pairs, halves resized
to the crop size: PSNR, SSIM, L1, sharpness and the UNIT paper's maps metric (share of pixels
with every channel within 16 of the truth). For scale, the same metrics of a constant prediction:
the median colour of the training maps (aerial -> map). Copies the last sample grids and writes
benchmarks/results/cyclegan_maps/result.json.

    python benchmarks/cyclegan_maps.py [--shared ../shared] [--model_dir runs/cyclegan_maps]
"""

import argparse
import json
import os
import shutil

import numpy as np

from common import shared_dataset, train

FLAGFILE = "flags/cyclegan_maps.flags"
OUT = "benchmarks/results/cyclegan_maps"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--model_dir", default="runs/cyclegan_maps")
    args = parser.parse_args()
    data_dir = shared_dataset(args.shared, "maps")
    seconds = train(FLAGFILE, args.model_dir, data_dir, "--export_dir=")

    import tensorflow as tf

    from unit_tf.data import centred_pairs
    from unit_tf.data.sources import side_by_side_source
    from unit_tf.evaluation import evaluate_paired, in_batches
    from unit_tf.models import load_run

    config, model, step = load_run(args.model_dir)
    size = config.data.crop_size

    def halves(split, count):
        return centred_pairs(side_by_side_source(data_dir, split), count, size, size, "square")

    batches = in_batches(halves("test", 50), 10)  # maps has val/, no test/
    result = {d: evaluate_paired(model, batches, d) for d in ("a2b", "b2a")}

    median = np.median(halves("train", 200)["b"].numpy().reshape(-1, 3), axis=0)

    class ConstantMap:
        def translate(self, x, direction):
            return tf.broadcast_to(tf.constant(median, tf.float32), tf.shape(x))

    result["a2b_constant_median_map"] = evaluate_paired(ConstantMap(), batches, "a2b")
    result.update({"step": step, "crop": size, "flagfile": FLAGFILE,
                   "train_seconds_this_invocation": round(seconds, 1),
                   "machine": f"{os.cpu_count()} CPU cores, no GPU"})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "result.json"), "w") as f:
        json.dump(result, f, indent=2)
    for direction in ("a2b", "b2a"):
        shutil.copy(os.path.join(args.model_dir, "samples", f"{direction}_{step:08d}.png"), OUT)
    print(f"{'':<24}{'psnr':>8}{'ssim':>8}{'L1':>8}{'acc16':>8}{'sharp':>8}")
    for name in ("a2b", "b2a", "a2b_constant_median_map"):
        m = result[name]
        print(f"{name:<24}{m['psnr']:>8.2f}{m['ssim']:>8.3f}{m['pixel_l1']:>8.3f}"
              f"{m['pixel_accuracy']:>8.3f}{m['sharpness_ratio']:>8.2f}")


if __name__ == "__main__":
    main()
