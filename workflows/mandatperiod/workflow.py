"""The mandate period: Vilja och mål for the four years from the new KF's first day.

One workflow per municipality and election year (id like
`mandatperiod-1441-2030`). It waits for the new KF's Vilja och mål (an
avvikelse if it is missing at its deadline), turns it into KF's mål for KS,
and then keeps the period's time until its last day, continuing as new at
each anniversary.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from lerum_flow.relay_contract import SIGNAL_BESLUT, WORKFLOW_MANDATPERIOD, BeslutTaget, system_person
    from lerum_flow.workflows.agenda import (
        Item,
        choose,
        find_input,
        matching_beslut,
        missed_decision,
        problem,
        run_activity,
        should_continue_as_new,
        wait_until,
    )
    from lerum_flow.workflows.clock import local_date, start_of
    from lerum_flow.workflows.heard import HeardDecisions
    from lerum_flow.workflows.mandatperiod.activities import MandatperiodActivities
    from lerum_flow.workflows.mandatperiod.models import (
        MandatperiodInput,
        MandatperiodResult,
        MandatPlan,
        PlanMandatperiodInput,
    )
    from lerum_flow.workflows.models import QUERY_STATUS, IssueUppdragInput, Tally, Waiting, WorkflowStatus


@workflow.defn(name=WORKFLOW_MANDATPERIOD)
class Mandatperiod(HeardDecisions):
    @workflow.init
    def __init__(self, state: MandatperiodInput) -> None:
        self._carry_over(state)
        self.election_year = state.election_year
        self.plan: MandatPlan | None = state.plan
        self.goal_uppdrag_id = state.goal_uppdrag_id

    @workflow.signal(name=SIGNAL_BESLUT)
    def on_beslut(self, message: BeslutTaget) -> None:
        self._take_beslut(message)

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        waiting = []
        if self.plan is not None and matching_beslut(self.beslut, self.plan.vilja_och_mal) is None:
            step = self.plan.vilja_och_mal
            waiting.append(Waiting(what=step.name, from_whom=step.organ_name, by=step.deadline.on))
        chosen = choose(self._agenda(self.plan), self.done, self._ready_at) if self.plan else None
        return WorkflowStatus(
            workflow_id=self.workflow_id,
            title=f"Mandatperiod från valet {self.election_year}",
            phase=chosen[0].phase if chosen else "planering" if self.plan is None else "avslutas",
            waiting=waiting,
            tally=self.tally,
            problems=self.problems,
            received_events=len(self.handled),
        )

    @workflow.run
    async def run(self, state: MandatperiodInput) -> MandatperiodResult:
        if self.plan is None:
            self.plan = await run_activity(
                MandatperiodActivities.plan,
                PlanMandatperiodInput(kommunkod=self.kommunkod, election_year=self.election_year),
                timeout=timedelta(minutes=1),
            )
            for found in await run_activity(
                MandatperiodActivities.find_beslut,
                find_input([self.plan.vilja_och_mal]),
                timeout=timedelta(seconds=self.plan.activity_timeout_seconds),
            ):
                self.on_beslut(found)
        plan = self.plan
        agenda = self._agenda(plan)
        while (chosen := choose(agenda, self.done, self._ready_at)) is not None:
            item, due = chosen
            if due > workflow.now():
                await wait_until(due, self._changed_since(self.changes))
                continue
            try:
                await self._perform(item, plan)
            except ActivityError as error:
                self.problems.append(problem(error, item.key))
            self.done.append(item.key)
            following = choose(agenda, self.done, self._ready_at)
            if following is not None and (following[0].phase != item.phase or should_continue_as_new()):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._state())
        await workflow.wait_condition(workflow.all_handlers_finished)
        return MandatperiodResult(
            kommunkod=self.kommunkod,
            election_year=self.election_year,
            tally=self.tally,
            goal_uppdrag_id=self.goal_uppdrag_id,
            problems=self.problems,
            runs=self.runs,
        )

    def _agenda(self, plan: MandatPlan) -> list[Item]:
        order = itertools.count()
        step = plan.vilja_och_mal
        items = [
            Item(f"beslut:{step.key}", step.deadline.at, step.phase, next(order)),
            Item("maluppdrag", plan.period_end.at, step.phase, next(order)),
        ]
        items += [
            Item(f"mandatar:{n + 2}", moment.at, f"mandatår {n + 2}", next(order))
            for n, moment in enumerate(plan.anniversaries)
        ]
        items.append(Item("slut", plan.period_end.at, "slut", next(order)))
        return items

    def _ready_at(self, item: Item) -> datetime | None:
        assert self.plan is not None
        found = matching_beslut(self.beslut, self.plan.vilja_och_mal)
        if item.key.startswith("beslut:"):
            return workflow.now() if found is not None else None
        if item.key == "maluppdrag" and found is not None:
            return start_of(found.decided_on)
        return None

    async def _perform(self, item: Item, plan: MandatPlan) -> None:
        step = plan.vilja_och_mal
        if item.key.startswith("beslut:"):
            found = matching_beslut(self.beslut, step)
            if found is None:
                outcome = await run_activity(
                    MandatperiodActivities.record_missed_decision,
                    missed_decision(
                        step,
                        self.workflow_id,
                        severity=plan.avvikelse_severity,
                        category=plan.avvikelse_category,
                    ),
                    timeout=timedelta(seconds=plan.activity_timeout_seconds),
                )
                for beslut in outcome.found:
                    self.on_beslut(beslut)
                found = matching_beslut(self.beslut, step)
            met = found is not None and found.decided_on <= step.deadline.on
            self.tally = self.tally.plus(
                Tally(deadlines_met=int(met), deadlines_missed=int(not met), avvikelser=int(found is None))
            )
        elif item.key == "maluppdrag":
            found = matching_beslut(self.beslut, step)
            if found is None:
                self.problems.append(f"{step.name} antogs aldrig; inget mål utfärdades till KS.")
                return
            issued = await run_activity(
                MandatperiodActivities.issue_uppdrag,
                IssueUppdragInput(
                    command_key=f"{self.workflow_id}/maluppdrag",
                    person=system_person(self.workflow_id),
                    spec=plan.goal_uppdrag,
                    origin_beslut_id=found.beslut_id,
                    issued_on=max(found.decided_on, local_date(workflow.now())),
                ),
                timeout=timedelta(seconds=plan.activity_timeout_seconds),
            )
            self.goal_uppdrag_id = issued.uppdrag_id

    def _state(self) -> MandatperiodInput:
        return MandatperiodInput(
            kommunkod=self.kommunkod,
            election_year=self.election_year,
            plan=self.plan,
            beslut=self.beslut,
            handled_event_ids=self.handled,
            done=self.done,
            goal_uppdrag_id=self.goal_uppdrag_id,
            tally=self.tally,
            problems=self.problems,
            runs=self.runs + 1,
        )
