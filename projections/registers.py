"""The registers read from the views: decisions, delegations in force, the deviation board,
and the state of every mandate on a day (what `audit as-of` shows of its replay)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import FINISHED, UppdragRow


def beslut_register(views: Views, *, unreported: bool = False, organ: str = "") -> list[BeslutRow]:
    """Decisions in date order; `unreported`: only delegated decisions not yet anmälda."""
    where: dict[str, object] = {"decided_by": organ} if organ else {}
    if unreported:
        where["reported"] = False
    rows = views.beslut.select(BeslutRow, **where)
    if unreported:
        rows = [r for r in rows if r.awaits_report]
    return sorted(rows, key=lambda r: (r.decided_on, r.diarienummer, r.paragraf))


@dataclass(frozen=True)
class DelegationEntry:
    delegering: DelegeringRow
    beslut: BeslutRow | None


def delegation_register(views: Views, *, on: date, everything: bool = False) -> list[DelegationEntry]:
    """Delegations in force on `on` (or all ever granted), with the decision each rests on."""
    rows = views.delegering.select(DelegeringRow)
    if not everything:
        rows = [r for r in rows if r.in_force_on(on)]
    beslut = beslut_by_id(views, {r.beslut_id for r in rows})
    entries = [DelegationEntry(r, beslut.get(r.beslut_id)) for r in rows]
    return sorted(
        entries, key=lambda e: (e.delegering.delegate, e.delegering.matter, e.delegering.valid_from)
    )


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
        delegeringar=delegation_register(views, on=on),
        beslut=beslut_register(views),
        avvikelser=[a for a in views.avvikelse.select(AvvikelseRow) if a.is_open],
    )
