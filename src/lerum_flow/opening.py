"""Retrying what several processes do at once: opening a store, and saves that lost a race.

Opening a store runs CREATE ... IF NOT EXISTS and CREATE OR REPLACE FUNCTION;
PostgreSQL fails such statements run at once by several processes ("tuple
concurrently updated", or a duplicate in its catalog), and they are safe to
run again. Workers started together, and the processes of a parallel rebuild,
all open the same store at the same moment.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import IntegrityError, InternalError

T = TypeVar("T")

OPEN_ATTEMPTS = 10
BACKOFF_CAP_SECONDS = 0.25


def backoff(attempt: int) -> None:
    """A random pause that grows with each attempt, so that competing processes spread out."""
    time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, 0.002 * 2**attempt)))  # noqa: S311 - jitter, not security


# What a lost race to create the same tables raises. Not OperationalError by
# default: an unreachable server raises it too, and must be told at once.
LOST_RACE: tuple[type[Exception], ...] = (InternalError, IntegrityError)


def opened(construct: Callable[[], T], *, retry_on: tuple[type[Exception], ...] = LOST_RACE) -> T:
    """`construct()` (a recorder creating its tables), tried again when a concurrent opener won."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return construct()
        except retry_on:
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            backoff(attempt + 4)
    raise AssertionError("unreachable")
