"""Clocks for benchmarks: wall and CPU time together, and percentiles of many samples.

CPU time is kept beside wall time because the machine is shared: when other
processes compete for the two cores the wall time grows, the CPU time of our
own process much less, and the report shows both.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Elapsed:
    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Elapsed]:
    """Wall and process CPU seconds of the block, filled in when it ends."""
    elapsed = Elapsed()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield elapsed
    finally:
        elapsed.wall = time.perf_counter() - wall
        elapsed.cpu = time.process_time() - cpu


def percentile(samples: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100): p99 of 100 samples is the 99th smallest."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0
