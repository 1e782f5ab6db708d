"""Devices, numerics and reproducibility, set up once before any model is built."""

import json
import logging
import os

import keras
import tensorflow as tf
from tensorflow.python.util import _pywrap_util_port

ONEDNN_NOT_DETERMINISTIC = (
    "oneDNN is on (TF turns it on by default on recent x86 CPUs, Intel and AMD; "
    "TF_ENABLE_ONEDNN_OPTS=1 elsewhere). "
    "TF's op determinism does not cover its kernels: a run resumed from a checkpoint can differ "
    "from an uninterrupted one in the last bits (seen in 1 of 8 unit_da resumes; Adam magnifies "
    "the rounding noise of biases that feed batch norm). For bit-exact runs start the process "
    "with TF_ENABLE_ONEDNN_OPTS=0.")


INTER_OP_NOT_DETERMINISTIC = (
    "TensorFlow had already started with several inter-op threads, so the ops of a step may run "
    "side by side: a run resumed from a checkpoint can then differ from an uninterrupted one in "
    "the last bits (seen in 3 of 8 unit_da runs under load). Ask for determinism before "
    "TensorFlow starts (unit-tf train --deterministic does) so it runs one op at a time.")


def run_one_op_at_a_time() -> bool:
    """Give TF one inter-op thread (each op still uses every intra-op thread), as deterministic
    runs need; it must happen before TF's runtime starts. True when in effect, False when the
    runtime had already started with another setting.

    With op determinism on and Grappler off, the same unit_da training step still gave
    last-bit differences when TF ran independent ops side by side (3 of 8 runs in one process
    on a loaded machine; 1 of 6 with one intra-op thread); with one inter-op thread 12 of 12
    were bit-exact. Only deterministic runs pay for it."""
    if tf.config.threading.get_inter_op_parallelism_threads() == 1:
        return True
    try:
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # "cannot be modified after initialization"
        return False
    return True


def onednn_enabled() -> bool:
    """Whether TF uses oneDNN (MKL) kernels in this process (fixed when TF is imported)."""
    return bool(_pywrap_util_port.IsMklEnabled())


def parse_devices(devices: str):
    """'GPU:0,GPU:1' / 'CPU' / 'gpu:1' -> ['/device:GPU:0', ...], each checked to exist ('CPU'
    or 'GPU' alone means device 0)."""
    available = {d.name.split("device:")[-1]: d.name for d in tf.config.list_logical_devices()}
    names = []
    for part in (p.strip() for p in devices.split(",") if p.strip()):
        kind, _, index = part.upper().partition(":")
        key = f"{kind}:{index or 0}"
        if key not in available:
            raise ValueError(f"--devices: {part!r} is not a device of this machine (it has "
                             f"{', '.join(sorted(available))}; CUDA_VISIBLE_DEVICES hides GPUs "
                             "before TensorFlow starts)")
        names.append(available[key])
    if not names:
        raise ValueError(f"--devices={devices!r} names no device (e.g. GPU:0,GPU:1 or CPU)")
    return names


def create_strategy(name: str, devices: str = ""):
    """A tf.distribute strategy by name, or over `devices` ('GPU:0,GPU:1', 'CPU'): one device
    runs a OneDeviceStrategy, several a MirroredStrategy (replicas = devices).

    default: the default strategy (one device, no distribution).
    one_device: OneDeviceStrategy on the first GPU, else the CPU.
    mirrored: MirroredStrategy over all local GPUs (or logical CPU devices, as in the tests).
    multi_worker: MultiWorkerMirroredStrategy from TF_CONFIG; must be created before other ops.
    """
    if devices:
        if name == "multi_worker":
            raise ValueError("--devices does not combine with --strategy=multi_worker (each "
                             "worker uses its local devices; hide GPUs with "
                             "CUDA_VISIBLE_DEVICES)")
        names = parse_devices(devices)
        if len(names) == 1:
            return tf.distribute.OneDeviceStrategy(names[0])
        cross = tf.distribute.ReductionToOneDevice() if all("CPU" in n for n in names) else None
        return tf.distribute.MirroredStrategy(names, cross_device_ops=cross)
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "one_device":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0].name if gpus else "/cpu:0")
    if name == "mirrored":
        gpus = tf.config.list_logical_devices("GPU")
        if gpus:
            return tf.distribute.MirroredStrategy()
        cpus = [d.name for d in tf.config.list_logical_devices("CPU")]
        # Host-side reduction, not collective ops: a second MirroredStrategy in the same process
        # (another model, e.g. in a notebook or a test session) would otherwise meet the first
        # one's collective instances and abort with "Shape mismatch in the collective instance".
        return tf.distribute.MirroredStrategy(
            cpus, cross_device_ops=tf.distribute.ReductionToOneDevice())
    if name == "multi_worker":
        if not os.environ.get("TF_CONFIG"):
            raise ValueError("--strategy=multi_worker needs the TF_CONFIG environment variable "
                             "(cluster and task of this worker)")
        json.loads(os.environ["TF_CONFIG"])  # a malformed TF_CONFIG fails here, by name
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"--strategy={name!r} is not one of default, one_device, mirrored, "
                     "multi_worker")


def set_precision(precision: str):
    """Set the global Keras dtype policy; call before building models."""
    keras.mixed_precision.set_global_policy(precision)


def set_determinism(seed: int, deterministic: bool):
    """Seed Python, NumPy, TF and Keras; with `deterministic`, TF's deterministic ops too and no
    Grappler graph rewriting, so equal seeds give equal weights and a resumed run equals an
    uninterrupted one bit for bit.

    Grappler is switched off because its rewrites are not a pure function of the traced graph:
    the same tf.function traced twice in one process was optimised differently about one time
    in three (the unit_da step: sums of gradients in another order, a last-bit difference that
    Adam magnifies in the conv biases that feed batch norm, whose true gradient is zero); with
    the meta-optimizer off, 16 of 16 resumed runs were bit-exact. The setting is process-wide
    and costs speed; runs that do not ask for determinism keep Grappler. Independent ops must
    also run one at a time (`run_one_op_at_a_time`, which only works before TF starts; a
    warning says when it is too late)."""
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
        if onednn_enabled():
            logging.warning(ONEDNN_NOT_DETERMINISTIC)
        if not run_one_op_at_a_time():
            logging.warning(INTER_OP_NOT_DETERMINISTIC)
