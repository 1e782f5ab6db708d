"""`unit-tf <command> [--flagfile=...] [flags]`: the console entry point.

Each command lives in its own module, imported only when chosen, so `unit-tf <command> --help`
lists that command's flags.
"""

import importlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's C++ start-up chatter off the CLI

COMMANDS = {
    "train": ("unit_tf.cli.train", "train a model from flags/flagfiles"),
    "translate": ("unit_tf.cli.translate", "translate a file or folder with a run directory, "
                  "a SavedModel or a .tflite file"),
    "export": ("unit_tf.cli.export", "export a run directory as a versioned SavedModel"),
    "tflite": ("unit_tf.cli.tflite", "convert a SavedModel translation signature to .tflite"),
    "eval": ("unit_tf.cli.eval", "metrics of a trained run (classifier accuracy, paired "
             "fidelity, MUNIT style diversity)"),
    "test": ("unit_tf.cli.test", "translate a test split into images and an HTML page "
             "(input | translation | back-translation | truth)"),
    "fid": ("unit_tf.cli.fid", "standard FID and KID of two image sets (the "
            "inception-2015-12-05 network)"),
    "import-official": ("unit_tf.cli.import_official", "export an official PyTorch checkpoint "
                        "as a versioned SavedModel"),
    "tune": ("unit_tf.cli.tune", "measure whether oneDNN is faster on this machine (training, "
             "translation) and use the faster setting from then on"),
}
# the stored oneDNN measurement each command starts with (unit_tf.cli.onednn); tune measures
ONEDNN_WORK = {"train": "train", "tune": None}


class FlagfileError(ValueError):
    """A --flagfile that cannot be read; the message names it and where it was named."""


def _read_flagfile(path, included_from):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except OSError as e:
        where = f" (named in {included_from})" if included_from else ""
        raise FlagfileError(f"flagfile {path!r}{where} cannot be read: "
                            f"{e.strerror or e}") from None


def expand_flagfiles(args, included_from=None, depth=0):
    """`args` with every --flagfile=PATH replaced by the flags in PATH, recursively. A nested
    PATH is relative to the flagfile that names it (as users expect) and, when nothing is
    there, to the working directory (as absl reads it); a command-line PATH to the working
    directory. Comment (#, //) and blank lines are dropped."""
    if depth > 20:
        raise FlagfileError(f"flagfiles nest more than 20 deep (a cycle through "
                            f"{included_from}?)")
    out = []
    for arg in args:
        if not arg.startswith("--flagfile="):
            out.append(arg)
            continue
        path = os.path.expanduser(arg[len("--flagfile="):])
        if included_from and not os.path.isabs(path):
            beside = os.path.join(os.path.dirname(included_from), path)
            path = beside if os.path.exists(beside) else path
        lines = [line.strip() for line in _read_flagfile(path, included_from)]
        lines = [line for line in lines if line and not line.startswith(("#", "//"))]
        out += expand_flagfiles(lines, path, depth + 1)
    return out


def tensorflow_missing():
    """The message for an install without TensorFlow (it comes from an extra), or None."""
    import importlib.util

    if importlib.util.find_spec("tensorflow") is not None:
        return None
    return ("unit-tf: TensorFlow is not installed. unit_tf takes it from an extra: "
            "pip install 'unit_tf[cpu]' (CPU machines), 'unit_tf[gpu]' (CUDA) or 'unit_tf[tf]' "
            "(the full wheel); from a checkout: pip install -e '.[cpu]' (see BUILD.md)")


def usage():
    lines = ["usage: unit-tf <command> [--flagfile=FILE] [flags]", "", "commands:"]
    lines += [f"  {name:<12} {help_text}" for name, (_, help_text) in COMMANDS.items()]
    lines += ["", "`unit-tf <command> --help` lists a command's flags."]
    return "\n".join(lines)


def command_help(command, module):
    """`unit-tf <command> --help`: the command's own flags, grouped by the module defining them."""
    from absl import flags

    modules = getattr(module, "FLAG_MODULES", [module.__name__])
    parts = [f"usage: unit-tf {command} [--flagfile=FILE] [flags]", "",
             COMMANDS[command][1], ""]
    parts += [flags.FLAGS.module_help(name) for name in modules]
    parts += ["", "--flagfile=FILE reads flags from FILE (flagfiles nest); --helpfull lists "
              "absl's own flags too."]
    return "\n".join(parts)


def _last_value(args, name, default):
    """The value of --name in `args` (the last one wins, as in absl), else `default`."""
    value = default
    for i, arg in enumerate(args):
        if arg.startswith(f"--{name}="):
            value = arg.split("=", 1)[1]
        elif arg == f"--{name}" and i + 1 < len(args):
            value = args[i + 1]
    return value


def model_of_command(command, args):
    """The onednn.model_key of the model `command` will run, read without TensorFlow: `train`
    from its flags (the flag defaults where not given), a command given a run directory
    (--model / --model_dir) from its config.json; None otherwise."""
    import json

    from unit_tf.cli.onednn import model_key

    if command == "train":
        from unit_tf.cli import flags as train_flags  # defines the flags; imports no TensorFlow

        names = ("family", "preset", "crop_size", "batch_size", "precision")
        values = [_last_value(args, n, train_flags.FLAGS[n].default) for n in names]
        return model_key(*values)
    run_dir = _last_value(args, "model", None) or _last_value(args, "model_dir", None)
    try:
        with open(os.path.join(run_dir, "config.json")) as f:
            saved = json.load(f)
        return model_key(saved["family"], saved["model"].get("preset", "official"),
                         saved["data"]["crop_size"], saved["data"]["batch_size"],
                         saved["runtime"]["precision"])
    except (TypeError, OSError, ValueError, KeyError, AttributeError):
        return None


def apply_onednn_choice(command, args=()):
    """Start `command` with the oneDNN setting `unit-tf tune` measured faster here for its model
    (or its kind of work), unless TF_ENABLE_ONEDNN_OPTS is set; `train` says so."""
    work = ONEDNN_WORK.get(command, "translate")
    if not work:
        return None
    from unit_tf.cli.onednn import apply_measured_choice

    applied = apply_measured_choice(work, model=model_of_command(command, list(args)))
    if applied and command == "train":
        seconds = applied["seconds"]
        what = "on this machine" if applied["scope"] == "machine" else \
            f"for {applied['scope']} on this machine"
        print(f"oneDNN {'on' if applied['setting'] == '1' else 'off'}: measured faster for "
              f"training {what} by `unit-tf tune` (off {seconds['0'] * 1e3:.0f} ms, "
              f"on {seconds['1'] * 1e3:.0f} ms)", file=sys.stderr)
    return applied


def verbosity_given(args):
    """absl marks --verbosity as set even when it is not, so look at the arguments."""
    return any(a.startswith(("--verbosity", "-v", "--v=")) for a in args)


def run(argv=None):
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(usage())
        return 0 if len(argv) >= 2 else 2
    command = argv[1]
    if command not in COMMANDS:
        print(f"unit-tf: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    missing = tensorflow_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    try:
        argv = argv[:2] + expand_flagfiles(argv[2:])
    except FlagfileError as e:
        print(f"unit-tf {command}: error: {e}", file=sys.stderr)
        return 2
    apply_onednn_choice(command, argv[2:])  # before TensorFlow loads: it fixes oneDNN then
    module = importlib.import_module(COMMANDS[command][0])
    if any(a in ("-h", "--help", "--helpshort") for a in argv[2:]):
        print(command_help(command, module))
        return 0
    from absl import app, logging

    def main(args):
        if not verbosity_given(argv[2:]):
            logging.set_verbosity(logging.WARNING)  # progress and results, not TF's INFO lines
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        return module.main(args)

    app.run(main, argv=[f"unit-tf {command}"] + argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(run())
