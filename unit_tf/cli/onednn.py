"""Whether TensorFlow's oneDNN kernels are on, chosen by measurement on this machine.

oneDNN is fixed when TensorFlow loads (`TF_ENABLE_ONEDNN_OPTS`), and which setting is faster
depends on the CPU and the work: on one 2-core Intel Xeon with AVX-512 oneDNN made a UNIT
training step 1.8x faster (its backward convolutions run 2x faster) and left translation
unchanged, while on another machine of the same kind it made training 2x slower. So nothing is
assumed: `unit-tf tune` times a small stack of the convolutions the translators are made of
(3x3, instance norm, ReLU) with oneDNN off and on, in two fresh processes, for training (forward
and backward) and for translation (forward), and stores the faster setting per machine
(CPU model, core count, TensorFlow version) in the cache folder. Every later command that has no
TF_ENABLE_ONEDNN_OPTS of its own starts with the stored choice for its kind of work; a variable
the user set always wins.
"""

import json
import os
import subprocess
import sys
import time

from unit_tf.cache import cache_dir

CHOICE_FILE = "onednn_choice.json"
VARIABLE = "TF_ENABLE_ONEDNN_OPTS"
WORK = {"train": "forward + backward", "translate": "forward"}
SETTINGS = ("0", "1")


def choice_path():
    return os.path.join(cache_dir(), CHOICE_FILE)


def machine_key():
    """CPU model, core count and TensorFlow version: what the measured choice depends on."""
    from importlib.metadata import PackageNotFoundError, version

    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f
                          if line.startswith("model name")), model)
    except OSError:
        pass
    tf_version = "?"
    for name in ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tf-nightly"):
        try:
            tf_version = version(name)
            break
        except PackageNotFoundError:
            continue
    return f"{model} | {os.cpu_count()} cores | tensorflow {tf_version}"


def read_choices(path=None):
    try:
        with open(path or choice_path()) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def apply_measured_choice(work, environ=None, path=None):
    """Set TF_ENABLE_ONEDNN_OPTS from the stored measurement for `work` on this machine (before
    TensorFlow is imported); returns the stored entry applied, or None (the user's variable,
    or nothing measured here: TensorFlow's default stands)."""
    environ = os.environ if environ is None else environ
    if VARIABLE in environ:
        return None
    entry = read_choices(path).get(machine_key(), {}).get(work)
    if not entry or entry.get("setting") not in SETTINGS:
        return None
    environ[VARIABLE] = entry["setting"]
    return entry


def probe_seconds(work, setting, size=64, channels=128, layers=4, repeats=5):
    """Best-of-`repeats` seconds of the probe in a fresh interpreter with oneDNN `setting`."""
    env = {**os.environ, VARIABLE: setting, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-m", "unit_tf.cli.onednn_probe", work, str(size), str(channels),
         str(layers), str(repeats)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the oneDNN probe ({work}, {VARIABLE}={setting}) failed: "
                           f"{done.stderr.strip().splitlines()[-1:]}")
    return float(done.stdout.strip().splitlines()[-1])


def measure(works=tuple(WORK), path=None, **probe):
    """Time each work with oneDNN off and on, store the faster setting for this machine and
    return {work: entry}."""
    key = machine_key()
    choices = read_choices(path)
    measured = {}
    for work in works:
        seconds = {s: probe_seconds(work, s, **probe) for s in SETTINGS}
        setting = min(seconds, key=seconds.get)
        measured[work] = {"setting": setting, "seconds": seconds,
                          "measured": time.strftime("%Y-%m-%d %H:%M:%S")}
    choices[key] = {**choices.get(key, {}), **measured}
    path = path or choice_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(choices, f, indent=2)
    os.replace(path + ".tmp", path)
    return measured
