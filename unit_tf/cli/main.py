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
}


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
