"""The views' history answers every (day, known on) exactly as the as-of replay does.

Random histories of decisions, corrections, delegations revoked and granted again,
uppdrag and deviations, recorded on chosen days (late, out of order, across midnight
in Swedish time); the replay is the definition. Every table is also the same (and
every view at the same position) whether the views followed the log event by event or were
rebuilt: in one page, record by record from the stored JSON, or holding the history of only one
row at a time in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from postgres_server import PgServer
from unit.governance_world import governance, send

from lerum_flow.domain.errors import Refusal
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.asof import AsOf, as_known, replay
from lerum_flow.projections.record_rebuild import can_rebuild_by_record
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import PROJECTIONS, ViewStore
from lerum_flow.record_ids import RecordLog
from lerum_flow.settings import Settings

START = datetime(2027, 1, 1, 8, tzinfo=UTC)
CURRENT_ONLY = {t.table for p in PROJECTIONS for t in p.sqlite_view.row_types if not t.historic}
YEAR = date(2027, 1, 1)

OPS = (
    "beslut",
    "delegated",
    "correct",
    "report_beslut",
    "grant",
    "revoke",
    "issue",
    "accept",
    "report_uppdrag",
    "revise",
    "withdraw",
    "avvikelse",
    "escalate",
    "close",
)


@dataclass(frozen=True)
class Step:
    op: str
    pick: int
    # Days the clock moves (sometimes back) and the hour of the day (UTC) it is recorded at.
    moved: int
    hour: int
    effective: int
    correction: bool


steps = st.lists(
    st.builds(
        Step,
        op=st.sampled_from(OPS),
        pick=st.integers(0, 5),
        moved=st.integers(-3, 40),
        hour=st.integers(0, 23),
        effective=st.integers(0, 300),
        correction=st.booleans(),
    ),
    min_size=1,
    max_size=18,
)


@dataclass
class Records:
    beslut: list[UUID] = field(default_factory=list)
    delegeringar: list[UUID] = field(default_factory=list)
    uppdrag: list[UUID] = field(default_factory=list)
    avvikelser: list[UUID] = field(default_factory=list)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _command(step: Step, records: Records, ordning: UUID, on: date) -> tuple[str, str, dict[str, Any]] | None:
    """The command a step sends (method, actor, fields), or None if it has no record to act on."""

    def one(ids: list[UUID]) -> UUID | None:
        return ids[step.pick % len(ids)] if ids else None

    op = step.op
    if op == "beslut":
        title = f"Beslut {len(records.beslut)}"
        fields = {
            "decided_by": "kf",
            "kind": "ovrigt",
            "diarienummer": "KF 1",
            "paragraf": "§ 2",
            "title": title,
            "decided_on": on,
        }
        return "take_beslut", "kf", fields
    if op == "delegated" and records.delegeringar:
        fields = {
            "decided_by": "kommundirektor",
            "kind": "ovrigt",
            "diarienummer": "KS 2",
            "title": f"Delegationsbeslut {len(records.beslut)}",
            "decided_on": on,
            "delegering_id": one(records.delegeringar),
        }
        return "take_beslut", "kommundirektor", fields
    if op == "grant":
        return (
            "grant_delegering",
            "ks",
            {
                "delegates": ["kommundirektor"],
                "matter": ("upphandling", "personal")[step.pick % 2],
                "beslut_id": ordning,
                "valid_from": on,
            },
        )
    if op == "issue":
        return (
            "issue_uppdrag",
            "kf",
            {
                "recipient": "ks",
                "title": f"Uppdrag {len(records.uppdrag)}",
                "origin_beslut_id": one(records.beslut),
                "issued_on": on,
                "due": on + timedelta(days=60),
            },
        )
    if op == "avvikelse":
        return (
            "report_avvikelse",
            "ks",
            {
                "subject_kind": "budgetomrade",
                "subject_ref": "forskola",
                "severity": "avvikelse",
                "category": "ekonomi",
                "description": f"Avvikelse {len(records.avvikelser)}",
                "occurred_on": on,
            },
        )
    beslut, delegering, uppdrag, avvikelse = (
        one(records.beslut),
        one(records.delegeringar),
        one(records.uppdrag),
        one(records.avvikelser),
    )
    by_op: dict[str, tuple[UUID | None, str, str, dict[str, Any]]] = {
        "correct": (
            beslut,
            "correct_beslut",
            "kf",
            {
                "beslut_id": beslut,
                "diarienummer": f"KF {step.pick}",
                "title": "Rättad",
                "reason": "Fel.",
                "corrected_on": on,
            },
        ),
        "report_beslut": (beslut, "report_beslut", "ks", {"beslut_id": beslut, "reported_on": on}),
        "revoke": (
            delegering,
            "revoke_delegering",
            "ks",
            {
                "delegering_id": delegering,
                "reason": "Ny ordning.",
                "valid_from": on,
            },
        ),
        "accept": (uppdrag, "accept_uppdrag", "ks", {"uppdrag_id": uppdrag, "on": on}),
        "report_uppdrag": (
            uppdrag,
            "report_uppdrag",
            "ks",
            {
                "uppdrag_id": uppdrag,
                "on": on,
                "assessment": "delvis",
                "text": "Delvis.",
            },
        ),
        "revise": (
            uppdrag,
            "revise_uppdrag",
            "kf",
            {
                "uppdrag_id": uppdrag,
                "on": on,
                "due": on + timedelta(days=step.pick),
                "reason": "Ändrat.",
            },
        ),
        "withdraw": (
            uppdrag,
            "withdraw_uppdrag",
            "kf",
            {"uppdrag_id": uppdrag, "on": on, "reason": "Behövs ej."},
        ),
        "escalate": (
            avvikelse,
            "escalate_avvikelse",
            ("kommundirektor", "ks")[step.pick % 2],
            {"avvikelse_id": avvikelse, "on": on},
        ),
        "close": (
            avvikelse,
            "close_avvikelse",
            ("kommundirektor", "ks")[step.pick % 2],
            {
                "avvikelse_id": avvikelse,
                "on": on,
                "resolution": "Klart.",
            },
        ),
    }
    if op not in by_op:  # a delegated decision with no delegation to take it under
        return None
    target, method, actor, fields = by_op[op]
    return None if target is None else (method, actor, fields)


def _record(settings_: Settings, history: list[Step], follow: ViewStore) -> list[datetime]:
    """Record the history (the views following it after every command); the times recorded."""
    clock = Clock()
    app = governance(settings_.eventsourcing_env("governance"), clock)
    times = [clock.now]
    try:
        ordning = send(
            app,
            "take_beslut",
            "ks",
            decided_by="ks",
            kind="delegationsordning",
            diarienummer="KS 1",
            title="Delegationsordning",
            paragraf="§ 1",
            decided_on=YEAR,
        ).id
        records = Records()
        for step in history:
            clock.now = max(START, clock.now + timedelta(days=step.moved)).replace(hour=step.hour)
            on = YEAR + timedelta(days=step.effective)
            command = _command(step, records, ordning, on)
            if command is None:
                continue
            method, actor, fields = command
            if step.correction:
                fields["correction"] = "Rättelse."
            try:
                outcome = send(app, method, actor, **fields)
            except Refusal:
                continue
            times.append(clock.now)
            kind = {
                "take_beslut": records.beslut,
                "grant_delegering": records.delegeringar,
                "issue_uppdrag": records.uppdrag,
                "report_avvikelse": records.avvikelser,
            }.get(method)
            if kind is not None and outcome.id not in kind:
                kind.append(outcome.id)
            follow.projector(page_size=2).catch_up()
        follow.projector().catch_up()
    finally:
        app.close()
    return times


def _days(log: RecordLog) -> tuple[list[date], list[date]]:
    """The days on which an answer can change, on each axis, and the day before each."""
    effective: set[date] = set()
    known: set[date] = set()
    for notification in log.recorder.select_notifications(start=1, limit=100_000):
        event: Any = log.mapper.to_domain_event(notification)
        effective.add(event.effective_on)
        known.add(event.timestamp.astimezone(MUNICIPAL_TIME).date())
    return _around(effective), _around(known)


def _around(days: set[date]) -> list[date]:
    return sorted({d + timedelta(days=k) for d in days for k in (-1, 0)})


def _spread(days: list[date], most: int) -> list[date]:
    if len(days) <= most:
        return days
    return [days[round(i * (len(days) - 1) / (most - 1))] for i in range(most)]


def _dump(views: Any) -> dict[str, list[Row]]:
    """Every table with a history (a table kept only as the log stands now has none to compare)."""
    return {
        table: rows
        for view in vars(views).values()
        for table, rows in view.dump().items()
        if table not in CURRENT_ONLY
    }


def _history_tables(store: ViewStore) -> dict[str, list[Row]]:
    return {t.table: p.view.query(t, {}) for p in store.projections for t in p.view.history_types}


def _tables(store: ViewStore) -> tuple[dict[str, list[Row]], dict[str, int]]:
    """Every table of every view (its current rows and its history), and where each view is."""
    current = {table: rows for p in store.projections for table, rows in p.view.dump().items()}
    return {**current, **_history_tables(store)}, store.projector().positions()


@contextmanager
def _store(database: str, tmp_path: Path, postgres: PgServer | None) -> Iterator[Settings]:
    if postgres is None:
        yield Settings(database_url=f"sqlite:///{tmp_path / uuid4().hex / 'governance.db'}")
        return
    url = postgres.create_database()
    try:
        yield Settings(database_url=url)
    finally:
        postgres.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> tuple[str, PgServer | None]:
    server = request.getfixturevalue("postgres_server") if request.param == "postgres" else None
    return request.param, server


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps)
def test_the_history_answers_every_day_as_known_on_every_day_as_the_replay(
    history: list[Step], database: tuple[str, PgServer | None], tmp_path: Path
) -> None:
    """For every day that can change an answer, and the day before it, on both axes (and as known
    now), the views' history tables hold exactly the rows the replay builds."""
    name, server = database
    with _store(name, tmp_path, server) as settings_:
        follow = ViewStore.open(settings_)
        try:
            _record(settings_, history, follow)
            followed = _tables(follow)
            # The beslut, uppdrag and avvikelse views rebuilt record by record from the stored
            # JSON through their handlers (`record_rebuild`, `handler_fold`).
            for projection in follow.projections:
                assert can_rebuild_by_record(projection, follow.log) == (projection.record_fold() is not None)
            follow.projector().rebuild()
            assert _tables(follow) == followed
            # Every view from the log's pages, holding one row's history at a time: a row changed
            # again is read back from the table.
            follow.projector(page_size=1).rebuild(held_rows=1, by_record=False)
            assert _tables(follow) == followed
            effective, known = _days(follow.log)
            for known_on in [*_spread(known, 6), None]:
                for on in _spread(effective, 8):
                    asked = AsOf(on, known_on)
                    replayed = replay(follow.log, asked)
                    try:
                        expected = _dump(replayed.views)
                    finally:
                        replayed.close()
                    assert _dump(as_known(follow.views, asked)) == expected, asked
        finally:
            follow.close()
