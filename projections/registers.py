"""The registers read from the views: decisions, delegations in force, the deviation board,
and the state of every mandate on a day, with the governing documents then in force and the
internal control (what `audit as-of` shows of its replay)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar
from uuid import UUID

from lerum_flow.domain.delegation_chain import broken_link, chain_of
from lerum_flow.projections.avvikelse import AvvikelseRow, open_avvikelser
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.internkontroll_register import InternkontrollRegister, internkontroll_register
from lerum_flow.projections.sql import BATCH_ROWS, Range, in_chunks
from lerum_flow.projections.store import Views
from lerum_flow.projections.styrdokument import StyrdokumentRow
from lerum_flow.projections.uppdrag import UppdragRow

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


# The decision register's order: by day, then diarienummer and paragraf.
BESLUT_ORDER = ("decided_on", "diarienummer", "paragraf")


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
    rows = views.beslut.query(
        BeslutRow, where, order_by=BESLUT_ORDER, limit=paging.limit, offset=paging.offset
    )
    total = len(rows) if paging == EVERYTHING else views.beslut.count(BeslutRow, where)
    return Page(rows, total, paging.offset)


def unreported_by(views: Views, position: str) -> list[BeslutRow]:
    """The delegated decisions `position` took and has not yet reported (anmält), in key order."""
    return views.beslut.query(BeslutRow, {"decided_by": position, **BeslutRow.AWAITING_REPORT})


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
    """These decisions, read by key (those not in the view are left out)."""
    return {b.id: b for chunk in in_chunks(sorted(ids)) for b in views.beslut.select(BeslutRow, id=chunk)}


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
        return [u for u in self.uppdrag if u.is_open]

    @property
    def overdue_uppdrag(self) -> list[UppdragRow]:
        return [u for u in self.uppdrag if u.is_overdue(self.on)]

    @property
    def unreported_beslut(self) -> list[BeslutRow]:
        return [b for b in self.beslut if b.awaits_report]


@dataclass(frozen=True)
class UppdragCounts:
    """How many uppdrag there were on a day, how many still open, and how many overdue."""

    total: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class StateInParts:
    """Every mandate as it stood on one day, the two long registers (uppdrag and decisions, every
    one up to the day) read a batch at a time as they are used: what `audit as-of` prints for
    the whole municipality, in memory that grows with a batch, not with the answer (which at a
    million events is some 400,000 rows). `state_on` is the same read all at once."""

    on: date
    views: Views
    delegeringar: list[DelegationEntry]
    avvikelser: list[AvvikelseRow]
    internkontroll: InternkontrollRegister
    styrdokument: list[StyrdokumentRow]

    def uppdrag(self, size: int = BATCH_ROWS) -> Iterator[list[UppdragRow]]:
        """By day of issue, then title (then id), in batches of whole days of at least `size` rows
        (the last may be fewer): the view orders by day, each day is sorted here."""
        ready: list[UppdragRow] = []
        day: list[UppdragRow] = []
        for batch in self.views.uppdrag.batches(UppdragRow, {}, order_by=("issued_on",), size=size):
            for row in batch:
                if day and row.issued_on != day[0].issued_on:
                    ready += sorted(day, key=_title)
                    day = []
                    if len(ready) >= size:
                        yield ready
                        ready = []
                day.append(row)
        ready += sorted(day, key=_title)
        if ready:
            yield ready

    def uppdrag_counts(self) -> UppdragCounts:
        """Counted as the uppdrag are read (`MandateState.open_uppdrag`, `overdue_uppdrag`)."""
        total = still_open = overdue = 0
        for batch in self.uppdrag():
            total += len(batch)
            still_open += sum(1 for u in batch if u.is_open)
            overdue += sum(1 for u in batch if u.is_overdue(self.on))
        return UppdragCounts(total, still_open, overdue)

    def beslut(self, size: int = BATCH_ROWS) -> Iterator[list[BeslutRow]]:
        """Every decision up to the day, in `beslut_register`'s order."""
        return self.views.beslut.batches(BeslutRow, {}, order_by=BESLUT_ORDER, size=size)

    def beslut_count(self, *, unreported: bool = False) -> int:
        where = BeslutRow.AWAITING_REPORT if unreported else {}
        return self.views.beslut.count(BeslutRow, where)


def _title(row: UppdragRow) -> str:
    return row.title


def state_in_parts(views: Views, on: date) -> StateInParts:
    """The state in views built as of `on` (or read from their history as of it), the short
    registers read now and the long ones as they are used."""
    return StateInParts(
        on=on,
        views=views,
        delegeringar=delegation_register(views, on=on).rows,
        avvikelser=open_avvikelser(views.avvikelse),
        internkontroll=internkontroll_register(views),
        styrdokument=views.styrdokument.query(
            StyrdokumentRow, StyrdokumentRow.IN_FORCE, order_by=("document_type", "title")
        ),
    )


def state_on(views: Views, on: date) -> MandateState:
    """The state in views built as of `on` (by the as-of replay), read as of that day, whole."""
    parts = state_in_parts(views, on)
    return MandateState(
        on=on,
        uppdrag=[u for batch in parts.uppdrag() for u in batch],
        delegeringar=parts.delegeringar,
        beslut=[b for batch in parts.beslut() for b in batch],
        avvikelser=parts.avvikelser,
        internkontroll=parts.internkontroll,
        styrdokument=parts.styrdokument,
    )
