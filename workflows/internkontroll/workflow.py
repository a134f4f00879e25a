"""The internkontroll year: one workflow per municipality and year, from the plans to KS's assessment.

It owns time only (docs/arkitektur.md, rule 2). Its agenda comes from the plan
activity: each organ's plan by the styrmodell's day at the start of the year,
its results reported with the delårsrapport and after the year, and KS's
assessment of the whole. Two weeks before each deadline an organ that has not
yet done its part is reminded; at the deadline the store is asked, and what
is still missing becomes an avvikelse, recorded in the name of the organ that
owed it, which then escalates as any other. Nothing reaches it as a message:
the store is the only record, and it is read at each step. It continues as
new at every phase boundary.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from lerum_flow.domain.values import AvvikelseSubject
    from lerum_flow.relay_contract import system_person
    from lerum_flow.workflows.agenda import ACTIVITY_RETRY, Item, choose, problem, should_continue_as_new
    from lerum_flow.workflows.clock import day_after
    from lerum_flow.workflows.internkontroll.activities import InternkontrollActivities
    from lerum_flow.workflows.internkontroll.models import (
        WORKFLOW_INTERNKONTROLL,
        InternkontrollInput,
        InternkontrollPlan,
        InternkontrollResult,
        InternkontrollStep,
        PlanInternkontrollInput,
        RemindControlsInput,
        RemindStepInput,
        StandingInput,
        StepKind,
    )
    from lerum_flow.workflows.models import QUERY_STATUS, AvvikelseSpec, Tally, Waiting, WorkflowStatus

# What a missing step is, in the deviation's words.
MISSING = {
    StepKind.PLAN: "har inte antagits",
    StepKind.DELAR: "har inte rapporterats till kommunstyrelsen",
    StepKind.HELAR: "har inte rapporterats till kommunstyrelsen",
    StepKind.BEDOMNING: "har inte beslutats",
}


@workflow.defn(name=WORKFLOW_INTERNKONTROLL)
class Internkontroll:
    @workflow.init
    def __init__(self, state: InternkontrollInput) -> None:
        self.workflow_id = workflow.info().workflow_id
        self.kommunkod = state.kommunkod
        self.year = state.year
        self.plan: InternkontrollPlan | None = state.plan
        self.done = list(state.done)
        self.tally = state.tally
        self.problems = list(state.problems)
        self.runs = state.runs

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        chosen = choose(self._agenda(self.plan), self.done, _never_early) if self.plan else None
        return WorkflowStatus(
            workflow_id=self.workflow_id,
            title=f"Intern kontroll {self.year}",
            phase=chosen[0].phase if chosen else "planering" if self.plan is None else "avslutas",
            waiting=[
                Waiting(what=s.name, from_whom=s.organ_name, by=s.deadline.on)
                for s in (self.plan.steps if self.plan else [])
                if f"frist:{s.key}" not in self.done
            ],
            tally=self.tally,
            problems=self.problems,
        )

    @workflow.run
    async def run(self, state: InternkontrollInput) -> InternkontrollResult:
        if self.plan is None:
            self.plan = await workflow.execute_activity_method(
                InternkontrollActivities.plan,
                PlanInternkontrollInput(kommunkod=self.kommunkod, year=self.year),
                start_to_close_timeout=timedelta(minutes=1),
                retry_policy=ACTIVITY_RETRY,
            )
        plan = self.plan
        agenda = self._agenda(plan)
        while (chosen := choose(agenda, self.done, _never_early)) is not None:
            item, due = chosen
            if due > workflow.now():
                await workflow.sleep(due - workflow.now())
                continue
            try:
                await self._perform(item, plan)
            except ActivityError as error:
                self.problems.append(problem(error, item.key))
                workflow.logger.warning(
                    "steg nekades", extra={"item": item.key, "problem": self.problems[-1]}
                )
            self.done.append(item.key)
            following = choose(agenda, self.done, _never_early)
            if following is not None and (following[0].phase != item.phase or should_continue_as_new()):
                workflow.continue_as_new(self._state())
        return InternkontrollResult(
            kommunkod=self.kommunkod, year=self.year, tally=self.tally, problems=self.problems, runs=self.runs
        )

    def _agenda(self, plan: InternkontrollPlan) -> list[Item]:
        order = itertools.count()
        items: list[Item] = []
        for step in sorted(plan.steps, key=lambda s: s.deadline.at):
            items.append(Item(f"paminn:{step.key}", step.remind.at, step.phase, next(order)))
            items.append(Item(f"frist:{step.key}", step.deadline.at, step.phase, next(order)))
        for round_ in plan.control_rounds:
            items.append(Item(f"kontroller:{round_.month}", round_.remind.at, round_.phase, next(order)))
        return items

    async def _perform(self, item: Item, plan: InternkontrollPlan) -> None:
        kind, _, key = item.key.partition(":")
        timeout = timedelta(seconds=plan.activity_timeout_seconds)
        if kind == "kontroller":
            round_ = next(r for r in plan.control_rounds if str(r.month) == key)
            if workflow.now() >= round_.month_end.at:
                return  # started after the month: its periods are past, not to be reminded of
            reminded = await workflow.execute_activity_method(
                InternkontrollActivities.remind_controls,
                RemindControlsInput(
                    workflow_id=self.workflow_id,
                    year=self.year,
                    month=int(key),
                    organs=sorted({s.organ for s in plan.steps if s.kind is StepKind.PLAN}),
                ),
                start_to_close_timeout=timeout,
                retry_policy=ACTIVITY_RETRY,
            )
            self.tally = self.tally.plus(Tally(reminders=reminded))
            return
        step = next(s for s in plan.steps if s.key == key)
        if kind == "paminn":
            if workflow.now() >= step.deadline.at:
                return  # started after the deadline: the check follows at once
            reminded = await workflow.execute_activity_method(
                InternkontrollActivities.remind,
                RemindStepInput(workflow_id=self.workflow_id, year=self.year, step=step),
                start_to_close_timeout=timeout,
                retry_policy=ACTIVITY_RETRY,
            )
            self.tally = self.tally.plus(Tally(reminders=reminded))
            return
        standing = await workflow.execute_activity_method(
            InternkontrollActivities.standing,
            StandingInput(year=self.year, step=step),
            start_to_close_timeout=timeout,
            retry_policy=ACTIVITY_RETRY,
        )
        report = step.kind in (StepKind.DELAR, StepKind.HELAR)
        if standing.done_on is not None:
            met = standing.done_on <= step.deadline.on
            self.tally = self.tally.plus(
                Tally(
                    deadlines_met=int(met),
                    deadlines_missed=int(not met),
                    reports_on_time=int(met and report),
                )
            )
            return
        if not standing.owed:
            self.problems.append(f"{step.name}: ingen antagen plan att rapportera på.")
            return
        await workflow.execute_activity_method(
            InternkontrollActivities.report_missing,
            self._missing(step, plan),
            start_to_close_timeout=timeout,
            retry_policy=ACTIVITY_RETRY,
        )
        self.tally = self.tally.plus(Tally(deadlines_missed=1, reports_missing=int(report), avvikelser=1))

    def _missing(self, step: InternkontrollStep, plan: InternkontrollPlan) -> AvvikelseSpec:
        """The deviation a step still missing at its deadline opens, in the name of the organ that owed it."""
        subject = f"{self.workflow_id}:{step.key}"
        return AvvikelseSpec(
            command_key=f"{self.workflow_id}/avvikelse/{step.key}",
            person=system_person(self.workflow_id),
            actor=step.organ,
            subject_kind=str(AvvikelseSubject.HANDELSE),
            subject_ref=subject,
            severity=plan.avvikelse_severity,
            category=plan.avvikelse_category,
            description=f"{step.name} {MISSING[step.kind]} senast {step.deadline.on.isoformat()}.",
            occurred_on=day_after(step.deadline.on),
            key=f"internkontroll-saknas:{subject}",
        )

    def _state(self) -> InternkontrollInput:
        return InternkontrollInput(
            kommunkod=self.kommunkod,
            year=self.year,
            plan=self.plan,
            done=self.done,
            tally=self.tally,
            problems=self.problems,
            runs=self.runs + 1,
        )


def _never_early(item: Item) -> datetime | None:
    """Nothing is ready before its time: the workflow takes in no messages, it asks the store."""
    return None
