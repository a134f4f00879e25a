"""The avvikelse view: every deviation, the level holding it and since when, for the board."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.values import AvvikelseStatus
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sqlite_view import SQLiteView
from lerum_flow.projections.view import ViewReads

# Every status but closed: the board's, read through the status index.
OPEN_STATUSES = tuple(s.value for s in AvvikelseStatus if s is not AvvikelseStatus.CLOSED)


@dataclass(frozen=True)
class AvvikelseRow(Row):
    table: ClassVar[str] = "avvikelse_view"
    indexes: ClassVar[tuple[str, ...]] = ("level", "status")
    # The inbox as of a day reads the deviations at the position's level waiting to be acknowledged
    # from the history: by level with the status, as known now and from the day on (as the uppdrag's).
    history_indexes: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("level", "status", "known_until", "held_until"),
    )

    id: UUID
    reporter: str
    subject_kind: str
    subject_ref: str
    severity: str
    category: str
    description: str
    level: str
    status: str
    occurred_on: date
    # When it reached its current level: the recorded time (deadlines are in
    # hours) and the business date (for as-of answers).
    at_level_since: datetime
    at_level_on: date
    acknowledged_by: str
    escalations: int
    action: str
    resolution: str
    closed_on: date | None
    reported_at: datetime
    changed_at: datetime
    secrecy: str
    version: int

    @property
    def is_open(self) -> bool:
        return self.status != AvvikelseStatus.CLOSED

    @property
    def is_acknowledged(self) -> bool:
        return self.status != AvvikelseStatus.REPORTED


@dataclass(frozen=True)
class BoardLine:
    """One open deviation on the board: how long it has waited at its level, and until when it may."""

    avvikelse: AvvikelseRow
    waited: timedelta
    # When the level holding it must have acknowledged it; None once acknowledged
    # or if the styrmodell gives the level no deadline.
    deadline: datetime | None
    overdue: bool

    def urgency(self) -> tuple[bool, datetime, timedelta]:
        """Waiting for acknowledgement first, earliest deadline first; then the longest waiting."""
        return (self.deadline is None, self.deadline or self.avvikelse.at_level_since, -self.waited)


def open_avvikelser(
    view: ViewReads, level: str | tuple[str, ...] = "", *, unacknowledged: bool = False
) -> list[AvvikelseRow]:
    """The open deviations (at one level, or one of several), or only those not yet acknowledged:
    chosen by the view's indexes, so a long history of closed ones is never read for the board."""
    where: dict[str, object] = {
        "status": (AvvikelseStatus.REPORTED.value,) if unacknowledged else OPEN_STATUSES
    }
    if level:
        where["level"] = level
    return view.select(AvvikelseRow, **where)


def board_by_urgency(
    rows: Iterable[AvvikelseRow], *, now: datetime, deadline_of: Callable[[AvvikelseRow], datetime | None]
) -> list[tuple[str, list[BoardLine]]]:
    """Open deviations per level, most urgent first; the levels in the order of their most urgent one.

    `deadline_of` computes a row's acknowledgement deadline (the escalation's own
    rule, which this read model does not know).
    """
    by_level: dict[str, list[BoardLine]] = {}
    for row in rows:
        if not row.is_open:
            continue
        deadline = None if row.is_acknowledged else deadline_of(row)
        # Never less than nothing: a store whose record runs ahead of the clock (a simulated
        # mandate period) has deviations that have not waited yet.
        waited = max(now - row.at_level_since, timedelta(0))
        line = BoardLine(row, waited, deadline, deadline is not None and now > deadline)
        by_level.setdefault(row.level, []).append(line)
    for lines in by_level.values():
        lines.sort(key=BoardLine.urgency)
    return sorted(by_level.items(), key=lambda item: (item[1][0].urgency(), item[0]))


def _reported(e: Avvikelse.Reported) -> Sequence[Change]:
    row = AvvikelseRow(
        id=e.originator_id,
        reporter=e.actor,
        subject_kind=e.subject_kind,
        subject_ref=e.subject_ref,
        severity=e.severity,
        category=e.category,
        description=e.description,
        level=e.level,
        status=AvvikelseStatus.REPORTED.value,
        occurred_on=e.effective_on,
        at_level_since=e.timestamp,
        at_level_on=e.effective_on,
        acknowledged_by="",
        escalations=0,
        action="",
        resolution="",
        closed_on=None,
        reported_at=e.timestamp,
        changed_at=e.timestamp,
        secrecy=e.secrecy,
        version=e.originator_version,
    )
    return [Insert(row)]


def _assessed(e: Avvikelse.Assessed) -> Sequence[Change]:
    return [Update(AvvikelseRow, (e.originator_id,), {"severity": e.severity, **stamp_values(e)})]


def _acknowledged(e: Avvikelse.Acknowledged) -> Sequence[Change]:
    values = {"status": AvvikelseStatus.ACKNOWLEDGED.value, "acknowledged_by": e.person, **stamp_values(e)}
    return [Update(AvvikelseRow, (e.originator_id,), values)]


def _escalated(e: Avvikelse.Escalated) -> Sequence[Change]:
    values = {
        "level": e.to_level,
        "status": AvvikelseStatus.REPORTED.value,
        "acknowledged_by": "",
        "at_level_since": e.timestamp,
        "at_level_on": e.effective_on,
        **stamp_values(e),
    }
    return [Update(AvvikelseRow, (e.originator_id,), values, {"escalations": 1})]


def _action_decided(e: Avvikelse.ActionDecided) -> Sequence[Change]:
    values = {"status": AvvikelseStatus.ACTION_DECIDED.value, "action": e.action, **stamp_values(e)}
    return [Update(AvvikelseRow, (e.originator_id,), values)]


def _closed(e: Avvikelse.Closed) -> Sequence[Change]:
    values = {
        "status": AvvikelseStatus.CLOSED.value,
        "resolution": e.resolution,
        "closed_on": e.effective_on,
        **stamp_values(e),
    }
    return [Update(AvvikelseRow, (e.originator_id,), values)]


class SQLiteAvvikelseView(SQLiteView):
    row_types = (AvvikelseRow,)


class PostgresAvvikelseView(PostgresView):
    row_types = (AvvikelseRow,)


class AvvikelseProjection(ViewProjection):
    name = "avvikelse_view"
    sqlite_view = SQLiteAvvikelseView
    postgres_view = PostgresAvvikelseView
    folds_by_record = True
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Avvikelse.Reported: _reported,
        Avvikelse.Assessed: _assessed,
        Avvikelse.Acknowledged: _acknowledged,
        Avvikelse.Escalated: _escalated,
        Avvikelse.ActionDecided: _action_decided,
        Avvikelse.Closed: _closed,
    }
