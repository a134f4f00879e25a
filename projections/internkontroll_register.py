"""The internkontroll register read from the views: each plan with its risks, controls and results, the
deviations its brister opened, and KS's assessments; for `internkontroll status` and `audit as-of`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.bitemporal import history_type, known_conditions
from lerum_flow.projections.internkontroll import (
    BedomningRow,
    InternkontrollplanRow,
    KontrollresultatRow,
    KontrollRow,
    OverlamningRow,
    RiskRow,
)
from lerum_flow.projections.store import Views

T = TypeVar("T")


@dataclass(frozen=True)
class ResultEntry:
    """A performed control and the deviation its brist opened (None if none, or not yet in effect)."""

    result: KontrollresultatRow
    avvikelse: AvvikelseRow | None


@dataclass(frozen=True)
class PlanEntry:
    plan: InternkontrollplanRow
    risks: list[RiskRow]
    controls: list[KontrollRow]
    results: list[ResultEntry]
    # Its controls handed over to another owner, in the order the days come.
    handovers: list[OverlamningRow]


@dataclass(frozen=True)
class InternkontrollRegister:
    """Plans by year and organ, and KS's assessment of each year."""

    plans: list[PlanEntry]
    assessments: list[BedomningRow]

    def plan_of(self, organ: str, year: int) -> PlanEntry | None:
        return next((p for p in self.plans if p.plan.organ == organ and p.plan.year == year), None)

    def assessment_of(self, year: int) -> BedomningRow | None:
        return next((a for a in self.assessments if a.year == year), None)

    @property
    def handover_beslut_ids(self) -> list[UUID]:
        return [h.beslut_id for p in self.plans for h in p.handovers]

    @property
    def avvikelse_ids(self) -> list[UUID]:
        return [r.result.avvikelse_id for p in self.plans for r in p.results if r.result.avvikelse_id]


def internkontroll_register(views: Views, *, year: int | None = None) -> InternkontrollRegister:
    """Every plan (of `year`, if given), with what it holds, in year and organ order."""
    where: dict[str, object] = {"year": year} if year is not None else {}
    plans = views.internkontroll.query(InternkontrollplanRow, where, order_by=("year", "organ"))
    ids = tuple(p.id for p in plans)
    risks = _by_plan(views.internkontroll.select(RiskRow, plan_id=ids) if ids else [], lambda r: r.plan_id)
    controls = _by_plan(
        views.internkontroll.select(KontrollRow, plan_id=ids) if ids else [], lambda c: c.plan_id
    )
    results = views.internkontroll.select(KontrollresultatRow, plan_id=ids) if ids else []
    opened = {r.avvikelse_id for r in results if r.avvikelse_id is not None}
    avvikelser = {a.id: a for a in views.avvikelse.select(AvvikelseRow, id=tuple(opened))} if opened else {}
    entries = _by_plan(
        (
            ResultEntry(r, avvikelser.get(r.avvikelse_id) if r.avvikelse_id else None)
            for r in sorted(results, key=lambda r: (r.performed_on, r.control))
        ),
        lambda entry: entry.result.plan_id,
    )
    handovers = _by_plan(
        sorted(
            views.internkontroll.select(OverlamningRow, plan_id=ids) if ids else [],
            key=lambda h: (h.handed_over_on, h.version),
        ),
        lambda h: h.plan_id,
    )
    return InternkontrollRegister(
        plans=[
            PlanEntry(
                p, risks.get(p.id, []), controls.get(p.id, []), entries.get(p.id, []), handovers.get(p.id, [])
            )
            for p in plans
        ],
        assessments=views.internkontroll.query(BedomningRow, where, order_by=("year",)),
    )


def owners_on(views: Views, entry: PlanEntry, on: date) -> PlanEntry:
    """`entry` with each control's owner the one it has on `on`, as known now: the current row names the
    latest owner, also of a hand-over from a later day (`ControlHandedOver`), so the owners are read from
    the history. A control planned after `on` keeps the owner it was planned with. `views` are the
    store's own (their history is read), not views as of a day, whose rows already hold on their day."""
    history = history_type(KontrollRow)
    view: Any = views.internkontroll
    owners: dict[int, str] = {}
    regions: list[Any] = view.query_into(
        history,
        history,
        {"plan_id": entry.plan.id, **known_conditions(None)},
        order_by=("number", "held_from"),
    )
    for region in regions:
        # Each control's first owner, then each later one whose days had begun by `on`.
        if region.number not in owners or region.held_from <= on:
            owners[region.number] = region.owner
    controls = [replace(c, owner=owners.get(c.number, c.owner)) for c in entry.controls]
    return replace(entry, controls=controls)


def _by_plan(rows: Iterable[T], plan_of: Callable[[T], UUID]) -> dict[UUID, list[T]]:
    grouped: dict[UUID, list[T]] = {}
    for row in rows:
        grouped.setdefault(plan_of(row), []).append(row)
    return grouped
