"""Which recorded återrapporter answer the årshjul's report steps (delårsrapport, årsredovisning) and
its monthly follow-ups: the one rule the årshjul page, its API and the report's årshjul figure read.

A report step is answered by the first report on KF's budget uppdrag to KS made
within the step's window (as the running cycle reads the reports it hears of,
`arshjul.cycle.report_for`); a month's follow-up by the reports on every
uppdrag the follow-up asked for, the last of them deciding the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.plan_steps import TDecided, answering_decision
from lerum_flow.domain.values import BeslutKind
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.workflows.arshjul.models import CyclePlan, ReportStep
from lerum_flow.workflows.uppfoljning.models import FollowUpStep


def budget_decision(plan: CyclePlan, decisions: Sequence[TDecided]) -> TDecided | None:
    """The budget decision of the plan's year: the first that answers one of its budget steps."""
    found = [
        d
        for step in plan.decisions
        if step.kind == str(BeslutKind.BUDGET) and (d := answering_decision(decisions, step)) is not None
    ]
    return min(found, key=lambda d: (d.decided_on, d.event_id), default=None)


def budget_uppdrag(
    plan: CyclePlan, budget_id: UUID | None, uppdrag: Iterable[UppdragRow]
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
        and ((budget_id is not None and u.origin_beslut_id == budget_id) or u.title == spec.title)
    ]
    return min(found, key=lambda u: (u.issued_on, u.id), default=None)


def report_answer(
    step: ReportStep, budget: UppdragRow | None, reports: Iterable[ReportRow]
) -> ReportRow | None:
    """The first report on the budget uppdrag made within the step's window."""
    if budget is None:
        return None
    answers = [
        r
        for r in reports
        if r.uppdrag_id == budget.id
        and r.reported_on >= step.not_before
        and (step.not_after is None or r.reported_on <= step.not_after)
    ]
    return min(answers, key=lambda r: (r.reported_on, r.version), default=None)


@dataclass(frozen=True)
class FollowUpAnswer:
    """The uppdrag a month's follow-up issued, and the day its last report came in once all had."""

    issued: list[UppdragRow]
    answered_on: date | None


def follow_up_answer(
    step: FollowUpStep, uppdrag: Iterable[UppdragRow], reports: Iterable[ReportRow]
) -> FollowUpAnswer | None:
    """One month's reports on one edge of the follow-up (the sektorschefer to the kommundirektör ...):
    answered when every report asked for is in, on the day the last came.

    The reports asked for are the uppdrag the follow-up issues (one per reporter and area, named as
    `FollowUpStep.requests` names them). None when nobody asked (no follow-up ran: no plan or budget
    was decided, or the store is kept without the workflows): no one was given the deadline.
    """
    rows = list(uppdrag)
    issued = []
    for request in step.requests:
        matching = [
            u
            for u in rows
            if u.giver == request.giver
            and u.recipient == request.recipient
            and u.title == request.title
            and u.parent_id is None
        ]
        if matching:
            issued.append(min(matching, key=lambda u: (u.issued_on, u.id)))
    if not issued:
        return None
    ids = {u.id for u in issued}
    first_report: dict[UUID, date] = {}
    for r in reports:
        if r.uppdrag_id in ids and (
            r.uppdrag_id not in first_report or r.reported_on < first_report[r.uppdrag_id]
        ):
            first_report[r.uppdrag_id] = r.reported_on
    # Every report asked for must be in (and every one asked for issued) for the month to be answered.
    complete = len(issued) == len(step.requests) and len(first_report) == len(issued)
    return FollowUpAnswer(issued, max(first_report.values()) if complete else None)
