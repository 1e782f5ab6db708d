"""UNIT, MUNIT and CycleGAN on maps with the pairing ignored (aerial <-> map, unpaired): one table
at one image size and one step budget, with a curve of standard FID against steps.

Each family trains from its flagfile (`flags/{unit,munit,cyclegan}_maps.flags`: 64x64 crops of
the halves resized to 72x72, widths sized for a CPU) in chunks of --eval_every steps up to
--steps; after each chunk the run is scored on the 50 `maps/val` pairs (halves resized to 64x64,
centre crop):
    pixel_accuracy  aerial -> map: share of pixels with every channel within 16 of the true map
                    (the UNIT paper's maps metric)
    fid_a2b/kid_a2b standard FID/KID (unit_tf.evaluation.fid, inception-2015-12-05; KID over 100
                    subsets of 25) of the translated maps against the real val maps, both 64x64
    fid_b2a/kid_b2a the same for map -> aerial against the real val aerial photos
Beside them, the constant-colour reference (every pixel the median colour of the training maps,
which flat map colours reward on pixel accuracy) and real-vs-real floors (50 real training halves
against the val halves). A finished point is never recomputed: re-running continues the curves
(an interrupted chunk resumes from its checkpoint). Writes benchmarks/results/maps_unpaired.json
and prints the table. Its "min" column is the steps times the run's median logged step time
(`median_step_seconds`, from TensorBoard); the curves' `train_seconds` are wall-clock totals of the
`unit-tf train` invocations, graph building included, and count any time the process was paused.

    python benchmarks/maps_unpaired.py [--shared ../shared] [--steps 2000] [--eval_every 250]
"""

import argparse
import json
import os

import numpy as np

from common import median_step_seconds, shared_dataset, train

FLAGFILES = {"unit": "flags/unit_maps.flags", "munit": "flags/munit_maps.flags",
             "cyclegan": "flags/cyclegan_maps.flags"}
VAL_IMAGES = 50
SIZE = 64
_NETWORK = []


def fid_network():
    from unit_tf.evaluation.fid_weights import load_fid_network

    if not _NETWORK:
        _NETWORK.append(load_fid_network())
    return _NETWORK[0]


def features(images):
    """float64 [N, 2048] of float [-1, 1] images [N, H, W, 3]."""
    from unit_tf.data.images import to_uint8
    from unit_tf.evaluation.fid import ImageSet, set_features

    arrays = to_uint8(images).numpy()
    return set_features(fid_network(), ImageSet("set", len(arrays), lambda: iter(arrays)))


def distances(real_features, images):
    from unit_tf.evaluation.fid import fid_kid

    result = fid_kid(real_features, features(images), subsets=100, subset_size=25)
    return {"fid": result["fid"], "kid": result["kid"], "kid_std": result["kid_std"]}


def halves(data_dir, split, count):
    from unit_tf.data import centred_pairs
    from unit_tf.data.sources import side_by_side_source

    return centred_pairs(side_by_side_source(data_dir, split), count, SIZE, SIZE, "square")


def score(model, val, real):
    """The metrics of one checkpoint on the val pairs."""
    import tensorflow as tf

    from unit_tf.evaluation import pixel_accuracy

    out = {}
    for direction, source, target in (("a2b", "a", "b"), ("b2a", "b", "a")):
        fake = tf.concat([model.translate(val[source][i:i + 10], direction)
                          for i in range(0, len(val[source]), 10)], axis=0)
        if direction == "a2b":
            out["pixel_accuracy"] = float(tf.reduce_mean(pixel_accuracy(fake, val["b"])))
        d = distances(real[target], fake)
        out.update({f"fid_{direction}": d["fid"], f"kid_{direction}": d["kid"],
                    f"kid_std_{direction}": d["kid_std"]})
    return out


def seconds_file(model_dir):
    return os.path.join(model_dir, "bench_seconds.json")


def add_seconds(model_dir, seconds):
    total = 0.0
    if os.path.isfile(seconds_file(model_dir)):
        with open(seconds_file(model_dir)) as f:
            total = json.load(f)["seconds"]
    with open(seconds_file(model_dir), "w") as f:
        json.dump({"seconds": total + seconds}, f)
    return total + seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--runs", default="runs/bench_maps")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--eval_every", type=int, default=250)
    parser.add_argument("--families", default="unit,munit,cyclegan")
    parser.add_argument("--out", default="benchmarks/results/maps_unpaired.json")
    args = parser.parse_args()
    data_dir = shared_dataset(args.shared, "maps")
    result = {}
    if os.path.isfile(args.out):
        with open(args.out) as f:
            result = json.load(f)

    def save():
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2, sort_keys=True)

    import tensorflow as tf

    from unit_tf.evaluation import pixel_accuracy
    from unit_tf.models import load_run

    val = halves(data_dir, "test", VAL_IMAGES)  # maps has val/, no test/: val is taken
    train_halves = halves(data_dir, "train", VAL_IMAGES)
    real = {d: features(val[d]) for d in ("a", "b")}
    if "references" not in result:
        median = np.median(halves(data_dir, "train", 200)["b"].numpy().reshape(-1, 3), axis=0)
        constant = tf.broadcast_to(tf.constant(median, tf.float32), tf.shape(val["b"]))
        result["references"] = {
            "constant_median_map": {
                "pixel_accuracy": float(tf.reduce_mean(pixel_accuracy(constant, val["b"]))),
                **{f"{k}_a2b": v for k, v in distances(real["b"], constant).items()}},
            "real_train_vs_val": {
                **{f"{k}_a2b": v for k, v in distances(real["b"], train_halves["b"]).items()},
                **{f"{k}_b2a": v for k, v in distances(real["a"], train_halves["a"]).items()}}}
        result["setup"] = {"val_pairs": VAL_IMAGES, "size": SIZE, "steps": args.steps,
                           "flagfiles": FLAGFILES, "machine": f"{os.cpu_count()} CPU cores"}
        save()
    for family in args.families.split(","):
        model_dir = os.path.join(args.runs, family)
        curve = result.setdefault("curves", {}).setdefault(family, {})
        for target in range(args.eval_every, args.steps + 1, args.eval_every):
            if str(target) in curve:
                continue
            seconds = train(FLAGFILES[family], model_dir, data_dir, f"--max_steps={target}",
                            "--export_dir=")
            total = add_seconds(model_dir, seconds)
            _, model, step = load_run(model_dir)
            curve[str(target)] = {"step": step, "train_seconds": round(total, 1),
                                  **score(model, val, real)}
            save()
            print(f"{family} step {step}: {curve[str(target)]}", flush=True)
    write_grids(result, args.runs, val, os.path.join(os.path.dirname(args.out), "maps_unpaired"))
    result["median_step_seconds"] = {
        family: median_step_seconds(os.path.join(args.runs, family))
        for family, curve in result.get("curves", {}).items() if curve}
    save()
    print_table(result)


def write_grids(result, runs, val, folder, count=6):
    """<folder>/a2b.png: aerial | each model's map | true map, and b2a.png: map | each model's
    aerial | true aerial, for the first `count` val pairs, from each run's last checkpoint."""
    from unit_tf.models import load_run
    from unit_tf.training.summaries import image_grid, write_png

    families = [f for f, curve in result.get("curves", {}).items() if curve]
    models = {f: load_run(os.path.join(runs, f))[1] for f in families}
    for direction, source, target in (("a2b", "a", "b"), ("b2a", "b", "a")):
        rows = [val[source][:count]] + [models[f].translate(val[source][:count], direction)
                                        for f in families] + [val[target][:count]]
        labels = [source_name(source)] + families + [f"true {source_name(target)}"]
        write_png(os.path.join(folder, f"{direction}.png"), image_grid(rows, labels))


def source_name(domain):
    return {"a": "aerial", "b": "map"}[domain]


def print_table(result):
    print(f"{'model':<22}{'steps':>7}{'min':>7}{'acc16':>8}{'FID a2b':>9}{'KID a2b':>9}"
          f"{'FID b2a':>9}{'KID b2a':>9}")
    for family, curve in result.get("curves", {}).items():
        if not curve:
            continue
        last = curve[max(curve, key=int)]
        minutes = result["median_step_seconds"][family] * last["step"] / 60
        print(f"{family:<22}{last['step']:>7}{minutes:>7.1f}"
              f"{last['pixel_accuracy']:>8.3f}{last['fid_a2b']:>9.1f}{last['kid_a2b']:>9.4f}"
              f"{last['fid_b2a']:>9.1f}{last['kid_b2a']:>9.4f}")
    refs = result["references"]
    c, r = refs["constant_median_map"], refs["real_train_vs_val"]
    print(f"{'constant median map':<22}{'':>7}{'':>7}{c['pixel_accuracy']:>8.3f}"
          f"{c['fid_a2b']:>9.1f}{c['kid_a2b']:>9.4f}")
    print(f"{'real train vs val':<22}{'':>7}{'':>7}{'':>8}{r['fid_a2b']:>9.1f}"
          f"{r['kid_a2b']:>9.4f}{r['fid_b2a']:>9.1f}{r['kid_b2a']:>9.4f}")


if __name__ == "__main__":
    main()
