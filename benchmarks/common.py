"""What the benchmark scripts share: the data sets of ../shared and timed `unit-tf train` runs."""

import os
import subprocess
import sys
import time


def shared_dataset(shared, name):
    """<shared>/datasets/<name>, or exit naming the missing folder."""
    path = os.path.join(shared, "datasets", name)
    if not os.path.isdir(path):
        raise SystemExit(f"{path} is absent: this benchmark needs ../shared/datasets/{name}")
    return path


def train(flagfile, model_dir, data_dir, *extra):
    """Run (or resume) `unit-tf train` from a flagfile; the seconds this invocation took."""
    unit_tf = os.path.join(os.path.dirname(sys.executable), "unit-tf")
    start = time.perf_counter()
    subprocess.run([unit_tf, "train", f"--flagfile={flagfile}", f"--model_dir={model_dir}",
                    f"--data_dir={data_dir}", *extra], check=True)
    return time.perf_counter() - start


def median_step_seconds(model_dir):
    """The median of the per-step times a run logged to TensorBoard (`perf/step_time_s`, one step
    every --summary_every): the run's training speed, unaffected by the graph building of each
    resumed invocation, evaluation between chunks, or a paused process (wall-clock totals are)."""
    import glob

    import numpy as np
    import tensorflow as tf

    times = []
    for path in glob.glob(os.path.join(model_dir, "tensorboard", "**", "events*"), recursive=True):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.tag == "perf/step_time_s":
                    times.append(float(tf.make_ndarray(value.tensor)))
    if not times:
        raise SystemExit(f"{model_dir} logged no perf/step_time_s: was it trained?")
    return float(np.median(times))
