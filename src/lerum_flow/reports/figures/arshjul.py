"""The årshjul in the report's window: every decision and report the calendar asks for by a day in
it, met on time, late, missed, or still to come (on the as-of day)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.plan_steps import answering_decision, opens_after_budget
from lerum_flow.domain.values import BeslutKind
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.reports.record import ReportRecord
from lerum_flow.workflows.arshjul.models import CyclePlan, ReportStep
from lerum_flow.workflows.models import DecisionStep


class Outcome(StrEnum):
    IN_TIME = "i tid"
    LATE = "för sent"
    MISSED = "missad"
    COMING = "kommande"


@dataclass(frozen=True)
class Decided:
    """A recorded decision as `plan_steps.answers` reads it."""

    id: UUID
    kind: str
    decided_by: str
    decided_on: date
    event_id: str
    budget_year: int | None
    budget_kind: str | None


def decided(event: Beslut.Taken) -> Decided:
    return Decided(
        id=event.originator_id,
        kind=event.kind,
        decided_by=event.decided_by,
        decided_on=event.effective_on,
        event_id=f"{event.originator_id}/{event.originator_version}",
        budget_year=event.budget_year,
        budget_kind=event.budget_kind,
    )


@dataclass(frozen=True)
class Deadline:
    budget_year: int
    what: str
    owed_by: str
    by: date
    outcome: Outcome
    answered_on: date | None
    record: UUID | None


def deadlines(record: ReportRecord, plans: Sequence[CyclePlan]) -> list[Deadline]:
    """Every step of the plans whose last day falls in the window, in the order of those days."""
    decisions = [decided(e) for e in record.organ_beslut]
    last = record.period.end
    found: list[Deadline] = []
    for plan in plans:
        if plan.budget_year < record.period.year and _budget_decision(plan, decisions) is None:
            continue  # no cycle ran for a year before the record's first budget
        for step in plan.decisions:
            if record.period.start <= step.deadline.on <= last:
                found.append(_decision(plan, step, decisions, record.on))
        budget = _budget_uppdrag(plan, _budget_decision(plan, decisions), record.uppdrag)
        for report in plan.reports:
            if record.period.start <= report.deadline.on <= last:
                found.append(_report(plan, report, budget, record.reports, record.on))
    return sorted(found, key=lambda d: (d.by, d.what))


def _outcome(by: date, answered_on: date | None, on: date) -> Outcome:
    if answered_on is not None:
        return Outcome.IN_TIME if answered_on <= by else Outcome.LATE
    return Outcome.MISSED if by < on else Outcome.COMING


def _decision(plan: CyclePlan, step: DecisionStep, decisions: Sequence[Decided], on: date) -> Deadline:
    if step.after_budget:
        opens = opens_after_budget(step.not_before, step.deadline.on, _budget_decision(plan, decisions))
        step = step.model_copy(update={"not_before": opens})
    answer = answering_decision(decisions, step)
    answered_on = answer.decided_on if answer else None
    return Deadline(
        budget_year=plan.budget_year,
        what=step.name,
        owed_by=step.organ,
        by=step.deadline.on,
        outcome=_outcome(step.deadline.on, answered_on, on),
        answered_on=answered_on,
        record=answer.id if answer else None,
    )


def _budget_decision(plan: CyclePlan, decisions: Sequence[Decided]) -> Decided | None:
    """The budget decision of the plan's year: the first that answers one of its budget steps."""
    found = [
        d
        for step in plan.decisions
        if step.kind == str(BeslutKind.BUDGET) and (d := answering_decision(decisions, step)) is not None
    ]
    return min(found, key=lambda d: (d.decided_on, d.event_id), default=None)


def _budget_uppdrag(
    plan: CyclePlan, budget: Decided | None, uppdrag: Iterable[UppdragRow]
) -> UppdragRow | None:
    """KF's budget uppdrag to KS for the plan's year, which the delårsrapport and årsredovisning answer:
    the uppdrag the budget decision gave, or one named as the årshjul names it."""
    spec = plan.budget_uppdrag
    found = [
        u
        for u in uppdrag
        if u.giver == spec.giver
        and u.recipient == spec.recipient
        and u.parent_id is None
        and ((budget is not None and u.origin_beslut_id == budget.id) or u.title == spec.title)
    ]
    return min(found, key=lambda u: (u.issued_on, u.id), default=None)


def _report(
    plan: CyclePlan, step: ReportStep, budget: UppdragRow | None, reports: Iterable[ReportRow], on: date
) -> Deadline:
    answers = (
        sorted(
            (
                r
                for r in reports
                if r.uppdrag_id == budget.id
                and r.reported_on >= step.not_before
                and (step.not_after is None or r.reported_on <= step.not_after)
            ),
            key=lambda r: (r.reported_on, r.version),
        )
        if budget is not None
        else []
    )
    answered_on = answers[0].reported_on if answers else None
    return Deadline(
        budget_year=plan.budget_year,
        what=step.name,
        owed_by=plan.budget_uppdrag.recipient,
        by=step.deadline.on,
        outcome=_outcome(step.deadline.on, answered_on, on),
        answered_on=answered_on,
        record=budget.id if budget is not None and answers else None,
    )
