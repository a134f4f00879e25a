"""Finding the budget decision a process waits for costs the same however long the log is.

Measured by counting, not timing: the log's notifications the look-up reads, and
the virtual-machine steps SQLite takes for its query (a walk of the table would
grow with every decision recorded; an index seek does not).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment
from unit.governance_world import governance, send

from lerum_flow.application import Governance
from lerum_flow.decisions_taken import ViewDecisions
from lerum_flow.projections import sql
from lerum_flow.projections.beslut import TakenRow
from lerum_flow.settings import Settings
from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.governance_steps import GovernanceSteps, LogDecisions
from lerum_flow.workflows.models import FindBeslutInput

BUDGET_DAY = date(2027, 6, 15)


class CountingReads:
    """Counts the notifications a recorder hands out."""

    def __init__(self, recorder: Any) -> None:
        self.read = 0
        self._select = recorder.select_notifications
        recorder.select_notifications = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        found = self._select(*args, **kwargs)
        self.read += len(found)
        return found


def _decisions(app: Governance, count: int) -> None:
    for number in range(count):
        send(
            app,
            "take_beslut",
            "ks",
            decided_by="ks",
            kind="ovrigt",
            diarienummer=f"KS 2027/{number}",
            paragraf=f"§ {number}",
            title=f"Beslut {number}",
            decided_on=date(2027, 1, 1),
        )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Settings, Governance]]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="budget",
        diarienummer="KF 2027/1",
        paragraf="§ 1",
        title="Budget 2028",
        decided_on=BUDGET_DAY,
    )
    try:
        yield settings, app
    finally:
        app.close()


def sqlite_steps(database: Path, statement: str, params: Any) -> tuple[int, str, int]:
    """SQLite's virtual-machine steps for a query, its plan, and how many rows it found."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    with sqlite3.connect(database) as conn:
        plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params))
        conn.set_progress_handler(count, 1)
        found = len(conn.execute(statement, params).fetchall())
    return steps, plan, found


def _query_steps(database: Path) -> tuple[int, str]:
    """SQLite's steps for the finder's query, and its plan."""
    where = {"decided_by": ("kf",), "kind": ("budget",), "decided_on": sql.Range(low=BUDGET_DAY.isoformat())}
    statement, params = sql.select(sql.SQLITE, TakenRow, where, order_by=("recorded_at",))
    steps, plan, found = sqlite_steps(database, statement, params)
    assert found == 1
    return steps, plan


def test_finding_a_budget_decision_reads_the_same_however_many_decisions_came_before(
    store: tuple[Settings, Governance],
) -> None:
    """With 20 and with 300 other decisions in the log, the look-up reads no notification once the
    view is current, and its query takes exactly as many steps through an index; the old walk of
    the log read every decision."""
    settings, app = store
    decisions = ViewDecisions.open(settings)
    database = settings.sqlite_path("beslut_view")
    try:
        measured = []
        for more in (20, 280):
            _decisions(app, more)
            decisions.taken(["budget"], ["kf"], BUDGET_DAY)  # catches the view up with what is new
            reads = CountingReads(decisions.store.log.recorder)
            walk = CountingReads(app.recorder)
            found = decisions.taken(["budget"], ["kf"], BUDGET_DAY)
            walked = LogDecisions(app).taken(["budget"], ["kf"], BUDGET_DAY)
            # The same messages; the view does not know the log's position, which nothing reads.
            assert found == [w.model_copy(update={"notification_id": None}) for w in walked]
            measured.append((reads.read, *_query_steps(database), walk.read))
        (small_reads, small_steps, plan, small_walk), (large_reads, large_steps, _, large_walk) = measured
        assert (small_reads, large_reads) == (0, 0)
        assert large_steps == small_steps
        assert "USING INDEX" in plan
        assert large_walk > small_walk + 250  # what the walk costs: every decision, each time
    finally:
        decisions.close()


def test_the_arshjul_activity_finds_through_the_view_what_the_walk_of_the_log_finds(
    store: tuple[Settings, Governance],
) -> None:
    """The activity a late-started årshjul runs, given the view's finder as the worker gives it,
    answers with the decisions the walk of the log finds (a KF budget from that day on)."""
    settings, app = store
    _decisions(app, 3)
    decisions = ViewDecisions.open(settings)
    try:
        request = FindBeslutInput(kinds=["budget"], decided_by=["kf"], not_before=BUDGET_DAY)
        by_view = ArshjulActivities(GovernanceSteps(app, decisions=decisions))
        by_walk = ArshjulActivities(GovernanceSteps(app))
        found = asyncio.run(ActivityEnvironment().run(by_view.find_beslut, request))
        walked = asyncio.run(ActivityEnvironment().run(by_walk.find_beslut, request))
        assert [f.beslut_id for f in found] == [w.beslut_id for w in walked] != []
        assert found == [w.model_copy(update={"notification_id": None}) for w in walked]
        later = FindBeslutInput(
            kinds=["budget"], decided_by=["kf"], not_before=BUDGET_DAY + timedelta(days=1)
        )
        assert asyncio.run(ActivityEnvironment().run(by_view.find_beslut, later)) == []
    finally:
        decisions.close()
