"""A projection process killed with SIGKILL at random moments neither loses nor repeats an event.

The log is written first (10,000 events). A runner process (`Projector.follow`,
what `lerum-flow projections run` runs) consumes it in small pages and is
killed five times at random moments, restarted each time, and finally left to
finish; its views must then equal a fresh rebuild, row by row.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from integration.test_projections_history import generate_history
from integration.test_projections_incremental import assert_same_rows, dumps, fresh_rebuild

from lerum_flow.application import Governance
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

# It kills a runner over a store of thousands of events: seconds, not milliseconds.
pytestmark = pytest.mark.slow

EVENTS = 10_000
KILLS = 5
# Small pages: many commits, so that a kill lands between and inside transactions.
PAGE_SIZE = 40

RUNNER = """
import sys, threading
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings


store = ViewStore.open(Settings(database_url=sys.argv[1]))
print("ready", flush=True)
store.projector(page_size=int(sys.argv[2])).follow(threading.Event())
"""


def _start_runner(database_url: str, cwd: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, database_url, str(PAGE_SIZE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        _, errors = process.communicate(timeout=10)
        raise AssertionError(f"runner did not start: {line!r} {errors}")
    return process


def _lowest_position(views: ViewStore) -> int:
    return min(views.projector().positions().values())


def test_runner_killed_at_random_moments_ends_with_the_rows_of_a_fresh_rebuild(
    database_url: str, tmp_path: Path
) -> None:
    """Five SIGKILLs while consuming 10,000 events, then a clean finish: rows equal a rebuild."""
    settings = Settings(database_url=database_url)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, EVENTS, seed=41)
    app.close()
    views = ViewStore.open(settings)
    head = views.projector().head()
    rng = random.Random(os.getpid())  # a different schedule of kills on every run
    killed_at: list[int] = []
    try:
        for kill in range(KILLS):
            runner = _start_runner(database_url, tmp_path)
            # Kill once the runner is past a random point of what is left, plus a moment,
            # so that every kill lands while it is still consuming.
            position = _lowest_position(views)
            target = position + rng.randint(1, max(1, (head - position) // (KILLS - kill + 1)))
            while _lowest_position(views) < target and runner.poll() is None:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.01))
            runner.send_signal(signal.SIGKILL)
            runner.wait(timeout=10)
            killed_at.append(_lowest_position(views))
        runner = _start_runner(database_url, tmp_path)
        deadline = time.monotonic() + 60
        while _lowest_position(views) < head and time.monotonic() < deadline:
            time.sleep(0.1)
        runner.terminate()
        runner.wait(timeout=10)
        assert _lowest_position(views) == head, f"runner stopped at {_lowest_position(views)} of {head}"
        # The schedule is random: say where the kills landed if the comparison fails.
        print(f"killed at positions {killed_at} of {head}")
        assert_same_rows(dumps(views), fresh_rebuild(views))
        assert all(0 < position < head for position in killed_at), killed_at
    finally:
        views.close()
