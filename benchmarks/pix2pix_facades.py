"""pix2pix against an L1-only baseline on held-out facades, labels -> photo (published protocol:
junyanz facades, --direction BtoA), on a CPU budget.

Three runs of `unit-tf train --flagfile=flags/pix2pix_facades_64.flags` (64x64, unet_64, 3,200
steps each; a run finished by this script is reused, an interrupted one resumes):
    pix2pix     the official objective: cGAN + 100 x L1
    l1_only     the same generator, data, steps and schedule with --gan_w=0 (no discriminator)
    evaluator   photo -> label map (--direction=AtoB, L1 only, 1,600 steps), trained on the real
                training photos only: the feature network of the semantic metrics
Then, on the 106 test pairs (halves resized to 64x64), for both generators:
    psnr, ssim, pixel_l1, sharpness_ratio      against the real photo
    feature_distance   instance-normalised distance of the evaluator's encoder features (levels
                       1-4) of translation and real photo
    label_l1           |evaluator(translation) - true label map|: how well the photo's layout
                       can be read back (the FCN-score idea of the pix2pix paper), with the
                       evaluator on the real photos as the reference
and per metric the share of test images on which pix2pix is better; and, over the whole test
set, standard FID and KID (unit_tf.evaluation.fid: the inception-2015-12-05 network, images
upsampled from 64x64 to 299 as the reference preprocessing does; KID over 100 subsets of 50)
of the translations against the real test photos at the same 64x64, with the first 106 real
TRAINING photos against the test photos as the floor two real samples reach. FID at 64x64 is
comparable between these rows, not with 256x256 numbers in papers. Writes
benchmarks/results/pix2pix_facades.json, a sample grid and prints a table.

    python benchmarks/pix2pix_facades.py [--shared ../shared] [--runs runs/bench_facades]
"""

import argparse
import json
import os

import numpy as np

from common import median_step_seconds, shared_dataset, train

FLAGFILE = "flags/pix2pix_facades_64.flags"
RUNS = {"pix2pix": [], "l1_only": ["--gan_w=0"],
        "evaluator": ["--direction=AtoB", "--gan_w=0", "--n_epochs=2", "--n_epochs_decay=2"]}
HIGHER_IS_BETTER = {"psnr": True, "ssim": True, "pixel_accuracy": True, "pixel_l1": False,
                    "feature_distance": False,
                    "label_l1": False, "sharpness_error": False}


def train_once(name, extra, runs_dir, data_dir):
    """The run's model_dir, trained (or resumed) to the flagfile's end; a finished run is reused
    as it is (`unit-tf train` has nothing left to do)."""
    model_dir = os.path.join(runs_dir, name)
    train(FLAGFILE, model_dir, data_dir, *extra)
    return model_dir


def pairs(data_dir, split, size, count):
    """{"a": photos, "b": label maps} of the first `count` pairs of a split, resized to size."""
    from unit_tf.data import centred_pairs
    from unit_tf.data.sources import side_by_side_source

    return centred_pairs(side_by_side_source(data_dir, split), count, size, size, "square")


def standard_fid(sets, reference="real_test"):
    """{name: {fid, kid, kid_std}} of each float [-1, 1] image set against `reference`."""
    from unit_tf.data.images import to_uint8
    from unit_tf.evaluation.fid import ImageSet, fid_kid, set_features
    from unit_tf.evaluation.fid_weights import load_fid_network

    network = load_fid_network()
    features = {}
    for name, images in sets.items():
        arrays = to_uint8(images).numpy()
        features[name] = set_features(network, ImageSet(name, len(arrays),
                                                        lambda a=arrays: iter(a)))
    return {name: {k: v for k, v in fid_kid(features[reference], features[name], subsets=100,
                                             subset_size=50).items()
                   if k in ("fid", "kid", "kid_std")}
            for name in sets if name != reference}


def evaluate(generators, evaluator, photos, labels, batch=16):
    """Per-image metrics of each generator, the evaluator's label L1 on the real photos, and
    the image sets (real test photos, each generator's translations) for FID."""
    import tensorflow as tf

    from unit_tf.evaluation import paired_metrics

    net = evaluator.generators["a2b"]

    def features(images):
        return net.down_features(images, training=False)[1:5]

    def read_labels(images):
        return evaluator.translate(images, "a2b")

    results, sets = {}, {"real_test": photos}
    for name, model in generators.items():
        fakes = tf.concat([model.translate(labels[i:i + batch], "b2a")
                           for i in range(0, len(labels), batch)], axis=0)
        sets[name] = fakes
        rows = []
        for i in range(0, len(photos), batch):
            x, y, fake = labels[i:i + batch], photos[i:i + batch], fakes[i:i + batch]
            m = paired_metrics(fake, y, features)
            m["sharpness_error"] = tf.abs(m["sharpness_ratio"] - 1.0)
            m["label_l1"] = tf.reduce_mean(tf.abs(read_labels(fake) - x), axis=[1, 2, 3])
            rows.append({k: v.numpy() for k, v in m.items()})
        results[name] = {k: np.concatenate([r[k] for r in rows]) for k in rows[0]}
    reference = np.concatenate([
        tf.reduce_mean(tf.abs(read_labels(photos[i:i + batch]) - labels[i:i + batch]),
                       axis=[1, 2, 3]).numpy() for i in range(0, len(photos), batch)])
    return results, float(reference.mean()), sets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--runs", default="runs/bench_facades")
    parser.add_argument("--out", default="benchmarks/results/pix2pix_facades.json")
    args = parser.parse_args()
    data_dir = shared_dataset(args.shared, "facades")
    dirs = {name: train_once(name, extra, args.runs, data_dir) for name, extra in RUNS.items()}
    step_seconds = {name: median_step_seconds(d) for name, d in dirs.items()}

    from unit_tf.models import load_run
    from unit_tf.training.summaries import image_grid, write_png

    loaded = {name: load_run(d) for name, d in dirs.items()}
    config, _, steps = loaded["pix2pix"]
    size = config.data.crop_size
    test = pairs(data_dir, "test", size, 10_000)
    photos, labels = test["a"], test["b"]
    generators = {n: loaded[n][1] for n in ("l1_only", "pix2pix")}
    per_image, reference, sets = evaluate(generators, loaded["evaluator"][1], photos, labels)
    sets["real_train"] = pairs(data_dir, "train", size, len(photos))["a"]
    distribution = standard_fid(sets)

    summary = {}
    for metric, higher in HIGHER_IS_BETTER.items():
        a, b = per_image["pix2pix"][metric], per_image["l1_only"][metric]
        better = (a > b) if higher else (a < b)
        summary[metric] = {
            "pix2pix": float(a.mean()), "l1_only": float(b.mean()),
            "pix2pix_minus_l1_only": float((a - b).mean()),
            "stderr_of_difference": float((a - b).std(ddof=1) / np.sqrt(len(a))),
            "pix2pix_better_on": float(better.mean()), "higher_is_better": higher}
    summary["sharpness_ratio"] = {n: float(per_image[n]["sharpness_ratio"].mean())
                                  for n in generators}
    result = {
        "task": "facades labels -> photo (BtoA), 106 test pairs, halves resized to "
                f"{size}x{size}",
        "budget": {"flagfile": FLAGFILE, "steps_each": steps, "crop": size,
                   "median_step_seconds": {k: round(v, 4) for k, v in step_seconds.items()},
                   "machine": f"{os.cpu_count()} CPU cores, no GPU"},
        "evaluator_label_l1_on_real_photos": reference,
        "metrics": summary,
        "standard_fid_vs_real_test_photos_64px": distribution,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    rows = [labels[:6], generators["l1_only"].translate(labels[:6], "b2a"),
            generators["pix2pix"].translate(labels[:6], "b2a"), photos[:6]]
    write_png(os.path.join(os.path.dirname(args.out), "pix2pix_facades",
                           "labels_l1only_pix2pix_truth.png"), image_grid(rows))
    print(f"{'metric':<18}{'L1 only':>10}{'pix2pix':>10}{'diff':>10}{'+-se':>8}{'p2p wins':>10}")
    for metric in HIGHER_IS_BETTER:
        s = summary[metric]
        print(f"{metric:<18}{s['l1_only']:>10.4f}{s['pix2pix']:>10.4f}"
              f"{s['pix2pix_minus_l1_only']:>10.4f}{s['stderr_of_difference']:>8.4f}"
              f"{s['pix2pix_better_on']:>10.2f}")
    print(f"sharpness ratio (1 = as sharp as the photos): {summary['sharpness_ratio']}")
    for name, d in distribution.items():
        print(f"standard FID/KID vs real test photos (64 px), {name:<11} FID {d['fid']:.2f}  "
              f"KID {d['kid']:.4f} +- {d['kid_std']:.4f}")
    print(f"evaluator label L1 on the real photos: {reference:.4f}; wrote {args.out}")


if __name__ == "__main__":
    main()
