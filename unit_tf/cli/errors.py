"""Turning expected failures into one clear line and a non-zero exit."""

import contextlib
import sys

from unit_tf.data.files import DataError

EXPECTED = (DataError, ValueError, FileNotFoundError, FileExistsError, KeyError)
EXIT_WRITE_ERROR = 4  # an output could not be written (disk full, permissions)


@contextlib.contextmanager
def user_errors(command, translate=str):
    """Report bad input (missing paths, bad values) as `unit-tf <command>: error: ...`, exit 2.

    `translate` rewrites the library's message for this command's user (train: config field
    names such as data.crop_size become flag names such as --crop_size).
    """
    try:
        yield
    except EXPECTED as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"unit-tf {command}: error: {translate(str(message))}", file=sys.stderr)
        sys.exit(2)
    except OSError as e:  # writing an output failed (ExportWriteError, translate's outputs)
        print(f"unit-tf {command}: error: {e}", file=sys.stderr)
        sys.exit(EXIT_WRITE_ERROR)
