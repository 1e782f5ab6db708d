"""Turning exceptions into the one line a user reads (it imports nothing of unit_tf, so every
layer may use it)."""


def error_reason(error) -> str:
    """The first line of a (TF) error's message, without TF's `{{function_node ...}}` prefix and
    the ` [Op:...]` suffix of eager errors."""
    text = (getattr(error, "message", None) or str(error) or "").strip()
    if not text:
        return type(error).__name__
    line = text.splitlines()[0]
    if line.startswith("{{") and "}}" in line:
        line = line[line.index("}}") + 2:].strip()
    if " [Op:" in line:
        line = line[:line.index(" [Op:")]
    return line or type(error).__name__
