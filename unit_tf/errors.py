"""Turning exceptions into the one line a user reads (it imports nothing of unit_tf, so every
layer may use it)."""


ASSERTION = "assertion failed: "


def error_reason(error) -> str:
    """The first line of a (TF) error's message, without TF's `{{function_node ...}}` prefix and
    the ` [Op:...]` suffix of eager errors; for a failed in-graph check (a SavedModel's input
    gate) its own message, not the "Graph execution error" wrapped around it."""
    text = (getattr(error, "message", None) or str(error) or "").strip()
    if not text:
        return type(error).__name__
    if ASSERTION in text:
        checked = text[text.index(ASSERTION) + len(ASSERTION):].strip().splitlines()[0]
        if checked.startswith("[") and "]" in checked:  # [message] [data ...]
            message, _, data = checked[1:].partition("] ")
            checked = f"{message} {data}".strip() if data else message.rstrip("]")
        return checked
    line = text.splitlines()[0]
    if line.startswith("{{") and "}}" in line:
        line = line[line.index("}}") + 2:].strip()
    if " [Op:" in line:
        line = line[:line.index(" [Op:")]
    return line or type(error).__name__
