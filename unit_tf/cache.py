"""The local cache folder (converted FID weights, measured runtime choices); imports nothing heavy."""

import os


def cache_dir():
    """$UNIT_TF_CACHE, else $XDG_CACHE_HOME/unit_tf, else ~/.cache/unit_tf."""
    if os.environ.get("UNIT_TF_CACHE"):
        return os.environ["UNIT_TF_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "unit_tf")
