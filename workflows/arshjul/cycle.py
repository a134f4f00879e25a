"""The årshjul's agenda, and what it reads of its plan and of the decisions and reports it has heard of.

Pure functions of the workflow's state (no clock but the instant passed in,
no I/O), imported by the workflow through `imports_passed_through()`. The
agenda's order is fixed by each item's `order`, so it is the same on every replay.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from lerum_flow.domain.plan_steps import opens_after_budget
from lerum_flow.domain.values import AvvikelseSubject, BeslutKind
from lerum_flow.relay_contract import BeslutTaget, RapportInkommen, system_person, uppfoljning_workflow_id
from lerum_flow.workflows.agenda import Item, choose, matching_beslut
from lerum_flow.workflows.arshjul.models import ArshjulInput, CyclePlan, DraftInput, DraftMade, ReportStep
from lerum_flow.workflows.clock import day_after, local_date, start_of
from lerum_flow.workflows.models import AvvikelseSpec, DecisionStep, Tally, Waiting, WorkflowStatus
from lerum_flow.workflows.uppfoljning.models import FollowUpStep


class Cycle(Protocol):
    """What the functions below read of a running cycle: the workflow's own state."""

    workflow_id: str
    kommunkod: str
    year: int
    plan: CyclePlan | None
    done: list[str]
    beslut: list[BeslutTaget]
    rapporter: list[RapportInkommen]
    handled: list[str]
    budget_uppdrag_id: UUID | None
    budget_origin_id: UUID | None
    started: list[str]
    finished: list[str]
    tally: Tally
    problems: list[str]
    runs: int
    drafts: list[DraftMade]
    makes_drafts: bool


def agenda(plan: CyclePlan, *, drafts: bool = False) -> list[Item]:
    """Every item of the year: budget (and its uppdrag), plans, follow-ups, reports (with their
    drafts, when the run makes them), discharge last."""
    order = itertools.count()
    items: list[Item] = []
    budget_steps = [s for s in plan.decisions if s.kind == str(BeslutKind.BUDGET)]
    for index, step in enumerate(budget_steps):
        items.append(Item(f"beslut:{step.key}", step.deadline.at, step.phase, next(order)))
        if index == 0:
            items.append(Item("budgetuppdrag", plan.budget_give_up.at, step.phase, next(order)))
        else:
            items.append(Item("nyvalt", step.deadline.at, step.phase, next(order)))
    last = [s for s in plan.decisions if s.key == "ansvarsfrihet"]
    for step in plan.decisions:
        if step not in budget_steps and step not in last:
            items.append(Item(f"beslut:{step.key}", step.deadline.at, step.phase, next(order)))
    for follow_up in plan.follow_ups:
        items.append(
            Item(
                f"uppfoljning:{follow_up.period}:{follow_up.led}",
                follow_up.request.at,
                f"uppföljning {follow_up.period}",
                next(order),
            )
        )
    for report in plan.reports:
        if drafts:
            items.append(Item(f"utkast:{report.key}", report.request.at, report.phase, next(order)))
        items.append(Item(f"paminn:{report.key}", report.remind.at, report.phase, next(order)))
        items.append(Item(f"rapport:{report.key}", report.deadline.at, report.phase, next(order)))
    for step in last:
        items.append(Item(f"beslut:{step.key}", step.deadline.at, step.phase, next(order)))
    return items


def carried(cycle: Cycle) -> ArshjulInput:
    """What the next run of the cycle starts from (continue-as-new)."""
    return ArshjulInput(
        kommunkod=cycle.kommunkod,
        budget_year=cycle.year,
        plan=cycle.plan,
        done=cycle.done,
        beslut=cycle.beslut,
        rapporter=cycle.rapporter,
        handled_event_ids=cycle.handled,
        budget_uppdrag_id=cycle.budget_uppdrag_id,
        budget_origin_id=cycle.budget_origin_id,
        started_follow_ups=cycle.started,
        finished_follow_ups=cycle.finished,
        tally=cycle.tally,
        problems=cycle.problems,
        runs=cycle.runs + 1,
        drafts=cycle.drafts,
    )


def decision(plan: CyclePlan, key: str) -> DecisionStep:
    return next(s for s in plan.decisions if s.key == key)


def follow_up(plan: CyclePlan, period: str, led: str) -> FollowUpStep:
    return next(f for f in plan.follow_ups if f.period == period and f.led == led)


def report_step(plan: CyclePlan, key: str) -> ReportStep:
    return next(r for r in plan.reports if r.key == key)


def draft_input(plan: CyclePlan, step: ReportStep, workflow_id: str, *, upto: int, on: date) -> DraftInput:
    """The draft of the report a step asks KS for, made up to log position `upto` on day `on`.

    The step's key names the report: `delarsrapport` (the first interim period, the key it had
    when there could be only one), `delarsrapport-N`, or `arsredovisning` (see workflows.planning).
    """
    interim, _, number = step.key.partition("-")
    return DraftInput(
        command_key=f"{workflow_id}/utkast/{step.key}",
        person=system_person(workflow_id),
        actor=plan.budget_uppdrag.recipient,
        report="delar" if interim == "delarsrapport" else "arsredovisning",
        year=plan.budget_year,
        number=int(number) if number else 1,
        upto=upto,
        made_on=on,
    )


def reports_to_ks(plan: CyclePlan, step: FollowUpStep) -> bool:
    """Whether a follow-up's reports go to KS (the recipient of KF's budget uppdrag): the month's
    report to KS, whose draft the follow-up makes."""
    return bool(step.reporters) and all(r.reports_to == plan.budget_uppdrag.recipient for r in step.reporters)


def budget_decision(plan: CyclePlan, beslut: Iterable[BeslutTaget]) -> BeslutTaget | None:
    """The first budget decision that counts: it is the origin of KF's uppdrag to KS."""
    heard = list(beslut)
    found = [
        b
        for step in plan.decisions
        if step.kind == str(BeslutKind.BUDGET) and (b := matching_beslut(heard, step)) is not None
    ]
    return min(found, key=lambda b: (b.decided_on, b.event_id), default=None)


def owed(plan: CyclePlan, beslut: Iterable[BeslutTaget], step: DecisionStep) -> DecisionStep:
    """The step as it stands with what has been decided: one owed after KF's budget (a nämnd's
    verksamhetsplan) opens on the budget's day, and without a budget nothing before its deadline
    answers it. Every other step, and every step of a plan recorded before this, is as planned."""
    if not step.after_budget:
        return step
    opens = opens_after_budget(step.not_before, step.deadline.on, budget_decision(plan, beslut))
    return step.model_copy(update={"not_before": opens})


def report_for(cycle: Cycle, step: ReportStep) -> RapportInkommen | None:
    """The first report on the budget uppdrag that answers `step` (made within its window)."""
    reports = [
        r
        for r in cycle.rapporter
        if r.uppdrag_id == cycle.budget_uppdrag_id
        and r.reported_on >= step.not_before
        and (step.not_after is None or r.reported_on <= step.not_after)
    ]
    return min(reports, key=lambda r: (r.reported_on, r.event_id), default=None)


def ready_at(cycle: Cycle, plan: CyclePlan, item: Item, now: datetime) -> datetime | None:
    """When an item can run before its own time: a decision or report that is already in."""
    kind, _, key = item.key.partition(":")
    if kind == "beslut":
        return now if matching_beslut(cycle.beslut, owed(plan, cycle.beslut, decision(plan, key))) else None
    if kind == "budgetuppdrag":
        origin = budget_decision(plan, cycle.beslut)
        return start_of(origin.decided_on) if origin is not None else None
    if kind == "nyvalt":
        renewed = matching_beslut(cycle.beslut, decision(plan, "budget_nyvalt"))
        if renewed is None or cycle.budget_uppdrag_id is None:
            return None
        return start_of(renewed.decided_on)
    if kind in ("paminn", "rapport"):
        return now if report_for(cycle, report_step(plan, key)) else None
    return None


def missing_report(plan: CyclePlan, step: ReportStep, workflow_id: str, uppdrag_id: UUID) -> AvvikelseSpec:
    """The deviation KS records in its own name when its report to KF is missing at the deadline."""
    return AvvikelseSpec(
        command_key=f"{workflow_id}/avvikelse/{step.key}",
        person=system_person(workflow_id),
        actor=plan.budget_uppdrag.recipient,
        subject_kind=str(AvvikelseSubject.UPPDRAG),
        subject_ref=str(uppdrag_id),
        severity=plan.avvikelse_severity,
        category=plan.avvikelse_category,
        description=f"{step.name} har inte lämnats till {plan.budget_uppdrag.giver} senast "
        f"{step.deadline.on.isoformat()}.",
        occurred_on=day_after(step.deadline.on),
        key=f"rapport-saknas:{uppdrag_id}:{step.key}",
    )


def status_of(cycle: Cycle, now: datetime) -> WorkflowStatus:
    """The phase the cycle is in and what it waits for now, soonest first."""
    title = f"Årshjul för budgetår {cycle.year}"
    plan = cycle.plan
    if plan is None:
        return WorkflowStatus(
            workflow_id=cycle.workflow_id,
            title=title,
            phase="planering",
            waiting=[],
            tally=cycle.tally,
            problems=cycle.problems,
            received_events=len(cycle.handled),
        )
    chosen = choose(
        agenda(plan, drafts=cycle.makes_drafts), cycle.done, lambda item: ready_at(cycle, plan, item, now)
    )
    return WorkflowStatus(
        workflow_id=cycle.workflow_id,
        title=title,
        phase=chosen[0].phase if chosen is not None else "avslutas",
        waiting=_waiting(cycle, plan, local_date(now)),
        tally=cycle.tally,
        problems=cycle.problems,
        received_events=len(cycle.handled),
    )


def _waiting(cycle: Cycle, plan: CyclePlan, today: date) -> list[Waiting]:
    done = set(cycle.done)
    running = set(cycle.started) - set(cycle.finished)
    found = [
        Waiting(what=s.name, from_whom=s.organ_name, by=s.deadline.on)
        for s in plan.decisions
        if f"beslut:{s.key}" not in done
        and matching_beslut(cycle.beslut, owed(plan, cycle.beslut, s)) is None
    ]
    found += [
        Waiting(what=r.name, from_whom=plan.budget_uppdrag.recipient, by=r.deadline.on)
        for r in plan.reports
        if f"rapport:{r.key}" not in done and r.request.on <= today and report_for(cycle, r) is None
    ]
    found += [
        Waiting(what=f"Månadsrapporter {f.period}", from_whom=f.led_name, by=f.deadline.on)
        for f in plan.follow_ups
        if uppfoljning_workflow_id(plan.kommunkod, plan.budget_year, f.period, f.led) in running
    ]
    return sorted(found, key=lambda w: w.by)
