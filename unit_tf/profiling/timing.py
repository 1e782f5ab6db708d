"""Wall-clock timing of a callable the way the speed benchmarks and `unit-tf tune` need it."""

import time


def best_seconds(fn, repeats=5, warmup=1):
    """The fastest of `repeats` timed calls of `fn` after `warmup` untimed ones. `fn` must
    block until its work is done (e.g. end in `.numpy()`)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
