"""A terminal progress line: step, steps/s, ETA and the main losses."""

import sys
import time


def _duration(seconds):
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    """On a terminal, one line redrawn in place; elsewhere (logs, CI) a line every `every` steps.

    Speed is measured over the steps run in this process (a resumed run counts from its start).
    """

    def __init__(self, start_step, max_steps, every=10, stream=None, keys=("g/total", "d/total")):
        self.start_step = int(start_step)
        self.max_steps = int(max_steps)
        self.every = max(int(every), 1)
        self.stream = stream or sys.stderr
        self.keys = keys
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.perf_counter()

    def steps_per_second(self, step):
        elapsed = time.perf_counter() - self.t0
        return (step - self.start_step) / elapsed if elapsed > 0 else 0.0

    def line(self, step, logs):
        rate = self.steps_per_second(step)
        eta = (self.max_steps - step) / rate if rate > 0 else 0
        width = len(str(self.max_steps))
        losses = "  ".join(f"{k} {float(logs[k]):.4f}" for k in self.keys if k in logs)
        return (f"step {step:>{width}}/{self.max_steps}  {rate:5.2f} steps/s  "
                f"ETA {_duration(eta)}  {losses}")

    def update(self, step, logs, force=False):
        if self.interactive:
            self.stream.write("\r" + self.line(step, logs) + "\033[K")
            if step >= self.max_steps:
                self.stream.write("\n")
        elif force or step % self.every == 0 or step >= self.max_steps:
            self.stream.write(self.line(step, logs) + "\n")
        self.stream.flush()
