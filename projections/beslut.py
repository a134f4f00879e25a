"""The beslut view: the decision register, with the anmälan of every delegated decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.record_order import RecordFold
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sql import Range
from lerum_flow.projections.sqlite_view import SQLiteView


@dataclass(frozen=True)
class BeslutRow(Row):
    table: ClassVar[str] = "beslut_view"
    # The last: what a position has still to report (its inbox), past its reported and its own decisions.
    indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = (
        "decided_by",
        "delegering_id",
        ("decided_by", "reported", "delegering_id"),
    )

    id: UUID
    decided_by: str
    kind: str
    diarienummer: str
    paragraf: str
    title: str
    matter: str
    delegering_id: UUID | None
    report_to: str
    decided_on: date
    reported: bool
    reported_on: date | None
    minutes_paragraf: str
    corrections: int
    recorded_at: datetime
    changed_at: datetime
    secrecy: str
    version: int

    @property
    def is_delegated(self) -> bool:
        return self.delegering_id is not None

    @property
    def awaits_report(self) -> bool:
        """A delegated decision must be reported (anmält) to the delegating organ."""
        return self.is_delegated and not self.reported

    # `awaits_report` as a view query's conditions: delegated (under any delegering), not reported.
    AWAITING_REPORT: ClassVar[Mapping[str, object]] = {"reported": False, "delegering_id": Range()}


@dataclass(frozen=True)
class TakenRow(Row):
    """A decision as it was taken, what a process waiting for one asks about (which organ, of
    what kind, from which day; a budget's year and kind): one indexed read, however long the log."""

    table: ClassVar[str] = "beslut_view_taken"
    indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = (("decided_by", "kind", "decided_on"),)

    id: UUID
    decided_by: str
    kind: str
    decided_on: date
    budget_year: int | None
    budget_kind: str | None
    recorded_at: datetime
    version: int

    # Needed only as the log stands now: no history of it is kept.
    historic: ClassVar[bool] = False


def _taken(e: Beslut.Taken) -> Sequence[Change]:
    row = BeslutRow(
        id=e.originator_id,
        decided_by=e.decided_by,
        kind=e.kind,
        diarienummer=e.diarienummer,
        paragraf=e.paragraf,
        title=e.title,
        matter=e.matter,
        delegering_id=e.delegering_id,
        report_to=e.report_to,
        decided_on=e.effective_on,
        reported=False,
        reported_on=None,
        minutes_paragraf="",
        corrections=0,
        recorded_at=e.timestamp,
        changed_at=e.timestamp,
        secrecy=e.secrecy,
        version=e.originator_version,
    )
    taken = TakenRow(
        id=e.originator_id,
        decided_by=e.decided_by,
        kind=e.kind,
        decided_on=e.effective_on,
        budget_year=e.budget_year,
        budget_kind=e.budget_kind,
        recorded_at=e.timestamp,
        version=e.originator_version,
    )
    return [Insert(row), Insert(taken)]


def _corrected(e: Beslut.Corrected) -> Sequence[Change]:
    values = {"diarienummer": e.diarienummer, "paragraf": e.paragraf, "title": e.title, **stamp_values(e)}
    return [Update(BeslutRow, (e.originator_id,), values, {"corrections": 1})]


def _reported(e: Beslut.Reported) -> Sequence[Change]:
    values = {
        "reported": True,
        "reported_on": e.effective_on,
        "minutes_paragraf": e.minutes_paragraf,
        **stamp_values(e),
    }
    return [Update(BeslutRow, (e.originator_id,), values)]


class SQLiteBeslutView(SQLiteView):
    row_types = (BeslutRow, TakenRow)


class PostgresBeslutView(PostgresView):
    row_types = (BeslutRow, TakenRow)


class BeslutProjection(ViewProjection):
    name = "beslut_view"
    sqlite_view = SQLiteBeslutView
    postgres_view = PostgresBeslutView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Beslut.Taken: _taken,
        Beslut.Corrected: _corrected,
        Beslut.Reported: _reported,
    }

    @classmethod
    def record_fold(cls) -> RecordFold:
        # Not the handlers' fold (`handler_fold`): measured on a Lerum mandate period, building
        # the handlers' rows and changes made this view's rebuild, the longest, 15 % slower.
        # Imported here: it builds this module's rows.
        from lerum_flow.projections.beslut_stored import fold_beslut

        return fold_beslut
