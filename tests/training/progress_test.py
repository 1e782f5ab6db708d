import io

from unit_tf.training import progress as progress_module
from unit_tf.training.progress import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_speed_and_eta_count_from_the_first_completed_step(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "perf_counter", clock)
    stream = io.StringIO()
    progress = Progress(0, 100, every=10, stream=stream, steps_per_epoch=20)
    progress.building()
    clock.now += 60.0  # the first step traces for a minute
    progress.update(1, {"g/total": 1.5, "d/total": 0.25})
    clock.now += 9 * 0.5  # then 2 steps/s
    progress.update(10, {"g/total": 1.0})
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("building the training graph")
    assert "first step 60.0 s (graph building)" in lines[1] and "g/total 1.5000" in lines[1]
    assert "step  10/100  epoch 1/5   2.00 steps/s  ETA 00:45" in lines[2]
    assert lines[2][:2].isdigit() and lines[2][2] == ":"  # timestamped off a terminal


def test_a_resumed_run_counts_from_its_own_first_step(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "perf_counter", clock)
    stream = io.StringIO()
    progress = Progress(50, 60, every=5, stream=stream)
    clock.now += 30.0
    progress.update(51, {})
    clock.now += 4.0
    progress.update(55, {})
    assert "1.00 steps/s  ETA 00:05" in stream.getvalue().splitlines()[-1]
    assert "epoch" not in stream.getvalue()


def test_watchers_read_the_completed_step_from_any_progress_line():
    from unit_tf.training.progress import completed_step

    assert completed_step("00:10:14 step   2/600  epoch 1/1   2.94 steps/s") == 2
    assert completed_step("step 17/20  first step 3.0 s (graph building)") == 17
    assert completed_step("\rstep 5/9  1.00 steps/s") == 5
    assert completed_step("building the training graph ...") is None
    assert completed_step("unit-tf train: stopped at step 4 (SIGTERM)") is None
