"""The årshjul as the web shows it: each running budget year as the timeline of its dated steps (the
plan `arshjul plan` lists, computed by the function the cycle plans with), the mandate period's plan,
and, when Temporal answers, where each cycle stands (`arshjul status`'s answer: its phase, what it waits
for, deadlines met and missed).

A budget year runs while today lies between its first step's opening and its
last step's deadline (about three calendar years: planning, the year, the
annual report and discharge), so two or three run at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from temporalio.service import RPCError

from lerum_flow.domain.plan_steps import outcome_of
from lerum_flow.logs import get_logger
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.relay_contract import BeslutTaget, arshjul_workflow_id, mandatperiod_workflow_id
from lerum_flow.report_answers import budget_decision, budget_uppdrag, follow_up_answer, report_answer
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.temporal_runtime import TemporalSettings, connect
from lerum_flow.workflows.arshjul.models import CyclePlan, DatedStep
from lerum_flow.workflows.mandatperiod.models import MandatPlan
from lerum_flow.workflows.models import Tally, WorkflowStatus
from lerum_flow.workflows.starter import (
    StepStanding,
    decision_standings,
    describe_cycle,
    execution_status,
    plan_of_budget_year,
    plan_of_mandate_period,
    query_status,
)

log = get_logger(__name__)
# A page must not wait long on a Temporal that does not answer: it then shows the plans alone.
TEMPORAL_WAIT = timedelta(seconds=5)
# How far around today a running budget year is looked for (its cycle spans about three years).
YEARS_AROUND = 3


@dataclass(frozen=True)
class Standing:
    """Where a workflow stands, as Temporal answers: its status in words, and while it runs its phase
    and what it waits for; the tally of deadlines met and missed."""

    status: str
    current: WorkflowStatus | None = None
    tally: Tally = field(default_factory=Tally)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cycle:
    year: int
    workflow_id: str
    steps: list[DatedStep]
    standing: Standing | None
    # Each step the record answers, by its key: in time, late, missed, coming.
    standings: dict[str, StepStanding] = field(default_factory=dict)


@dataclass(frozen=True)
class Mandate:
    election_year: int
    workflow_id: str
    plan: MandatPlan
    standing: Standing | None


@dataclass(frozen=True)
class Wheel:
    on: date
    cycles: list[Cycle]
    mandate: Mandate | None
    # Why the standings are missing: no Temporal configured, or it did not answer.
    temporal_note: str


def running_years(styrmodell: Styrmodell, on: date) -> list[int]:
    """The budget years whose plan spans `on`."""
    years = []
    for year in range(on.year - YEARS_AROUND, on.year + YEARS_AROUND + 1):
        steps = plan_of_budget_year(styrmodell, year).dated_steps()
        if steps and min(s.opens for s in steps) <= on <= max(s.by for s in steps):
            years.append(year)
    return years


def shown_years(styrmodell: Styrmodell, on: date, year: int | None = None) -> list[int]:
    """The budget year asked for, or those running on `on`."""
    return [year] if year is not None else running_years(styrmodell, on)


@dataclass(frozen=True)
class Answers:
    """What the record holds that could answer the shown years' steps: decisions taken, and the
    uppdrag the årshjul gives (the budget uppdrag, the monthly reports asked for) with their reports."""

    decided: Sequence[BeslutTaget] = ()
    uppdrag: Sequence[UppdragRow] = ()
    reports: Sequence[ReportRow] = ()


def step_standings(plan: CyclePlan, answers: Answers, on: date) -> dict[str, StepStanding]:
    """How each step of the plan the record answers stands on `on`, by the step's key: decisions by the
    cycle's rule, reports and monthly follow-ups by the report figure's (`report_answers`). A month's
    follow-up nobody was asked for has none."""
    by_name = decision_standings(plan, answers.decided, on)
    found = {step.key: by_name[step.name] for step in plan.decisions}
    decision = budget_decision(plan, answers.decided)
    budget = budget_uppdrag(plan, decision.beslut_id if decision else None, answers.uppdrag)
    for report in plan.reports:
        answer = report_answer(report, budget, answers.reports)
        answered_on = answer.reported_on if answer else None
        found[report.key] = StepStanding(outcome_of(report.deadline.on, answered_on, on), answered_on)
    for follow_up in plan.follow_ups:
        asked = follow_up_answer(follow_up, answers.uppdrag, answers.reports)
        if asked is not None:
            found[follow_up.key] = StepStanding(
                outcome_of(follow_up.deadline.on, asked.answered_on, on), asked.answered_on
            )
    return found


def wheel(
    styrmodell: Styrmodell,
    on: date,
    temporal: TemporalSettings | None,
    years: list[int],
    answers: Answers = Answers(),
) -> Wheel:
    """The budget years shown and the mandate period of `on`; each step's standing by what the record
    holds (`answers`: what the plans' steps could be answered by)."""
    kommunkod = styrmodell.kommun.kod
    election = styrmodell.mandate_election_year(on)
    cycle_ids = {y: arshjul_workflow_id(kommunkod, y) for y in years}
    mandate_id = mandatperiod_workflow_id(kommunkod, election) if election is not None else ""
    standings: dict[str, Standing] = {}
    note = (
        "Årshjulets läge i Temporal visas inte: webben är inte kopplad till Temporal "
        "(starta med 'lerum-flow up')."
    )
    if temporal is not None:
        try:
            standings = asyncio.run(_standings(temporal, list(cycle_ids.values()), mandate_id))
            note = ""
        except (RuntimeError, TimeoutError, OSError, RPCError) as error:
            log.warning("temporal_svarar_inte", address=temporal.address, error=str(error))
            note = f"Årshjulets läge i Temporal visas inte: Temporal svarar inte på {temporal.address}."
    plans = {y: plan_of_budget_year(styrmodell, y) for y in cycle_ids}
    cycles = [
        Cycle(
            y,
            wid,
            plans[y].dated_steps(),
            standings.get(wid),
            step_standings(plans[y], answers, on),
        )
        for y, wid in cycle_ids.items()
    ]
    mandate = (
        Mandate(election, mandate_id, plan_of_mandate_period(styrmodell, election), standings.get(mandate_id))
        if election is not None
        else None
    )
    return Wheel(on, cycles, mandate, note)


async def _standings(
    temporal: TemporalSettings, cycle_ids: list[str], mandate_id: str
) -> dict[str, Standing]:
    client = await asyncio.wait_for(connect(temporal), TEMPORAL_WAIT.total_seconds())
    found: dict[str, Standing] = {}
    for workflow_id in cycle_ids:
        name, current, result = await describe_cycle(client, workflow_id, TEMPORAL_WAIT)
        if name:
            tally = result.tally if result else current.tally if current else Tally()
            problems = result.problems if result else current.problems if current else []
            found[workflow_id] = Standing(name, current, tally, tuple(problems))
    if mandate_id:
        name = await execution_status(client, mandate_id)
        if name:
            current = await query_status(client, mandate_id, TEMPORAL_WAIT)
            found[mandate_id] = Standing(
                name,
                current,
                current.tally if current else Tally(),
                tuple(current.problems if current else ()),
            )
    return found
