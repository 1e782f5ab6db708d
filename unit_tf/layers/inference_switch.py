"""A process-wide switch that lets inference calls traced inside a context take a training-time
fast path (the `--winograd` export's Winograd convolutions and fused norms)."""

import contextlib


class InferenceSwitch:
    """`with switch.on(enabled):` while tracing; layers ask `switch.wanted(training)`."""

    def __init__(self):
        self.enabled = False

    @contextlib.contextmanager
    def on(self, enabled=True):
        saved, self.enabled = self.enabled, bool(enabled)
        try:
            yield
        finally:
            self.enabled = saved

    def wanted(self, training):
        """Whether a call in this mode takes the path: training, or inference inside `on()`."""
        return bool(training) or self.enabled
