"""What each TFLite quantisation costs: file size, single-image latency (LiteRT, CPU) and error
against the SavedModel it was converted from.

    python benchmarks/tflite.py                                  # official UNIT, 256x256, random
    python benchmarks/tflite.py --saved_model=savedmodels/mnist2usps --size=32 --tag=demo \
        --data=demo_data/mnist2usps/testA --calibration_data=demo_data/mnist2usps/trainA

Without --saved_model, the official UNIT preset (dim 64) is built with random weights and
exported to a temporary directory as `--convolutions=winograd_2x2` (which every quantisation
converts; a default export's F(4x4, 3x3) tiles convert to float32 and float16 only). With --data, the error is measured on real images of the source
domain (and int8 calibrates on them); otherwise on uniform noise in [-1, 1]. Writes
benchmarks/results/tflite[_<tag>].json and prints a table.
"""

import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np


def source_images(data, size, count, seed):
    import tensorflow as tf

    from unit_tf.data import decode_rgb, image_paths
    from unit_tf.data.images import to_signed

    if data:
        paths = image_paths(data)[:count]
        return [tf.image.resize(to_signed(decode_rgb(tf.io.read_file(p)))[None],
                                (size, size)).numpy() for p in paths]
    rs = np.random.RandomState(seed)
    return [rs.uniform(-1, 1, (1, size, size, 3)).astype(np.float32) for _ in range(count)]


def random_official_saved_model(size, directory):
    from unit_tf.config import unit_preset
    from unit_tf.export import export_saved_model
    from unit_tf.models import UNIT

    model = UNIT(unit_preset("official"), seed=0).build_networks(size, size)
    # (winograd_2x2: a default export's F(4x4, 3x3) tiles refuse 8-bit quantisation)
    return export_saved_model(model, os.path.join(directory, "unit_official"),
                              metadata={"preset": "official", "weights": "random"},
                              convolutions="winograd_2x2")


def latency_ms(fn, x, rounds):
    fn(x)  # warm-up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn(x)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saved_model", default=None)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--direction", default="a2b")
    parser.add_argument("--data", default=None, help="folder of source-domain images")
    parser.add_argument("--calibration_data", default=None,
                        help="int8 calibration images (default: --data); use the training split")
    parser.add_argument("--eval_images", type=int, default=8)
    parser.add_argument("--calibration_images", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--tag", default="")
    parser.add_argument("--threads", type=int, default=None,
                        help="LiteRT num_threads (default: LiteRT's own choice)")
    args = parser.parse_args()

    import tensorflow as tf

    from unit_tf.export import resolve_saved_model
    from unit_tf.export.tflite import TFLiteModel, convert

    scratch = tempfile.mkdtemp(prefix="tflite_bench_")
    saved_model = resolve_saved_model(args.saved_model) if args.saved_model \
        else random_official_saved_model(args.size, scratch)
    signature = tf.saved_model.load(saved_model).signatures[args.direction]
    eval_images = source_images(args.data, args.size, args.eval_images, seed=1)
    calibration = source_images(args.calibration_data or args.data, args.size,
                                args.calibration_images, seed=2)
    references = [signature(images=x)["images"].numpy() for x in eval_images]
    savedmodel_ms = latency_ms(lambda x: signature(images=x), eval_images[0], args.rounds)

    rows = []
    for quantize, io_type in [("none", "float32"), ("float16", "float32"),
                              ("dynamic", "float32"), ("int8", "float32"), ("int8", "uint8")]:
        path = os.path.join(scratch, f"{quantize}_{io_type}.tflite")
        t0 = time.perf_counter()
        size = convert(saved_model, path, args.direction, (args.size, args.size), quantize,
                       (lambda: iter(calibration)), io_type)
        convert_s = time.perf_counter() - t0
        model = TFLiteModel(path, args.direction, num_threads=args.threads)
        errors = [np.abs(model(x) - ref) for x, ref in zip(eval_images, references)]
        rows.append({"quantize": quantize, "io_type": io_type, "bytes": size,
                     "max_abs_error": float(max(e.max() for e in errors)),
                     "mean_abs_error": float(np.mean([e.mean() for e in errors])),
                     "latency_ms": latency_ms(model, eval_images[0], args.rounds),
                     "convert_s": convert_s})

    result = {"saved_model": args.saved_model or "official UNIT preset, random weights",
              "size": args.size, "direction": args.direction,
              "error_images": args.data or "uniform noise",
              "calibration_images": args.calibration_data or args.data or "uniform noise",
              "eval_images": len(eval_images),
              "threads": args.threads or "LiteRT default (XNNPACK)",
              "savedmodel_latency_ms": savedmodel_ms,
              "rows": rows}
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    name = f"tflite_{args.tag}.json" if args.tag else "tflite.json"
    out = os.path.join(os.path.dirname(__file__), "results", name)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"{'quantize':<9} {'io':<8} {'MB':>7} {'max err':>9} {'mean err':>9} {'ms/image':>9}")
    for r in rows:
        print(f"{r['quantize']:<9} {r['io_type']:<8} {r['bytes'] / 1e6:7.2f} "
              f"{r['max_abs_error']:9.2e} {r['mean_abs_error']:9.2e} {r['latency_ms']:9.1f}")
    print(f"SavedModel (TF, float32): {savedmodel_ms:.1f} ms/image; written {out}")


if __name__ == "__main__":
    main()
