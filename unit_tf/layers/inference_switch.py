"""A process-wide switch that lets inference calls traced inside a context take a training-time
fast path (an export's Winograd convolutions, the `winograd_xla` export's fused norms)."""

import contextlib


class InferenceSwitch:
    """`with switch.on(value):` while tracing; layers ask `switch.wanted(training)`.

    `value` is what `on` was given (a mode, such as Winograd's "portable" or "xla", or True);
    `enabled` is whether it is truthy."""

    def __init__(self):
        self.value = None

    @property
    def enabled(self):
        return bool(self.value)

    @contextlib.contextmanager
    def on(self, value=True):
        saved, self.value = self.value, value
        try:
            yield
        finally:
            self.value = saved

    def wanted(self, training):
        """Whether a call in this mode takes the path: training, or inference inside `on()`."""
        return bool(training) or self.enabled
