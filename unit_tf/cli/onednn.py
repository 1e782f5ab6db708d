"""Whether TensorFlow's oneDNN kernels are on, chosen by measurement on this machine.

oneDNN is fixed when TensorFlow loads (`TF_ENABLE_ONEDNN_OPTS`), and which setting is faster
depends on the CPU and the work: on one 2-core Intel Xeon with AVX-512 oneDNN made a UNIT
training step 1.8x faster (its backward convolutions run 2x faster) and left translation
unchanged, while on another machine of the same kind it made training 2x slower. So nothing is
assumed: `unit-tf tune` times a small stack of the convolutions the translators are made of
(3x3, instance norm, ReLU) with oneDNN off and on, in two fresh processes, for training (forward
and backward) and for translation (forward), and stores the faster setting per machine
(CPU model, core count, TensorFlow version) in the cache folder. Given an experiment (its
flags or flagfile), it also times that model's own training step and translation at its crop
size, batch and precision, and stores the choice for that model (`model_key`). Every later
command that has no TF_ENABLE_ONEDNN_OPTS of its own starts with the stored choice for its
model, or else for its kind of work; a variable the user set always wins.
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


def model_key(family, preset, size, batch, precision):
    """What a per-model choice is stored under: the family (UNIT's preset), crop size, batch
    and precision, e.g. "unit official 256px b1 float32"."""
    name = f"{family} {preset}" if family == "unit" else family
    return f"{name} {size}px b{batch} {precision}"


def read_choices(path=None):
    try:
        with open(path or choice_path()) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def apply_measured_choice(work, environ=None, path=None, model=None):
    """Set TF_ENABLE_ONEDNN_OPTS from the stored measurement on this machine (before TensorFlow
    is imported): the one for `model` (a `model_key`) and `work` when `unit-tf tune` measured
    that model, else the machine's one for `work`. Returns the entry applied (its "scope" is
    the model key or "machine"), or None (the user's variable, or nothing measured here:
    TensorFlow's default stands)."""
    environ = os.environ if environ is None else environ
    if VARIABLE in environ:
        return None
    stored = read_choices(path).get(machine_key(), {})
    for scope, entry in ((model, stored.get("models", {}).get(model, {}).get(work)),
                         ("machine", stored.get(work))):
        if entry and entry.get("setting") in SETTINGS:
            environ[VARIABLE] = entry["setting"]
            return {**entry, "scope": scope}
    return None


class ProbeError(ValueError):
    """A probe process failed; the message ends with its last error line (e.g. a config the
    model refuses)."""


def run_probe(setting, *args):
    """Seconds printed by `python -m unit_tf.cli.onednn_probe ARGS` in a fresh interpreter
    with oneDNN `setting`."""
    env = {**os.environ, VARIABLE: setting, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-m", "unit_tf.cli.onednn_probe", *map(str, args)],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise ProbeError(f"the oneDNN probe ({' '.join(map(str, args[:2]))}, "
                           f"{VARIABLE}={setting}) failed: "
                           f"{done.stderr.strip().splitlines()[-1:]}")
    return float(done.stdout.strip().splitlines()[-1])


def probe_seconds(work, setting, size=64, channels=128, layers=4, repeats=5):
    """Best-of-`repeats` seconds of the conv stack probe with oneDNN `setting`."""
    return run_probe(setting, "stack", work, size, channels, layers, repeats)


def _faster(seconds):
    return {"setting": min(seconds, key=seconds.get), "seconds": seconds,
            "measured": time.strftime("%Y-%m-%d %H:%M:%S")}


def _store(update, path=None):
    """Merge `update(entries of this machine)` into the stored choices (atomically)."""
    key = machine_key()
    choices = read_choices(path)
    choices[key] = update(choices.get(key, {}))
    path = path or choice_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(choices, f, indent=2)
    os.replace(path + ".tmp", path)


def measure(works=tuple(WORK), path=None, **probe):
    """Time each work's conv stack with oneDNN off and on, store the faster setting for this
    machine and return {work: entry}."""
    measured = {work: _faster({s: probe_seconds(work, s, **probe) for s in SETTINGS})
                for work in works}
    _store(lambda entries: {**entries, **measured}, path)
    return measured


def measure_model(config, works=tuple(WORK), path=None, repeats=3):
    """Time the experiment `config`'s own training step and translation with oneDNN off and on
    (fresh processes), store the faster setting under its `model_key` and return
    (key, {work: entry})."""
    import tempfile

    key = model_key(config.family, getattr(config.model, "preset", "official"),
                    config.data.crop_size, config.data.batch_size, config.runtime.precision)
    with tempfile.TemporaryDirectory() as folder:
        config_path = os.path.join(folder, "config.json")
        with open(config_path, "w") as f:
            f.write(config.to_json())
        measured = {work: _faster({s: run_probe(s, "model", work, config_path, repeats)
                                   for s in SETTINGS}) for work in works}

    def update(entries):
        models = dict(entries.get("models", {}))
        models[key] = {**models.get(key, {}), **measured}
        return {**entries, "models": models}

    _store(update, path)
    return key, measured
