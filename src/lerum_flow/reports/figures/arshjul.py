"""The årshjul in the report's window: every decision, report and monthly follow-up the calendar asks
for by a day in it, met on time, late, missed, or still to come (on the as-of day)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.plan_steps import StepOutcome, answering_decision, opens_after_budget, outcome_of
from lerum_flow.domain.values import BeslutKind
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.reports.record import ReportRecord
from lerum_flow.workflows.arshjul.models import CyclePlan, ReportStep
from lerum_flow.workflows.models import DecisionStep
from lerum_flow.workflows.uppfoljning.models import FollowUpStep


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
    outcome: StepOutcome
    answered_on: date | None
    record: UUID | None
    # How many more owe the same (the monthly reports of every sector head): shown as one line.
    owed_by_others: int = 0


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
        for follow_up in plan.follow_ups:
            if record.period.start <= follow_up.deadline.on <= last:
                found.extend(_follow_up(record, plan, follow_up))
    return sorted(found, key=lambda d: (d.by, d.what))


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
        outcome=outcome_of(step.deadline.on, answered_on, on),
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
        outcome=outcome_of(step.deadline.on, answered_on, on),
        answered_on=answered_on,
        record=budget.id if budget is not None and answers else None,
    )


def _follow_up(record: ReportRecord, plan: CyclePlan, step: FollowUpStep) -> list[Deadline]:
    """One month's reports on one edge of the follow-up (the sektorschefer to the kommundirektör ...):
    in time when every report asked for was in by the deadline, late when the last came after it.

    The reports asked for are the uppdrag the follow-up issues (one per reporter and area, named as
    `FollowUpStep.requests` names them). A month whose reports nobody asked for (no follow-up ran:
    no plan or budget was decided, or the store is kept without the workflows) had no deadline
    anyone was given, and is not shown.
    """
    issued = []
    for request in step.requests:
        matching = [
            u
            for u in record.uppdrag
            if u.giver == request.giver
            and u.recipient == request.recipient
            and u.title == request.title
            and u.parent_id is None
        ]
        if matching:
            issued.append(min(matching, key=lambda u: (u.issued_on, u.id)))
    if not issued:
        return []
    first_report = {
        uppdrag.id: min((r.reported_on for r in record.reports if r.uppdrag_id == uppdrag.id), default=None)
        for uppdrag in issued
    }
    answered = list(first_report.values())
    # Every report asked for must be in (and every one asked for issued) for the month to be answered.
    complete = len(issued) == len(step.requests) and None not in answered
    answered_on = max(d for d in answered if d is not None) if complete else None
    receivers = sorted({r.reports_to for r in step.reporters})
    to = record.positions.name(receivers[0]) if len(receivers) == 1 else step.led_name
    reporters = [r.position for r in step.reporters]
    return [
        Deadline(
            budget_year=plan.budget_year,
            what=f"Månadsrapporter {step.period} till {to.lower()}",
            owed_by=reporters[0],
            owed_by_others=len(reporters) - 1,
            by=step.deadline.on,
            outcome=outcome_of(step.deadline.on, answered_on, record.on),
            answered_on=answered_on,
            record=issued[0].id if complete else None,
        )
    ]
