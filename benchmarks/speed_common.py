"""What the speed benchmarks share: the same run's matmul peak, process facts, child processes
with their own TensorFlow settings (oneDNN is fixed when TensorFlow loads), and JSON output."""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

MATMUL_SIZE = 4096


def set_threads(threads, inter_op_threads=0):
    """Threads per op and ops side by side (0: TensorFlow's default for either); call before
    the first op runs. The inter-op default (one per core) is what `unit-tf train` without
    --deterministic and a loaded SavedModel run with: independent ops (domain a's and b's
    networks, a norm beside a convolution) share the cores. Until 2026-12-07 the benchmarks
    forced one op at a time (threads // 2), which made a 128^2 UNIT step ~25% slower than a
    user's."""
    import tensorflow as tf

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
    if inter_op_threads:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op_threads)


def threads_key(args):
    """'t<threads>' in a result's name, plus 'i<inter_op_threads>' when not TF's default
    (results named '-t2' before 2026-12-07 ran one op at a time; their JSON has no
    inter_op_threads)."""
    return f"t{args.threads}" + (f"i{args.inter_op_threads}" if args.inter_op_threads else "")


def thread_facts():
    """The process's thread settings as TensorFlow reports them (0: its default)."""
    import tensorflow as tf

    return {"intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads()}


def matmul_peak(repeats=5, size=MATMUL_SIZE):
    """float32 GFLOP/s of a size x size matmul, best of `repeats` for TensorFlow and for NumPy
    (whichever BLAS it links), the better of the two: this process's hardware reference,
    measured under the same settings (threads, oneDNN) as the model it is compared with."""
    import tensorflow as tf

    from unit_tf.profiling import best_seconds

    def best(matmul):
        return 2 * size ** 3 / best_seconds(matmul, repeats) / 1e9

    a = tf.random.stateless_normal([size, size], seed=[1, 2])
    b = tf.random.stateless_normal([size, size], seed=[3, 4])
    tf_gflops = best(lambda: tf.linalg.matmul(a, b).numpy())
    a, b = a.numpy(), b.numpy()
    np_gflops = best(lambda: a @ b)
    MATMUL_DETAIL.update({"tf_matmul_gflops": tf_gflops, "numpy_matmul_gflops": np_gflops})
    return max(tf_gflops, np_gflops)


MATMUL_DETAIL = {}  # the two measurements behind the last matmul_peak()


def process_facts():
    from unit_tf.cli.onednn import machine_key

    return {**{k: round(v, 1) for k, v in MATMUL_DETAIL.items()}, "machine": machine_key(),
            **thread_facts(),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "(unset)")}


def median_ms(fn, rounds, warmup=1):
    """Median milliseconds of `rounds` calls of `fn` after `warmup` untimed ones (the first
    traces); `fn` must block until its work is done (e.g. end in `.numpy()`)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median_spread(times)[0] * 1e3


def median_spread(times):
    """(median, min, max) of a list of seconds."""
    ordered = sorted(times)
    return ordered[len(ordered) // 2], ordered[0], ordered[-1]


def per_pixel_series(seconds_by_size, batch=1):
    """{size: seconds per step} -> points sorted by size with us_per_pixel (seconds / (batch *
    size^2)), the shape `flatness` reads."""
    return [{"size": int(size), "batch": batch, "seconds_per_step": seconds,
             "us_per_pixel": seconds / (batch * int(size) ** 2) * 1e6}
            for size, seconds in sorted(seconds_by_size.items(), key=lambda kv: int(kv[0]))]


def flatness(series):
    """How far the time per pixel strays over a series: max / min - 1 (0.2 = 20%), over the
    whole series and without its first (smallest) point."""
    def spread(points):
        per_pixel = [p["us_per_pixel"] for p in points]
        return round(max(per_pixel) / min(per_pixel) - 1.0, 4) if per_pixel else None

    return {"per_pixel_spread": spread(series), "per_pixel_spread_without_first": spread(series[1:])}


def linear_cost(series):
    """Least-squares fit of seconds per step = fixed + marginal * pixels over a series (two or
    more points): the part of a step that does not grow with the image (optimizer, per-op
    overheads, layers whose work is set by their weights) and the cost of each further pixel."""
    if len(series) < 2:
        return {"fixed_seconds_per_step": None, "marginal_us_per_pixel": None}
    pixels = [p["batch"] * p["size"] ** 2 for p in series]
    seconds = [p["seconds_per_step"] for p in series]
    mean_px, mean_s = sum(pixels) / len(pixels), sum(seconds) / len(seconds)
    slope = (sum((x - mean_px) * (y - mean_s) for x, y in zip(pixels, seconds))
             / sum((x - mean_px) ** 2 for x in pixels))
    return {"fixed_seconds_per_step": round(mean_s - slope * mean_px, 4),
            "marginal_us_per_pixel": round(slope * 1e6, 3)}


def run_child(script, args, onednn):
    """Run `script --child ARGS` in a fresh interpreter with TF_ENABLE_ONEDNN_OPTS=onednn
    ("unset" leaves TensorFlow's default), returning the JSON it prints on its last line."""
    env = dict(os.environ)
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    if onednn != "unset":
        env["TF_ENABLE_ONEDNN_OPTS"] = onednn
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    done = subprocess.run([sys.executable, script, "--child", *args], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{script} {' '.join(args)} (oneDNN {onednn}) failed:\n"
                         f"{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_json(path, result):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=2)


def add_process_flags(parser, onednn_default, out):
    """--threads, --inter_op_threads, --onednn (one process per setting), --out and the hidden
    --child."""
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (0: TF's)")
    parser.add_argument("--inter_op_threads", type=int, default=0,
                        help="ops side by side (0: TF's default, as unit-tf train runs)")
    parser.add_argument("--onednn", default=onednn_default,
                        help="comma list of TF_ENABLE_ONEDNN_OPTS settings, one process each")
    parser.add_argument("--out", default=out)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def per_onednn_setting(script, args, measure, name):
    """In a --child process: print measure(args) as JSON and return None. Otherwise run the
    script as a child per --onednn setting, store {setting: result} under `name` in --out
    (keeping the file's other entries, and the other settings of `name`) and return the
    settings measured now."""
    if args.child:
        print(json.dumps(measure(args)))
        return None
    forwarded = [a for a in sys.argv[1:] if not a.startswith(("--onednn", "--out"))]
    rows = {s: run_child(os.path.abspath(script), forwarded, s) for s in args.onednn.split(",")}
    results = {}
    if os.path.isfile(args.out):
        with open(args.out) as f:
            results = json.load(f)
    results[name] = {**results.get(name, {}), **rows}  # settings not re-measured stay
    write_json(args.out, results)
    return rows


def per_size(script, args, measure):
    """In a --child process: print measure(args) (args.size set) as JSON and return None.
    Otherwise run the script as a child per size of --sizes (the other flags passed on, with
    --onednn's setting) and return the children's results in order."""
    if args.child:
        print(json.dumps(measure(args)))
        return None
    forwarded = [a for a in sys.argv[1:] if not a.startswith(("--onednn", "--out", "--sizes"))]
    return [run_child(os.path.abspath(script), [*forwarded, f"--size={s}"], args.onednn)
            for s in args.sizes.split(",")]
