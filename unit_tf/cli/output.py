"""Results printed as JSON on stdout (and optionally written to a file), one format for all."""

import json


def report_json(result, path=""):
    """Print `result` as indented, key-sorted JSON; also write it to `path` when given."""
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if path:
        with open(path, "w") as f:
            f.write(text + "\n")
