"""The förordnande view: who holds which position, in which role, from when to when.

Why: who held a position on a day (what a login may do, who `audit authority`
names) was found by reading every förordnande event in the log, a cost that
grows with every term the store keeps. One row per förordnande (position and
person) holds its latest term; its history (bitemporal.py) holds each term on
the days of business time it was the latest one begun, as known on each day.

A förordnande's history rows known on a day, by `held_from`, hold its terms in
order, each ended in its last row as far as was known: `view_lookups.ViewHoldings`
reads them by position or person, never the log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.forordnande import Forordnande, first_day_after
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sqlite_view import SQLiteView


@dataclass(frozen=True)
class ForordnandeRow(Row):
    table: ClassVar[str] = "forordnande_view"
    indexes: ClassVar[tuple[str, ...]] = ("position", "appointee")
    # Who held a position, or what a person held, is read from the history (view_lookups.ViewHoldings).
    history_indexes: ClassVar[tuple[str, ...]] = ("position", "appointee")

    id: UUID
    position: str
    appointee: str
    # The latest term begun: its role, first day and first day without it (None: not ended).
    role: str
    valid_from: date
    ends: date | None
    changed_at: datetime
    version: int

    def covers(self, day: date) -> bool:
        """The rule of `forordnande.Term.covers`: from the first day, up to but not on `ends`."""
        return self.valid_from <= day and (self.ends is None or day < self.ends)


def _appointed(e: Forordnande.Appointed) -> Sequence[Change]:
    row = ForordnandeRow(
        id=e.originator_id,
        position=e.position,
        appointee=e.appointee,
        role=e.role,
        valid_from=e.effective_on,
        ends=first_day_after(e.valid_until),
        changed_at=e.timestamp,
        version=e.originator_version,
    )
    return [Insert(row)]


def _reappointed(e: Forordnande.Reappointed) -> Sequence[Change]:
    values = {
        "role": e.role,
        "valid_from": e.effective_on,
        "ends": first_day_after(e.valid_until),
        **stamp_values(e),
    }
    return [Update(ForordnandeRow, (e.originator_id,), values)]


def _ended(e: Forordnande.Ended) -> Sequence[Change]:
    return [Update(ForordnandeRow, (e.originator_id,), {"ends": e.effective_on, **stamp_values(e)})]


class SQLiteForordnandeView(SQLiteView):
    row_types = (ForordnandeRow,)


class PostgresForordnandeView(PostgresView):
    row_types = (ForordnandeRow,)


class ForordnandeProjection(ViewProjection):
    name = "forordnande_view"
    sqlite_view = SQLiteForordnandeView
    postgres_view = PostgresForordnandeView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Forordnande.Appointed: _appointed,
        Forordnande.Reappointed: _reappointed,
        Forordnande.Ended: _ended,
    }
