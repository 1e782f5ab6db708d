"""best_seconds: one warm-up, then the fastest of the timed calls."""

import time

from unit_tf.profiling import best_seconds


def test_best_seconds_keeps_the_fastest_timed_call_after_the_warmup():
    delays = iter([0.05, 0.03, 0.01, 0.02])
    calls = []

    def fn():
        delay = next(delays)
        calls.append(delay)
        time.sleep(delay)

    best = best_seconds(fn, repeats=3, warmup=1)
    assert calls == [0.05, 0.03, 0.01, 0.02]  # one warm-up, three timed
    assert 0.01 <= best < 0.02
