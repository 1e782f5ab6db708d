"""A terminal progress line: step, steps/s, ETA and the main losses."""

import re
import sys
import time


def _duration(seconds):
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


_STEP_LINE = re.compile(r"^(?:\d\d:\d\d:\d\d )?step +(\d+)/(\d+)\b")


def completed_step(line):
    """The step a progress line reports (`[HH:MM:SS ]step N/M ...`), or None for other lines:
    for programs that watch a run's stderr."""
    match = _STEP_LINE.match(line.lstrip("\r"))
    return int(match.group(1)) if match else None


class Progress:
    """On a terminal, one line redrawn in place; elsewhere (logs, CI) a timestamped line every
    `every` steps.

    Speed and ETA count from the first step this process completed, so the graph building of
    that first step (often a minute) does not distort them; `steps_per_epoch` adds the epoch.
    """

    def __init__(self, start_step, max_steps, every=10, stream=None, keys=("g/total", "d/total"),
                 steps_per_epoch=0):
        self.start_step = int(start_step)
        self.max_steps = int(max_steps)
        self.every = max(int(every), 1)
        self.stream = stream or sys.stderr
        self.keys = keys
        self.steps_per_epoch = int(steps_per_epoch)
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.perf_counter()
        self.first = None  # (step, time) of the first completed step

    def building(self):
        """Say that the first step builds the graph (the silent part of a start)."""
        self.stream.write("building the training graph (the first step traces and compiles "
                          "it)...\n")
        self.stream.flush()

    def steps_per_second(self, step):
        if self.first is None or step <= self.first[0]:
            return 0.0
        elapsed = time.perf_counter() - self.first[1]
        return (step - self.first[0]) / elapsed if elapsed > 0 else 0.0

    def line(self, step, logs):
        rate = self.steps_per_second(step)
        width = len(str(self.max_steps))
        if rate > 0:
            timing = f"{rate:5.2f} steps/s  ETA {_duration((self.max_steps - step) / rate)}"
        else:
            timing = f"first step {time.perf_counter() - self.t0:.1f} s (graph building)"
        epoch = ""
        if self.steps_per_epoch:
            epoch = f"  epoch {-(-step // self.steps_per_epoch)}/" \
                    f"{-(-self.max_steps // self.steps_per_epoch)}"
        losses = "  ".join(f"{k} {float(logs[k]):.4f}" for k in self.keys if k in logs)
        return f"step {step:>{width}}/{self.max_steps}{epoch}  {timing}  {losses}"

    def update(self, step, logs, force=False):
        first = self.first is None
        if first:
            self.first = (step, time.perf_counter())
        if self.interactive:
            self.stream.write("\r" + self.line(step, logs) + "\033[K")
            if step >= self.max_steps:
                self.stream.write("\n")
        elif force or first or step % self.every == 0 or step >= self.max_steps:
            self.stream.write(time.strftime("%H:%M:%S ") + self.line(step, logs) + "\n")
        self.stream.flush()
