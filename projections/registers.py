"""The registers read from the views: decisions, delegations in force, the deviation board,
and the state of every mandate on a day, with the governing documents then in force and the
internal control (what `audit as-of` shows of its replay)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar
from uuid import UUID

from lerum_flow.domain.delegation_chain import broken_link, chain_of
from lerum_flow.projections.avvikelse import AvvikelseRow, open_avvikelser
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.internkontroll_register import InternkontrollRegister, internkontroll_register
from lerum_flow.projections.sql import Range
from lerum_flow.projections.store import Views
from lerum_flow.projections.styrdokument import StyrdokumentRow
from lerum_flow.projections.uppdrag import FINISHED, UppdragRow

T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included; None: open at that end."""

    start: date | None = None
    end: date | None = None


ALL_TIME = Period()


@dataclass(frozen=True)
class Paging:
    """At most `limit` rows (None: all), after skipping `offset`."""

    limit: int | None = None
    offset: int = 0


EVERYTHING = Paging()


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a register and how many rows the whole register has."""

    rows: list[T]
    total: int
    offset: int = 0

    @property
    def after(self) -> int:
        """How many rows come after this page."""
        return max(0, self.total - self.offset - len(self.rows))


def beslut_register(
    views: Views,
    *,
    unreported: bool = False,
    organ: str = "",
    period: Period = ALL_TIME,
    paging: Paging = EVERYTHING,
) -> Page[BeslutRow]:
    """Decisions decided in `period`, in date order; `unreported`: only delegated ones not yet anmälda."""
    where: dict[str, object] = {"decided_by": organ} if organ else {}
    if unreported:
        where.update(BeslutRow.AWAITING_REPORT)
    if period != ALL_TIME:
        where["decided_on"] = Range(period.start, period.end)
    order = ("decided_on", "diarienummer", "paragraf")
    rows = views.beslut.query(BeslutRow, where, order_by=order, limit=paging.limit, offset=paging.offset)
    total = len(rows) if paging == EVERYTHING else views.beslut.count(BeslutRow, where)
    return Page(rows, total, paging.offset)


@dataclass(frozen=True)
class DelegationEntry:
    delegering: DelegeringRow
    beslut: BeslutRow | None


def delegation_register(
    views: Views,
    *,
    on: date | None = None,
    period: Period = ALL_TIME,
    paging: Paging = EVERYTHING,
) -> Page[DelegationEntry]:
    """Delegations in force on `on`, or at some time in `period` (all ever granted if neither),
    with the decision each rests on, by delegate, matter and first day.

    On a day, a delegation is in force only if its whole chain is (the rule
    `audit authority` and the commands follow): a vidaredelegation whose
    delegation above was revoked has fallen with it.
    """
    order = ("delegate", "matter", "valid_from")
    if on is not None:
        day_rows = views.delegering.query(
            DelegeringRow, DelegeringRow.in_force_between(on, on), order_by=order
        )
        # One finder for every row: it indexes the day's rows once (per row, that was quadratic).
        find = _finder(views, day_rows)
        carried = [r for r in day_rows if broken_link(chain_of(r, find), on) is None]
        end = None if paging.limit is None else paging.offset + paging.limit
        shown = carried[paging.offset : end]
        beslut = beslut_by_id(views, {r.beslut_id for r in shown})
        return Page([DelegationEntry(r, beslut.get(r.beslut_id)) for r in shown], len(carried), paging.offset)
    where = DelegeringRow.in_force_between(period.start, period.end)
    rows = views.delegering.query(
        DelegeringRow, where, order_by=order, limit=paging.limit, offset=paging.offset
    )
    total = len(rows) if paging == EVERYTHING else views.delegering.count(DelegeringRow, where)
    beslut = beslut_by_id(views, {r.beslut_id for r in rows})
    return Page([DelegationEntry(r, beslut.get(r.beslut_id)) for r in rows], total, paging.offset)


def _finder(views: Views, known: list[DelegeringRow]) -> Callable[[UUID], DelegeringRow | None]:
    """Find a delegation by id among `known`, else in the view (a parent no longer in force)."""
    by_id = {r.id: r for r in known}

    def find(delegering_id: UUID) -> DelegeringRow | None:
        if delegering_id not in by_id:
            found = views.delegering.select(DelegeringRow, id=delegering_id)
            if not found:
                return None
            by_id[delegering_id] = found[0]
        return by_id[delegering_id]

    return find


def beslut_by_id(views: Views, ids: set[UUID]) -> dict[UUID, BeslutRow]:
    return {b.id: b for b in views.beslut.select(BeslutRow, id=tuple(ids))} if ids else {}


@dataclass(frozen=True)
class MandateState:
    """Every mandate as it stood on one day."""

    on: date
    uppdrag: list[UppdragRow]
    delegeringar: list[DelegationEntry]
    beslut: list[BeslutRow]
    avvikelser: list[AvvikelseRow]
    internkontroll: InternkontrollRegister
    styrdokument: list[StyrdokumentRow]

    @property
    def open_uppdrag(self) -> list[UppdragRow]:
        return [u for u in self.uppdrag if u.status not in FINISHED]

    @property
    def overdue_uppdrag(self) -> list[UppdragRow]:
        return [u for u in self.uppdrag if u.is_overdue(self.on)]

    @property
    def unreported_beslut(self) -> list[BeslutRow]:
        return [b for b in self.beslut if b.awaits_report]


def state_on(views: Views, on: date) -> MandateState:
    """The state in views built as of `on` (by the as-of replay), read as of that day."""
    uppdrag = sorted(views.uppdrag.select(UppdragRow), key=lambda u: (u.issued_on, u.title))
    return MandateState(
        on=on,
        uppdrag=uppdrag,
        delegeringar=delegation_register(views, on=on).rows,
        beslut=beslut_register(views).rows,
        avvikelser=open_avvikelser(views.avvikelse),
        internkontroll=internkontroll_register(views),
        styrdokument=views.styrdokument.query(
            StyrdokumentRow, StyrdokumentRow.IN_FORCE, order_by=("document_type", "title")
        ),
    )
