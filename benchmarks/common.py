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
