"""Peak memory of serving one image, by image size: what the default pixel limit is set from.

For each family's official-size model (random weights: memory does not depend on them), export
a SavedModel once, then in a fresh process per size load it and translate one uint8 image of
side S through the `a2b_uint8` signature, recording the process's peak RSS (ru_maxrss) and the
time. Writes benchmarks/results/serving_memory.json and prints a table.

    python benchmarks/serving_memory.py [--sizes 256 512 1024 1536] [--families unit cyclegan]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def export(family, base):
    from unit_tf.config import defaults
    from unit_tf.export import export_saved_model
    from unit_tf.models import MODELS

    model = MODELS[family](defaults(family).model, seed=0).build_networks(256, 256)
    return export_saved_model(model, base, max_pixels=2 ** 40)


def measure(saved_model, side):
    """Run in a child: load, translate one side x side image, report peak RSS and seconds."""
    import numpy as np
    import tensorflow as tf

    loaded = tf.saved_model.load(saved_model)
    translate = loaded.signatures["a2b_uint8"]
    image = np.random.RandomState(0).randint(0, 255, (1, side, side, 3), dtype=np.uint8)
    translate(images=tf.constant(image[:, :64, :64]))  # warm up (tracing, thread pools)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out = translate(images=tf.constant(image))["images"]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert out.shape == (1, side, side, 3)
    print(json.dumps({"side": side, "pixels": side * side, "seconds": round(seconds, 2),
                      "peak_rss_mb": round(peak / 1024), "rss_before_mb": round(before / 1024)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024, 1536])
    parser.add_argument("--families", nargs="+", default=["unit", "cyclegan"])
    parser.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results",
                                                         "serving_memory.json"))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.child[0], int(args.child[1]))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families:
            saved = export(family, os.path.join(tmp, family))
            rows = []
            for side in args.sizes:
                child = subprocess.run([sys.executable, __file__, "--child", saved, str(side)],
                                       capture_output=True, text=True, env={
                                           **os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
                if child.returncode != 0:
                    rows.append({"side": side, "error": child.stderr.strip().splitlines()[-1]})
                else:
                    rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
                print(family, rows[-1], flush=True)
            fits = [r for r in rows if "peak_rss_mb" in r and r["side"] >= 512]
            if len(fits) >= 2:  # bytes per pixel from the growth between the two largest
                a, b = fits[-2], fits[-1]
                rows.append({"mb_per_megapixel": round(
                    (b["peak_rss_mb"] - a["peak_rss_mb"]) / ((b["pixels"] - a["pixels"]) / 1e6),
                    1)})
            results[family] = rows
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump({"what": "peak RSS of one a2b_uint8 translation, fresh process per size, "
                           "official-size models, float32, CPU", "results": results}, f, indent=2)
    print(f"{'family':10} {'side':>6} {'peak MB':>8} {'s':>7}")
    for family, rows in results.items():
        for r in rows:
            if "side" in r:
                print(f"{family:10} {r['side']:>6} {r.get('peak_rss_mb', 'ERR'):>8} "
                      f"{r.get('seconds', ''):>7}")
            else:
                print(f"{family:10} growth {r['mb_per_megapixel']} MB per megapixel")


if __name__ == "__main__":
    main()
