"""`unit-tf tune`: measure whether oneDNN makes training and translation faster on this machine
and store the choice every later command starts with (see unit_tf.cli.onednn)."""

import os

from absl import flags

from unit_tf.cli import onednn

FLAGS = flags.FLAGS
FLAG_MODULES = [__name__]
SIZE = flags.DEFINE_integer("probe_size", 64, "Side of the probe's feature maps.")
CHANNELS = flags.DEFINE_integer("probe_channels", 128, "Channels of the probe's convolutions.")
REPEATS = flags.DEFINE_integer("probe_repeats", 5, "Timed runs per setting (best is kept).")
UNLESS_MEASURED = flags.DEFINE_boolean(
    "unless_measured", False, "Do nothing when this machine's choice is already stored (or "
    "TF_ENABLE_ONEDNN_OPTS is set): what `make demo` runs.")


def main(argv):
    del argv
    if UNLESS_MEASURED.value and (onednn.VARIABLE in os.environ or all(
            work in onednn.read_choices().get(onednn.machine_key(), {}) for work in onednn.WORK)):
        return 0
    print(f"machine: {onednn.machine_key()}")
    measured = onednn.measure(size=SIZE.value, channels=CHANNELS.value, repeats=REPEATS.value)
    for work, entry in measured.items():
        off, on = entry["seconds"]["0"], entry["seconds"]["1"]
        print(f"{work:<10} ({onednn.WORK[work]}): oneDNN off {off * 1e3:.1f} ms, on "
              f"{on * 1e3:.1f} ms -> {onednn.VARIABLE}={entry['setting']}")
    print(f"stored in {onednn.choice_path()}; commands started without {onednn.VARIABLE} use it "
          "(set the variable yourself to override)")
    return 0
