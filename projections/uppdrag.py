"""The uppdrag view: every uppdrag with its giver, recipient, status and latest assessment,
and every återrapportering, for the tree, the inbox and the trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sql import Range
from lerum_flow.projections.sqlite_view import SQLiteView

# The recipient still owes a report: past `due`, such an uppdrag is overdue.
AWAITING_REPORT = frozenset({UppdragStatus.ISSUED, UppdragStatus.ACCEPTED, UppdragStatus.REPORT_RETURNED})
FINISHED = frozenset({UppdragStatus.COMPLETED, UppdragStatus.WITHDRAWN})
AWAITING_REPORT_VALUES = tuple(sorted(s.value for s in AWAITING_REPORT))


@dataclass(frozen=True)
class UppdragRow(Row):
    table: ClassVar[str] = "uppdrag_view"
    # With `status`: what waits for a position in its inbox (as recipient, as giver), and what is
    # overdue on a day (drift status), one seek per status, however many are finished.
    indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = (
        "recipient",
        "giver",
        "origin_beslut_id",
        "parent_id",
        ("status", "due"),
        ("recipient", "status"),
        ("giver", "status"),
        # What answers a budget year's steps in the årshjul: the uppdrag named by giver and title
        # (each title names its year), not every uppdrag the giver ever gave.
        ("giver", "title"),
    )
    # The inbox as of a day (the web's `views_at`) reads what waited for a position from the history:
    # by recipient and by giver with the status; then as known now (`known_until` open) and from the
    # day on (`held_until`), so as known now neither other positions' uppdrag nor the position's own
    # that had finished before the day are read (each change leaves its row's earlier status held to
    # the end of time as known before the change: only `known_until` tells it).
    history_indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = (
        ("recipient", "status", "known_until", "held_until"),
        ("giver", "status", "known_until", "held_until"),
    )

    id: UUID
    kind: str
    giver: str
    recipient: str
    title: str
    description: str
    due: date | None
    origin_beslut_id: UUID | None
    parent_id: UUID | None
    status: str
    assessment: str
    period: str
    reports: int
    issued_on: date
    status_on: date
    issued_at: datetime
    changed_at: datetime
    secrecy: str
    version: int

    @property
    def is_open(self) -> bool:
        """Neither completed nor withdrawn: still pågående."""
        return self.status not in FINISHED

    def is_overdue(self, on: date) -> bool:
        return self.due is not None and self.due < on and self.status in AWAITING_REPORT

    @staticmethod
    def overdue_conditions(on: date) -> dict[str, object]:
        """`is_overdue` on the day, as a view query's conditions."""
        return {"status": AWAITING_REPORT_VALUES, "due": Range(high=on - timedelta(days=1))}


@dataclass(frozen=True)
class ReportRow(Row):
    """One återrapportering, kept beside the uppdrag's latest state."""

    table: ClassVar[str] = "uppdrag_view_reports"
    key: ClassVar[tuple[str, ...]] = ("uppdrag_id", "version")

    uppdrag_id: UUID
    version: int
    period: str
    assessment: str
    text: str
    reported_on: date
    recorded_at: datetime
    person: str


def _issued(e: Uppdrag.Issued) -> Sequence[Change]:
    row = UppdragRow(
        id=e.originator_id,
        kind=e.kind,
        giver=e.giver,
        recipient=e.recipient,
        title=e.title,
        description=e.description,
        due=e.due,
        origin_beslut_id=e.origin_beslut_id,
        parent_id=e.parent_id,
        status=UppdragStatus.ISSUED.value,
        assessment="",
        period="",
        reports=0,
        issued_on=e.effective_on,
        status_on=e.effective_on,
        issued_at=e.timestamp,
        changed_at=e.timestamp,
        secrecy=e.secrecy,
        version=e.originator_version,
    )
    return [Insert(row)]


def _status(status: UppdragStatus) -> Handler:
    """A handler for an event whose only effect on the view is a new status."""

    value = status.value  # looked up once: an enum member's value is a property

    def handle(e: Uppdrag.Event) -> Sequence[Change]:
        values = {"status": value, "status_on": e.effective_on, **stamp_values(e)}
        return [Update(UppdragRow, (e.originator_id,), values)]

    return handle


def _reported(e: Uppdrag.Reported) -> Sequence[Change]:
    values = {
        "status": UppdragStatus.REPORTED.value,
        "status_on": e.effective_on,
        "assessment": e.assessment,
        "period": e.period,
        **stamp_values(e),
    }
    report = ReportRow(
        uppdrag_id=e.originator_id,
        version=e.originator_version,
        period=e.period,
        assessment=e.assessment,
        text=e.text,
        reported_on=e.effective_on,
        recorded_at=e.timestamp,
        person=e.person,
    )
    return [Update(UppdragRow, (e.originator_id,), values, {"reports": 1}), Insert(report)]


def _revised(e: Uppdrag.Revised) -> Sequence[Change]:
    values = {"title": e.title, "description": e.description, "due": e.due, **stamp_values(e)}
    return [Update(UppdragRow, (e.originator_id,), values)]


class SQLiteUppdragView(SQLiteView):
    row_types = (UppdragRow, ReportRow)


class PostgresUppdragView(PostgresView):
    row_types = (UppdragRow, ReportRow)


class UppdragProjection(ViewProjection):
    name = "uppdrag_view"
    sqlite_view = SQLiteUppdragView
    postgres_view = PostgresUppdragView
    folds_by_record = True
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Uppdrag.Issued: _issued,
        Uppdrag.Accepted: _status(UppdragStatus.ACCEPTED),
        Uppdrag.Reported: _reported,
        Uppdrag.ReportAccepted: _status(UppdragStatus.REPORT_ACCEPTED),
        Uppdrag.ReportReturned: _status(UppdragStatus.REPORT_RETURNED),
        Uppdrag.Revised: _revised,
        Uppdrag.Completed: _status(UppdragStatus.COMPLETED),
        Uppdrag.Withdrawn: _status(UppdragStatus.WITHDRAWN),
    }
