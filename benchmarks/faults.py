"""Fault injection: each failure a long run or a server meets, run for real, expected vs observed.

Scenarios (the tiny UNIT flagfile on the bundled digits, real `unit-tf` subprocesses):
    divergence         --lr=1e30: every update after the first is non-finite
    sigterm / sigint   a signal in the middle of a run
    sigkill_resume     SIGKILL, then the same command again
    truncated_ckpt     the newest checkpoint cut short, then resume
    corrupt_files      truncated/corrupt/zero-byte/non-image files among good ones
    all_corrupt        a domain with no decodable image
    config_mismatch    config.json edited so it no longer matches the checkpoint
    disk_full          the run directory on a full file system (a small tmpfs; needs root)
    oversized_requests 4096x4096 uint8/float/bytes and a 16384^2 PNG bomb through a SavedModel
Writes benchmarks/results/faults.json and prints the table.

    python benchmarks/faults.py [--only NAME ...]
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from unit_tf.training.progress import completed_step  # noqa: E402
DIGITS = os.path.join(ROOT, "demo_data", "mnist2usps")
TINY = ["--flagfile=flags/unit_tiny.flags", "--sample_every=1000", "--summary_every=1000"]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


def unit_tf(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "unit_tf.cli.main", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def start_train(run_dir, *args):
    return subprocess.Popen([sys.executable, "-m", "unit_tf.cli.main", "train", *TINY,
                             f"--model_dir={run_dir}", *args], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_step(process, step):
    for line in process.stderr:
        if (completed_step(line) or 0) >= step:
            return
    raise RuntimeError(f"the run ended before step {step}")


def last_lines(text, count=2):
    lines = [line for line in text.strip().splitlines() if line.startswith("unit-tf")]
    return " | ".join(lines[-count:]) if lines else text.strip().splitlines()[-1][:300]


def checkpoints(run_dir):
    folder = os.path.join(run_dir, "checkpoints")
    names = os.listdir(folder) if os.path.isdir(folder) else []
    return sorted(int(n.split("-")[1].split(".")[0]) for n in names if n.endswith(".index"))


def finite_run(run_dir):
    import numpy as np

    from unit_tf.models import load_run

    _, model, step = load_run(run_dir)
    return step, all(bool(np.isfinite(v.numpy()).all()) for v in model.variables)


def divergence(tmp):
    run = os.path.join(tmp, "run")
    result = unit_tf("train", *TINY, f"--model_dir={run}", "--lr=1e30", "--max_steps=40",
                     "--max_nonfinite_steps=5")
    step, finite = finite_run(run)
    ok = result.returncode == 3 and finite and "Traceback" not in result.stderr
    return ("exit 3 after 5 non-finite steps in a row, naming step and terms; checkpoints "
            "finite and loadable",
            f"exit {result.returncode}: {last_lines(result.stderr, 1)}; newest checkpoint "
            f"step {step}, finite={finite}", ok)


def stopped_by(signum):
    def scenario(tmp):
        run = os.path.join(tmp, "run")
        process = start_train(run, "--max_steps=40", "--checkpoint_every=100")
        wait_for_step(process, 4)
        process.send_signal(signum)
        _, err = process.communicate(timeout=300)
        line = last_lines(err, 1)
        saved = checkpoints(run)
        completed = int(line.split("stopped at step ")[1].split(" ")[0]) \
            if "stopped at step" in line else -1
        ok = (process.returncode == 75 and "Traceback" not in err and saved == [completed])
        return (f"exit 75, one line, checkpoint numbered with the completed step",
                f"exit {process.returncode}: {line}; checkpoints {saved}", ok)
    return scenario


def sigkill_resume(tmp):
    run = os.path.join(tmp, "run")
    process = start_train(run, "--max_steps=12", "--checkpoint_every=2")
    wait_for_step(process, 5)
    process.kill()
    process.communicate(timeout=60)
    before = checkpoints(run)
    result = unit_tf("train", *TINY, f"--model_dir={run}", "--max_steps=12",
                     "--checkpoint_every=2")
    step, finite = finite_run(run)
    ok = result.returncode == 0 and before and before[-1] >= 3 and step == 12
    return ("at most one checkpoint interval lost; the same command finishes the run",
            f"checkpoints after the kill at step >= 5: {before}; resumed to step {step}", ok)


def truncated_ckpt(tmp):
    run = os.path.join(tmp, "run")
    unit_tf("train", *TINY, f"--model_dir={run}", "--max_steps=4", "--checkpoint_every=2")
    data = os.path.join(run, "checkpoints", "ckpt-4.data-00000-of-00001")
    with open(data, "r+b") as f:
        f.truncate(5)
    result = unit_tf("train", *TINY, f"--model_dir={run}", "--max_steps=6",
                     "--checkpoint_every=2")
    skipped = "skipped checkpoint" in result.stderr and "ckpt-4" in result.stderr
    ok = result.returncode == 0 and skipped and checkpoints(run)[-1] == 6
    return ("resume skips the truncated ckpt-4, naming it, and continues from ckpt-2",
            f"exit {result.returncode}; warned about ckpt-4: {skipped}; checkpoints "
            f"{checkpoints(run)}", ok)


def corrupt_files(tmp):
    data = os.path.join(tmp, "data")
    shutil.copytree(DIGITS, data)
    folder = os.path.join(data, "trainA")
    for name in sorted(os.listdir(folder))[20:]:  # 20 good files: every file is drawn
        os.remove(os.path.join(folder, name))
    good = sorted(os.listdir(folder))
    with open(os.path.join(folder, good[0]), "rb") as f:
        png = f.read()
    bad = {"truncated.png": png[:len(png) // 2], "corrupt.png": png[:30] + b"\0" * 200,
           "zero.png": b"", "notes.jpg": b"not an image"}
    for name, content in bad.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(content)
    result = unit_tf("train", *TINY, f"--model_dir={os.path.join(tmp, 'run')}",
                     f"--data_dir={data}", "--max_steps=30", "--batch_size=8")
    named = all(name in result.stderr for name in bad)
    counted = "skipped 2 unreadable file(s)" in result.stderr
    ok = result.returncode == 0 and named and counted
    return ("trains; the log names every bad file and counts the undecodable ones",
            f"exit {result.returncode}; all 4 named: {named}; count line: {counted}", ok)


def all_corrupt(tmp):
    data = os.path.join(tmp, "data")
    for split in ("trainA", "testA", "testB"):
        shutil.copytree(os.path.join(DIGITS, split), os.path.join(data, split))
    os.makedirs(os.path.join(data, "trainB"))
    for i in range(4):
        with open(os.path.join(data, "trainB", f"{i}.jpg"), "wb") as f:
            f.write(b"\xff\xd8\xff" + os.urandom(100))
    started = time.monotonic()
    result = unit_tf("train", *TINY, f"--model_dir={os.path.join(tmp, 'run')}",
                     f"--data_dir={data}", "--max_steps=5", timeout=300)
    seconds = time.monotonic() - started
    ok = result.returncode == 2 and "trainB" in result.stderr and seconds < 120
    return ("stops with a message naming trainB within seconds, no hang",
            f"exit {result.returncode} after {seconds:.0f} s (process start included): "
            f"{last_lines(result.stderr, 1)}", ok)


def config_mismatch(tmp):
    run = os.path.join(tmp, "run")
    unit_tf("train", *TINY, f"--model_dir={run}", "--max_steps=1")
    path = os.path.join(run, "config.json")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace('"dim": 8', '"dim": 16', 1))  # the generator's width
    result = unit_tf("export", f"--model_dir={run}", f"--export_dir={tmp}/saved")
    ok = result.returncode == 2 and "does not match" in result.stderr and \
        not os.path.exists(f"{tmp}/saved")
    return ("export refused, naming the missing/unexpected/reshaped variables; nothing "
            "exported",
            f"exit {result.returncode}: {last_lines(result.stderr, 1)[:240]}", ok)


def disk_full(tmp):
    mount = os.path.join(tmp, "small")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount],
                      capture_output=True).returncode != 0:
        return ("one line and exit 4, previous checkpoint intact",
                "not run: mounting a small tmpfs needs root", None)
    try:
        run = os.path.join(mount, "run")
        result = unit_tf("train", *TINY, f"--model_dir={run}", "--max_steps=200",
                         "--checkpoint_every=1", "--keep_checkpoints=100")
        saved = checkpoints(run)
        step, finite = finite_run(run) if saved else (None, False)
        ok = result.returncode == 4 and "Traceback" not in result.stderr and finite
        return ("one line and exit 4 when the disk fills; the previous checkpoint loads",
                f"exit {result.returncode}: {last_lines(result.stderr, 1)[:200]}; newest "
                f"loadable checkpoint step {step}", ok)
    finally:
        subprocess.run(["umount", mount])


def oversized_requests(tmp):
    """In a child process: its peak RSS is the bound the requests must stay under."""
    child = subprocess.run([sys.executable, __file__, "--requests-child", tmp],
                           capture_output=True, text=True, env=ENV, timeout=900)
    if child.returncode != 0:
        return ("every request refused by name, no abort",
                f"child exit {child.returncode}: {child.stderr.strip()[-300:]}", False)
    observed = json.loads(child.stdout.strip().splitlines()[-1])
    ok = all(r["refused"] for r in observed["requests"]) and observed["alive"]
    text = "; ".join(f"{r['request']}: {r['message'][:70]}" for r in observed["requests"])
    return (f"refused by name, peak RSS growth under {observed['bound_mb']} MB (the inputs "
            "themselves)", f"{text}; peak RSS growth {observed['growth_mb']} MB", ok)


def requests_child(tmp):
    import numpy as np
    import tensorflow as tf

    from unit_tf.config import defaults
    from unit_tf.export import export_saved_model
    from unit_tf.models import UNIT
    from unit_tf.testing.files import png_header_only

    saved = export_saved_model(UNIT(defaults("unit").model).build_networks(), f"{tmp}/unit")
    loaded = tf.saved_model.load(saved)
    big = np.zeros((1, 4096, 4096, 3), np.uint8)
    png = tf.io.encode_png(big[0]).numpy()
    requests = {
        "uint8 4096^2": lambda: loaded.signatures["a2b_uint8"](images=tf.constant(big)),
        "float 4096^2": lambda: loaded.signatures["a2b"](images=tf.zeros([1, 4096, 4096, 3])),
        "bytes 4096^2 PNG": lambda: loaded.signatures["a2b_bytes"](
            image_bytes=tf.constant([png])),
        "bytes 16384^2 PNG bomb": lambda: loaded.signatures["a2b_bytes"](
            image_bytes=tf.constant([png_header_only(16384, 16384)])),
        "empty batch": lambda: loaded.signatures["a2b_uint8"](
            images=tf.zeros([0, 64, 64, 3], tf.uint8)),
    }
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = []
    for name, call in requests.items():
        try:
            call()
            rows.append({"request": name, "refused": False, "message": "served"})
        except tf.errors.InvalidArgumentError as e:
            message = [line for line in e.message.splitlines() if "limit" in line or
                       "empty" in line] or [e.message.splitlines()[0]]
            rows.append({"request": name, "refused": True, "message": message[0].strip()})
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start) / 1024
    # the float request's own input is 4096*4096*3*4 bytes = 192 MB; allow twice that
    print(json.dumps({"requests": rows, "alive": True, "growth_mb": round(growth),
                      "bound_mb": 400}))


SCENARIOS = {"divergence": divergence, "sigterm": stopped_by(signal.SIGTERM),
             "sigint": stopped_by(signal.SIGINT), "sigkill_resume": sigkill_resume,
             "truncated_ckpt": truncated_ckpt, "corrupt_files": corrupt_files,
             "all_corrupt": all_corrupt, "config_mismatch": config_mismatch,
             "disk_full": disk_full, "oversized_requests": oversized_requests}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SCENARIOS))
    parser.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results",
                                                         "faults.json"))
    parser.add_argument("--requests-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requests_child:
        return requests_child(args.requests_child)
    rows = []
    for name in args.only or SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            try:
                expected, observed, ok = SCENARIOS[name](tmp)
            except Exception as e:  # a scenario that breaks is a result too
                expected, observed, ok = "(see the scenario)", f"{type(e).__name__}: {e}", False
        rows.append({"scenario": name, "expected": expected, "observed": observed,
                     "passed": ok, "seconds": round(time.monotonic() - started, 1)})
        print(f"{name:20} {'PASS' if ok else 'not run' if ok is None else 'FAIL'}  {observed}",
              flush=True)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    if args.only and os.path.isfile(args.output):  # keep the other scenarios' last results
        with open(args.output) as f:
            earlier = {r["scenario"]: r for r in json.load(f)["scenarios"]}
        earlier.update({r["scenario"]: r for r in rows})
        rows = [earlier[name] for name in SCENARIOS if name in earlier]
    with open(args.output, "w") as f:
        json.dump({"scenarios": rows}, f, indent=2)
    print(f"{sum(1 for r in rows if r['passed'])}/{len(rows)} scenarios as expected; "
          f"{args.output}")


if __name__ == "__main__":
    main()
