"""The befattning view: the positions established below the styrmodell's fixed chain.

Why: the positions below one on a day (whom its holder may give an uppdrag to,
offered on every uppdrag page its recipient may break down) were found by
reading every Befattning event in the log, a cost that grows with the log. One
row per established position; its history (bitemporal.py) holds it from the
day it was established, and discontinued from the day it was, as known on each
day: `view_lookups.ViewPositions` reads it by parent, never the log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sqlite_view import SQLiteView


@dataclass(frozen=True)
class BefattningRow(Row):
    table: ClassVar[str] = "befattning_view"
    # The positions below one are read level by level from the history, by parent; whether a
    # code of the fixed chain was established over, by code (view_lookups.ViewPositions). Nothing
    # reads the current rows by either, so they are not indexed: one index less to write.
    history_indexes: ClassVar[tuple[str, ...]] = ("code", "parent")

    id: UUID
    code: str
    name: str
    kind: str
    # The code of the position above it ("" for none, as the event holds it).
    parent: str
    established_on: date
    # The first day it no longer exists (None: not discontinued).
    discontinued_on: date | None
    changed_at: datetime
    version: int


@dataclass(frozen=True)
class Standing(Row):
    """The columns of a befattning's history rows that make a `Position`: a question about the
    whole organisation reads thousands of rows and needs nothing else (`GovernanceView.query_into`)."""

    table: ClassVar[str] = BefattningRow.table

    code: str
    name: str
    kind: str
    parent: str

    def position(self) -> Position:
        """As `Befattning.position` holds it."""
        kind = PositionKind(self.kind)
        return Position(id=self.code, name=self.name, kind=kind, parent=self.parent or None)


def _established(e: Befattning.Established) -> Sequence[Change]:
    row = BefattningRow(
        id=e.originator_id,
        code=e.code,
        name=e.name,
        kind=e.kind,
        parent=e.parent,
        established_on=e.effective_on,
        discontinued_on=None,
        changed_at=e.timestamp,
        version=e.originator_version,
    )
    return [Insert(row)]


def _discontinued(e: Befattning.Discontinued) -> Sequence[Change]:
    values = {"discontinued_on": e.effective_on, **stamp_values(e)}
    return [Update(BefattningRow, (e.originator_id,), values)]


class SQLiteBefattningView(SQLiteView):
    row_types = (BefattningRow,)


class PostgresBefattningView(PostgresView):
    row_types = (BefattningRow,)


class BefattningProjection(ViewProjection):
    name = "befattning_view"
    sqlite_view = SQLiteBefattningView
    postgres_view = PostgresBefattningView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Befattning.Established: _established,
        Befattning.Discontinued: _discontinued,
    }
