"""`unit-tf tune [--flagfile=EXPERIMENT] [flags]`: measure whether oneDNN makes training and
translation faster on this machine and store the choice every later command starts with (see
unit_tf.cli.onednn).

Without experiment flags it times the small conv stack (the per-machine choice). With them
(the same flags and flagfiles as `unit-tf train`) it also times that model's own training step
and translation at its crop size, batch and precision, and `unit-tf train` with those flags (or
`translate`/`test` of a run directory trained with them) starts with that model's choice.
"""

import os

from absl import flags

from unit_tf.cli import flags as train_flags
from unit_tf.cli import onednn
from unit_tf.cli.errors import user_errors

FLAGS = flags.FLAGS
FLAG_MODULES = [__name__, train_flags.__name__]
SIZE = flags.DEFINE_integer("probe_size", 64, "Side of the conv stack probe's feature maps.")
CHANNELS = flags.DEFINE_integer("probe_channels", 128, "Channels of the conv stack probe.")
REPEATS = flags.DEFINE_integer("probe_repeats", 5, "Timed runs of the conv stack per setting "
                               "(best is kept).")
MODEL_REPEATS = flags.DEFINE_integer("model_repeats", 3, "Timed training steps / translations "
                                     "of the experiment's model per setting (best is kept).")
UNLESS_MEASURED = flags.DEFINE_boolean(
    "unless_measured", False, "Do nothing when this machine's choice (and the experiment's, if "
    "given) is already stored, or TF_ENABLE_ONEDNN_OPTS is set: what `make demo` runs.")


def experiment_given():
    return any(f.present for f in FLAGS.get_flags_for_module(train_flags.__name__))


def report(name, measured):
    for work, entry in measured.items():
        off, on = entry["seconds"]["0"], entry["seconds"]["1"]
        print(f"{name:<34} {work:<10} ({onednn.WORK[work]}): oneDNN off {off * 1e3:.1f} ms, on "
              f"{on * 1e3:.1f} ms -> {onednn.VARIABLE}={entry['setting']}")


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf tune: error: unexpected arguments {argv[1:]}")
    with user_errors("tune", train_flags.flag_names):
        config = train_flags.to_config() if experiment_given() else None
    stored = onednn.read_choices().get(onednn.machine_key(), {})
    machine_done = all(work in stored for work in onednn.WORK)
    model_done = config is None or all(
        work in stored.get("models", {}).get(onednn.model_key(
            config.family, config.model.preset, config.data.crop_size,
            config.data.batch_size, config.runtime.precision), {}) for work in onednn.WORK)
    if UNLESS_MEASURED.value and (onednn.VARIABLE in os.environ or
                                  (machine_done and model_done)):
        return 0
    print(f"machine: {onednn.machine_key()}")
    with user_errors("tune", train_flags.flag_names):  # a model the probe refuses: one line
        if config is not None:
            report(*onednn.measure_model(config, repeats=MODEL_REPEATS.value))
        if not (machine_done and config is not None):
            report("conv stack (this machine)", onednn.measure(
                size=SIZE.value, channels=CHANNELS.value, repeats=REPEATS.value))
    print(f"stored in {onednn.choice_path()}; commands started without {onednn.VARIABLE} use it "
          "(set the variable yourself to override)")
    return 0
