"""The styrdokument view: every governing document, what it derives from, whether it is in force,
and when it is next due for review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.dated_value import UNCHANGED
from lerum_flow.domain.styrdokument import Styrdokument, StyrdokumentStatus
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sql import Range
from lerum_flow.projections.sqlite_view import SQLiteView


@dataclass(frozen=True)
class StyrdokumentRow(Row):
    table: ClassVar[str] = "styrdokument_view"
    # `owner` and `scope`: what a position to be discontinued still answers for (view_lookups.ViewTies).
    # `status` and `review_by`: what in force is overdue for review (drift status), past the repealed.
    indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = (
        "document_type",
        "adopted_by",
        "scope",
        "owner",
        "parent_id",
        "review_by",
        ("status", "review_by"),
    )
    # Who owns it changes from a day (a revision with another owner, in force from a later day):
    # what a position to be discontinued owns from that day on is read from the history by owner.
    history_indexes: ClassVar[tuple[str, ...]] = ("owner",)

    id: UUID
    document_type: str
    title: str
    adopted_by: str
    # The decision that adopted it, and the latest one taken on it (revision, review, repeal).
    beslut_id: UUID
    latest_beslut_id: UUID
    owner: str
    scope: str
    parent_id: UUID | None
    status: str
    valid_from: date
    valid_until: date | None
    review_by: date | None
    # The day of the latest revision or review.
    reviewed_on: date | None
    revisions: int
    review_flagged: bool
    successor_id: UUID | None
    recorded_at: datetime
    changed_at: datetime
    secrecy: str
    version: int

    @property
    def in_force(self) -> bool:
        return self.status == StyrdokumentStatus.IN_FORCE

    # `in_force` as a view query's conditions.
    IN_FORCE: ClassVar[Mapping[str, object]] = {"status": str(StyrdokumentStatus.IN_FORCE)}

    def overdue_on(self, day: date) -> bool:
        """In force and not reviewed by the day it was due."""
        return self.in_force and self.review_by is not None and self.review_by < day

    @staticmethod
    def overdue_conditions(day: date) -> dict[str, object]:
        """`overdue_on` the day, as a view query's conditions."""
        return {"status": str(StyrdokumentStatus.IN_FORCE), "review_by": Range(high=day - timedelta(days=1))}


@dataclass(frozen=True)
class Owned(Row):
    """The columns of a styrdokument's history rows that say over which days (of business time) its
    owner held it: a position to be discontinued reads only these (`GovernanceView.query_into`)."""

    table: ClassVar[str] = StyrdokumentRow.table

    id: UUID
    held_from: date
    held_until: date


def _adopted(e: Styrdokument.Adopted) -> Sequence[Change]:
    row = StyrdokumentRow(
        id=e.originator_id,
        document_type=e.document_type,
        title=e.title,
        adopted_by=e.adopted_by,
        beslut_id=e.beslut_id,
        latest_beslut_id=e.beslut_id,
        owner=e.owner,
        scope=e.scope,
        parent_id=e.parent_id,
        status=str(StyrdokumentStatus.IN_FORCE),
        valid_from=e.effective_on,
        valid_until=None,
        review_by=e.review_by,
        reviewed_on=None,
        revisions=0,
        review_flagged=False,
        successor_id=None,
        recorded_at=e.timestamp,
        changed_at=e.timestamp,
        secrecy=e.secrecy,
        version=e.originator_version,
    )
    return [Insert(row)]


def _revised(e: Styrdokument.Revised) -> Sequence[Change]:
    # A title or owner it leaves unchanged is not written: a retitle or hand-over planned for a later
    # day stands.
    changed = {name: value for name, value in (("title", e.title), ("owner", e.owner)) if value != UNCHANGED}
    values = {
        **changed,
        "latest_beslut_id": e.beslut_id,
        "review_by": e.review_by,
        "reviewed_on": e.effective_on,
        "review_flagged": False,
        **stamp_values(e),
    }
    return [Update(StyrdokumentRow, (e.originator_id,), values, {"revisions": 1})]


def _reviewed(e: Styrdokument.Reviewed) -> Sequence[Change]:
    values = {
        "latest_beslut_id": e.beslut_id,
        "review_by": e.review_by,
        "reviewed_on": e.effective_on,
        "review_flagged": False,
        **stamp_values(e),
    }
    return [Update(StyrdokumentRow, (e.originator_id,), values)]


def _repealed(e: Styrdokument.Repealed) -> Sequence[Change]:
    return [_ended(e, StyrdokumentStatus.REPEALED, None)]


def _superseded(e: Styrdokument.Superseded) -> Sequence[Change]:
    return [_ended(e, StyrdokumentStatus.SUPERSEDED, e.successor_id)]


def _ended(
    e: Styrdokument.Repealed | Styrdokument.Superseded, status: StyrdokumentStatus, successor: UUID | None
) -> Update:
    values = {
        "status": str(status),
        "valid_until": e.effective_on,
        "latest_beslut_id": e.beslut_id,
        "successor_id": successor,
        **stamp_values(e),
    }
    return Update(StyrdokumentRow, (e.originator_id,), values)


def _flagged(e: Styrdokument.ReviewFlagged) -> Sequence[Change]:
    return [Update(StyrdokumentRow, (e.originator_id,), {"review_flagged": True, **stamp_values(e)})]


class SQLiteStyrdokumentView(SQLiteView):
    row_types = (StyrdokumentRow,)


class PostgresStyrdokumentView(PostgresView):
    row_types = (StyrdokumentRow,)


class StyrdokumentProjection(ViewProjection):
    name = "styrdokument_view"
    sqlite_view = SQLiteStyrdokumentView
    postgres_view = PostgresStyrdokumentView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Styrdokument.Adopted: _adopted,
        Styrdokument.Revised: _revised,
        Styrdokument.Reviewed: _reviewed,
        Styrdokument.Repealed: _repealed,
        Styrdokument.Superseded: _superseded,
        Styrdokument.ReviewFlagged: _flagged,
    }
