"""Two `lerum-flow projections run` processes on one PostgreSQL store: one leads, the other takes over.

Only the leader follows the log into the views. Killed with SIGKILL, its
advisory lock goes with its session, and the other process, which was only
asking, takes the lead and brings the views up to what was recorded since.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from integration.test_drift_status import report_incident
from unit.governance_world import governance

from lerum_flow.leadership import leader_present
from lerum_flow.municipal_time import business_day
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SRC = Path(__file__).resolve().parents[2] / "src"
WAIT_SECONDS = 60.0


class Projector:
    """A `lerum-flow projections run` process, its log lines (JSON on stderr) collected as they come."""

    def __init__(self, database_url: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LERUM_FLOW_")}
        env |= {"PYTHONPATH": str(SRC), "LERUM_FLOW_LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lerum_flow.cli.main",
                "--database-url",
                database_url,
                "projections",
                "run",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def leads(self) -> bool:
        """Whether it has said that it leads (the projector logs `leder` when it takes the lead)."""
        return any('"event": "leder"' in line for line in self.lines)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"väntade förgäves på: {what}"
        time.sleep(0.2)


def views_at(settings: Settings) -> set[int]:
    store = ViewStore.open(settings)
    try:
        return set(store.projector().positions().values())
    finally:
        store.close()


def test_two_projectors_one_follows_the_log_and_the_other_takes_over_when_it_is_killed(
    postgres_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_database_url)
    app = governance(settings.eventsourcing_env())
    views_at(settings)  # the view tables exist before two processes open them at once
    projectors = [Projector(postgres_database_url) for _ in range(2)]
    try:
        until(lambda: any(p.leads() for p in projectors), "att en projektor leder")
        first = next(p for p in projectors if p.leads())
        other = next(p for p in projectors if p is not first)
        report_incident(app, "Före.", business_day(app.clock()))
        until(lambda: views_at(settings) == {app.head()}, "att vyerna kommer ikapp")
        assert not other.leads()
        assert leader_present(settings, "projektor")

        first.kill()
        report_incident(app, "Efter.", business_day(app.clock()))
        until(other.leads, "att den andra projektorn tar över")
        until(lambda: views_at(settings) == {app.head()}, "att vyerna kommer ikapp efter bytet")
        assert leader_present(settings, "projektor")
    finally:
        for projector in projectors:
            projector.kill()
        app.close()
    # With both gone, nobody leads (once the server has seen their sessions end).
    until(lambda: not leader_present(settings, "projektor"), "att ingen leder när båda är borta")
