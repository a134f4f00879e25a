"""The årshjul in the report's window: every decision, report and monthly follow-up the calendar asks
for by a day in it, met on time, late, missed, or still to come (on the as-of day)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.plan_steps import StepOutcome, answering_decision, opens_after_budget, outcome_of
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.report_answers import budget_decision, budget_uppdrag, follow_up_answer, report_answer
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
        if plan.budget_year < record.period.year and budget_decision(plan, decisions) is None:
            continue  # no cycle ran for a year before the record's first budget
        for step in plan.decisions:
            if record.period.start <= step.deadline.on <= last:
                found.append(_decision(plan, step, decisions, record.on))
        decision = budget_decision(plan, decisions)
        budget = budget_uppdrag(plan, decision.id if decision else None, record.uppdrag)
        for report in plan.reports:
            if record.period.start <= report.deadline.on <= last:
                found.append(_report(plan, report, budget, record.reports, record.on))
        for follow_up in plan.follow_ups:
            if record.period.start <= follow_up.deadline.on <= last:
                found.extend(_follow_up(record, plan, follow_up))
    return sorted(found, key=lambda d: (d.by, d.what))


def _decision(plan: CyclePlan, step: DecisionStep, decisions: Sequence[Decided], on: date) -> Deadline:
    if step.after_budget:
        opens = opens_after_budget(step.not_before, step.deadline.on, budget_decision(plan, decisions))
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


def _report(
    plan: CyclePlan, step: ReportStep, budget: UppdragRow | None, reports: Iterable[ReportRow], on: date
) -> Deadline:
    answer = report_answer(step, budget, reports)
    answered_on = answer.reported_on if answer else None
    return Deadline(
        budget_year=plan.budget_year,
        what=step.name,
        owed_by=plan.budget_uppdrag.recipient,
        by=step.deadline.on,
        outcome=outcome_of(step.deadline.on, answered_on, on),
        answered_on=answered_on,
        record=budget.id if budget is not None and answer else None,
    )


def _follow_up(record: ReportRecord, plan: CyclePlan, step: FollowUpStep) -> list[Deadline]:
    """One month's reports on one edge of the follow-up, shown as one line; a month nobody was asked
    for (`report_answers.follow_up_answer`) is not shown."""
    answer = follow_up_answer(step, record.uppdrag, record.reports)
    if answer is None:
        return []
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
            outcome=outcome_of(step.deadline.on, answer.answered_on, record.on),
            answered_on=answer.answered_on,
            record=answer.issued[0].id if answer.answered_on else None,
        )
    ]
