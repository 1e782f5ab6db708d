"""Turning expected failures into one clear line and a non-zero exit."""

import contextlib
import sys

from unit_tf.data.files import DataError

EXPECTED = (DataError, ValueError, FileNotFoundError, FileExistsError, KeyError)


@contextlib.contextmanager
def user_errors(command):
    """Report bad input (missing paths, bad values) as `unit-tf <command>: error: ...`, exit 2."""
    try:
        yield
    except EXPECTED as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"unit-tf {command}: error: {message}", file=sys.stderr)
        sys.exit(2)
