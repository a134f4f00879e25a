"""The delegering view: every delegation, from whom, under which decision, and from when to when."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.delegation_chain import in_force
from lerum_flow.domain.delegering import Delegering
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sql import Range
from lerum_flow.projections.sqlite_view import SQLiteView
from lerum_flow.projections.view import ViewReads


@dataclass(frozen=True)
class DelegeringRow(Row):
    table: ClassVar[str] = "delegering_view"
    indexes: ClassVar[tuple[str, ...]] = ("delegate", "granted_by", "parent_id")

    id: UUID
    granted_by: str
    delegate: str
    matter: str
    urgent: bool
    beslut_id: UUID
    parent_id: UUID | None
    conditions: str
    valid_from: date
    valid_until: date | None
    revocation_reason: str
    revoked_by_beslut_id: UUID | None
    granted_at: datetime
    changed_at: datetime
    version: int

    def in_force_on(self, day: date) -> bool:
        """The aggregate's rule: from the first day, up to but not on the last."""
        return in_force(self.valid_from, self.valid_until, day)

    @staticmethod
    def in_force_between(start: date | None, end: date | None) -> dict[str, object]:
        """`in_force_on` some day from `start` to `end` (None: open), as a view query's conditions."""
        where: dict[str, object] = {}
        if end is not None:
            where["valid_from"] = Range(high=end)
        if start is not None:
            where["valid_until"] = Range(low=start, after_low=True, or_null=True)
        return where


def with_chains(view: ViewReads, rows: Iterable[DelegeringRow]) -> dict[UUID, DelegeringRow]:
    """`rows` and every delegation they rest on, by id: those above read level by level by key (a
    chain is a few links long), never the whole view."""
    known = {row.id: row for row in rows}
    wanted = {row.parent_id for row in known.values()} - {None} - known.keys()
    while wanted:
        found = view.query(DelegeringRow, {"id": tuple(wanted)})
        known.update((row.id, row) for row in found)
        wanted = {row.parent_id for row in found} - {None} - known.keys()
    return known


def _granted(e: Delegering.Granted) -> Sequence[Change]:
    row = DelegeringRow(
        id=e.originator_id,
        granted_by=e.granted_by,
        delegate=e.delegate,
        matter=e.matter,
        urgent=e.urgent,
        beslut_id=e.beslut_id,
        parent_id=e.parent_id,
        conditions=e.conditions,
        valid_from=e.effective_on,
        valid_until=None,
        revocation_reason="",
        revoked_by_beslut_id=None,
        granted_at=e.timestamp,
        changed_at=e.timestamp,
        version=e.originator_version,
    )
    return [Insert(row)]


def _revoked(e: Delegering.Revoked) -> Sequence[Change]:
    values = {
        "valid_until": e.effective_on,
        "revocation_reason": e.reason,
        "revoked_by_beslut_id": e.beslut_id,
        **stamp_values(e),
    }
    return [Update(DelegeringRow, (e.originator_id,), values)]


class SQLiteDelegeringView(SQLiteView):
    row_types = (DelegeringRow,)


class PostgresDelegeringView(PostgresView):
    row_types = (DelegeringRow,)


class DelegeringProjection(ViewProjection):
    name = "delegering_view"
    sqlite_view = SQLiteDelegeringView
    postgres_view = PostgresDelegeringView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Delegering.Granted: _granted,
        Delegering.Revoked: _revoked,
    }
