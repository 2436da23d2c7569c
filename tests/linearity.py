"""Whether work grows linearly with its input, told apart from quadratic growth by timing two
sizes far apart: a ratio, not a timed limit, so a slow or busy machine does not fail it."""

import gc
import time
from collections.abc import Callable
from typing import TypeVar

Input = TypeVar("Input")


def _seconds(function: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        function()
        return time.perf_counter() - started
    finally:
        gc.enable()


GROWTH = 8
LINEAR_BOUND = 24  # between GROWTH (linear) and GROWTH**2 (quadratic), far from both


def linear_ratio(make: Callable[[int], Input], run: Callable[[Input], object], n: int, rounds: int = 5) -> float:
    """Time at 8n over time at n: about 8 for linear work, 64 for quadratic. The best of a few
    interleaved rounds, so that a busy machine slows both sizes alike, with the garbage collector
    paused: its full collections grow with the heap and would make linear work look worse."""
    small, large = make(n), make(GROWTH * n)
    small_best = large_best = float("inf")
    for _ in range(rounds):
        small_best = min(small_best, _seconds(lambda: run(small)))
        large_best = min(large_best, _seconds(lambda: run(large)))
    return large_best / max(small_best, 1e-4)
