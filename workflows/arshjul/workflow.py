"""The årshjul: one workflow per municipality and budget year, from the budget to discharge.

It owns time only (docs/arkitektur.md, rule 2). Its agenda comes from the plan activity:
KF's budget (and in an election year the new KF's), KS's verksamhetsplan and
uppföljningsplan, the monthly follow-ups (children), KS's delårsrapport and
årsredovisning on KF's budget uppdrag, and KF's ansvarsfrihet. Decisions and
reports reach it as signals from the relay; at each deadline the store is
asked once more before a missing decision or report becomes an avvikelse.
It continues as new at every phase boundary. What it reads of its plan and
of what it has heard (its agenda, what is ready, its status) is in `cycle`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ChildWorkflowError, WorkflowAlreadyStartedError
from temporalio.workflow import ChildWorkflowHandle

with workflow.unsafe.imports_passed_through():
    from lerum_flow.relay_contract import (
        SIGNAL_BESLUT,
        SIGNAL_RAPPORT,
        WORKFLOW_ARSHJUL,
        BeslutTaget,
        RapportInkommen,
        system_person,
        uppfoljning_workflow_id,
    )
    from lerum_flow.workflows.agenda import (
        DRAFT_TIMEOUT,
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
    from lerum_flow.workflows.arshjul import cycle
    from lerum_flow.workflows.arshjul.activities import ArshjulActivities
    from lerum_flow.workflows.arshjul.models import (
        ArshjulInput,
        ArshjulResult,
        CyclePlan,
        DraftMade,
        PlanCycleInput,
        ReportStep,
        ReviseUppdragInput,
    )
    from lerum_flow.workflows.clock import local_date
    from lerum_flow.workflows.heard import HeardDecisions
    from lerum_flow.workflows.models import (
        QUERY_STATUS,
        DecisionStep,
        IssueUppdragInput,
        MissingReportsInput,
        Reminder,
        RemindInput,
        Tally,
        WorkflowStatus,
    )
    from lerum_flow.workflows.uppfoljning.models import FollowUpStep, UppfoljningInput, UppfoljningResult
    from lerum_flow.workflows.uppfoljning.workflow import Uppfoljning

# Follow-ups end at their own deadline; a cycle at its end waits this long for
# the last of them before it completes anyway.
FOLLOW_UP_GRACE = timedelta(days=45)
# Since this patch the cycle makes each report's draft when the report is asked for (the day
# after its period ends) and records it with its digest; a run recorded before it made none.
DRAFTS_PATCH = "arshjul-report-drafts"


@workflow.defn(name=WORKFLOW_ARSHJUL)
class Arshjul(HeardDecisions):
    @workflow.init
    def __init__(self, state: ArshjulInput) -> None:
        self._carry_over(state)
        self.year = state.budget_year
        self.plan: CyclePlan | None = state.plan
        self.rapporter = list(state.rapporter)
        self.budget_uppdrag_id = state.budget_uppdrag_id
        self.budget_origin_id = state.budget_origin_id
        self.started = list(state.started_follow_ups)
        self.finished = list(state.finished_follow_ups)
        self.drafts: list[DraftMade] = list(state.drafts)
        # Whether this run's agenda has the report drafts (DRAFTS_PATCH); set as the run begins.
        self.makes_drafts = False
        # Follow-ups started by this run: it continues as new only once they have
        # all returned, so every child reports to a run that is still open.
        self.running: set[str] = set()
        self._collectors: set[asyncio.Task[None]] = set()
        # The phase of the last item this run performed ("" until it performs one).
        self.last_phase = ""

    # --- messages ---------------------------------------------------------------

    @workflow.signal(name=SIGNAL_BESLUT)
    def on_beslut(self, message: BeslutTaget) -> None:
        self._take_beslut(message)

    @workflow.signal(name=SIGNAL_RAPPORT)
    def on_rapport(self, message: RapportInkommen) -> None:
        if self._first_time(message.event_id):
            self.rapporter.append(message)
            self.changes += 1

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        return cycle.status_of(self, workflow.now())

    # --- the run ------------------------------------------------------------------

    @workflow.run
    async def run(self, state: ArshjulInput) -> ArshjulResult:
        if self.plan is None:
            self.plan = await run_activity(
                ArshjulActivities.plan,
                PlanCycleInput(kommunkod=self.kommunkod, budget_year=self.year),
                timeout=timedelta(minutes=1),
            )
            # A cycle started late must see what was decided before it started.
            for found in await run_activity(
                ArshjulActivities.find_beslut,
                find_input(self.plan.decisions),
                timeout=self._timeout(),
            ):
                self._take_beslut(found)
        self.makes_drafts = workflow.patched(DRAFTS_PATCH)
        items = cycle.agenda(self.plan, drafts=self.makes_drafts)
        while (chosen := choose(items, self.done, self._ready_at)) is not None:
            item, due = chosen
            if due > workflow.now():
                await wait_until(due, self._changed_since(self.changes))
                continue
            if self._at_boundary(item):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(cycle.carried(self))
            await self._perform(item, self.plan)
            self.done.append(item.key)
            self.last_phase = item.phase
        await wait_until(workflow.now() + FOLLOW_UP_GRACE, lambda: not self.running)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return ArshjulResult(
            kommunkod=self.kommunkod,
            budget_year=self.year,
            election_year=self.plan.election_year,
            tally=self.tally,
            follow_ups=len(self.started),
            problems=self.problems,
            runs=self.runs,
        )

    def _at_boundary(self, item: Item) -> bool:
        """Continue as new before the first item of a new phase, once no follow-up of this run runs."""
        if self.running or not self.last_phase:
            return False
        return item.phase != self.last_phase or should_continue_as_new()

    # --- the agenda -----------------------------------------------------------------

    def _ready_at(self, item: Item) -> datetime | None:
        assert self.plan is not None
        return cycle.ready_at(self, self.plan, item, workflow.now())

    async def _perform(self, item: Item, plan: CyclePlan) -> None:
        kind, _, key = item.key.partition(":")
        try:
            if kind == "beslut":
                await self._check_decision(cycle.owed(plan, self.beslut, cycle.decision(plan, key)), plan)
            elif kind == "budgetuppdrag":
                await self._issue_budget_uppdrag(plan)
            elif kind == "nyvalt":
                await self._renew_budget_uppdrag(plan)
            elif kind == "uppfoljning":
                period, _, led = key.partition(":")
                await self._start_follow_up(cycle.follow_up(plan, period, led), plan)
            elif kind == "utkast":
                await self._make_draft(cycle.report_step(plan, key), plan)
            elif kind == "paminn":
                await self._remind(cycle.report_step(plan, key), plan)
            elif kind == "rapport":
                await self._check_report(cycle.report_step(plan, key), plan)
        except ActivityError as error:
            self.problems.append(problem(error, item.key))
            workflow.logger.warning("steg nekades", extra={"item": item.key, "problem": self.problems[-1]})

    # --- steps ------------------------------------------------------------------------

    async def _check_decision(self, step: DecisionStep, plan: CyclePlan) -> None:
        found = matching_beslut(self.beslut, step)
        if found is None:
            outcome = await run_activity(
                ArshjulActivities.record_missed_decision,
                missed_decision(
                    step,
                    self.workflow_id,
                    severity=plan.avvikelse_severity,
                    category=plan.avvikelse_category,
                ),
                timeout=self._timeout(),
            )
            for beslut in outcome.found:
                self._take_beslut(beslut)
            found = matching_beslut(self.beslut, step)
            if found is None:
                self.tally = self.tally.plus(Tally(deadlines_missed=1, avvikelser=1))
                return
        met = found.decided_on <= step.deadline.on
        self.tally = self.tally.plus(Tally(deadlines_met=int(met), deadlines_missed=int(not met)))

    async def _issue_budget_uppdrag(self, plan: CyclePlan) -> None:
        origin = cycle.budget_decision(plan, self.beslut)
        if origin is None:
            self.problems.append(
                f"Ingen budget för {self.year} antogs; {plan.budget_uppdrag.giver}:s uppdrag till "
                f"{plan.budget_uppdrag.recipient} utfärdades inte."
            )
            return
        issued = await run_activity(
            ArshjulActivities.issue_uppdrag,
            IssueUppdragInput(
                command_key=f"{self.workflow_id}/budgetuppdrag",
                person=system_person(self.workflow_id),
                spec=plan.budget_uppdrag,
                origin_beslut_id=origin.beslut_id,
                issued_on=max(origin.decided_on, local_date(workflow.now())),
            ),
            timeout=self._timeout(),
        )
        self.budget_uppdrag_id = issued.uppdrag_id
        self.budget_origin_id = origin.beslut_id

    async def _renew_budget_uppdrag(self, plan: CyclePlan) -> None:
        """The newly elected KF adopted the budget again: the uppdrag says so, with the decision."""
        renewed = matching_beslut(self.beslut, cycle.decision(plan, "budget_nyvalt"))
        if renewed is None or self.budget_uppdrag_id is None or renewed.beslut_id == self.budget_origin_id:
            return
        await run_activity(
            ArshjulActivities.revise_uppdrag,
            ReviseUppdragInput(
                command_key=f"{self.workflow_id}/nyvalt",
                person=system_person(self.workflow_id),
                giver=plan.budget_uppdrag.giver,
                uppdrag_id=self.budget_uppdrag_id,
                description=f"{plan.budget_uppdrag.description} Antagen på nytt av nyvalt fullmäktige "
                f"{renewed.decided_on.isoformat()} (beslut {renewed.beslut_id}).",
                reason="Nyvalt fullmäktige har antagit budgeten.",
                on=max(renewed.decided_on, local_date(workflow.now())),
            ),
            timeout=self._timeout(),
        )

    async def _start_follow_up(self, step: FollowUpStep, plan: CyclePlan) -> None:
        if workflow.now() >= step.deadline.at:
            self.problems.append(
                f"Uppföljning {step.period} ({step.led_name}) hoppades över: sista dagen har passerat."
            )
            return
        # The follow-up answers to the uppföljningsplan, or to the budget while there is none.
        origin = matching_beslut(self.beslut, cycle.decision(plan, "uppfoljningsplan"))
        origin = origin or cycle.budget_decision(plan, self.beslut)
        if origin is None:
            self.problems.append(
                f"Uppföljning {step.period} ({step.led_name}) kunde inte begäras: varken "
                "uppföljningsplan eller budget är beslutad."
            )
            return
        child_id = uppfoljning_workflow_id(self.kommunkod, self.year, step.period, step.led)
        try:
            handle = await workflow.start_child_workflow(
                Uppfoljning.run,
                UppfoljningInput(
                    kommunkod=self.kommunkod,
                    budget_year=self.year,
                    step=step,
                    origin_beslut_id=origin.beslut_id,
                    avvikelse_severity=plan.avvikelse_severity,
                    avvikelse_category=plan.avvikelse_category,
                    activity_timeout_seconds=plan.activity_timeout_seconds,
                    draft_month=self.makes_drafts and cycle.reports_to_ks(plan, step),
                ),
                id=child_id,
            )
        except WorkflowAlreadyStartedError:
            # Started by an earlier run that was reset; its result is not ours to wait for.
            self.problems.append(f"Uppföljning {step.period} ({step.led_name}) var redan startad.")
            return
        self.started.append(child_id)
        self.running.add(child_id)
        # Kept: a task without a reference may be collected before it is done.
        self._collectors.add(asyncio.create_task(self._collect(child_id, handle)))

    async def _collect(self, child_id: str, handle: ChildWorkflowHandle[Any, UppfoljningResult]) -> None:
        try:
            result = await handle
            self.tally = self.tally.plus(result.tally)
        except ChildWorkflowError as error:
            self.problems.append(problem(error, child_id))
        finally:
            self.running.discard(child_id)
            self.finished.append(child_id)
            self.changes += 1

    async def _make_draft(self, step: ReportStep, plan: CyclePlan) -> None:
        """The report's draft from the record, recorded with its digest for the decision adopting it.

        The log position is fixed by one activity and the draft made up to it by
        another, so a retried attempt makes the same bytes and records nothing twice.
        """
        if f"rapport:{step.key}" in self.done:
            return  # a run that took this patch after the report step: too late for a draft
        upto = await run_activity(ArshjulActivities.draft_position, self.kommunkod, timeout=self._timeout())
        if upto is None:
            return
        made = await run_activity(
            ArshjulActivities.make_draft,
            cycle.draft_input(plan, step, self.workflow_id, upto=upto, on=local_date(workflow.now())),
            timeout=DRAFT_TIMEOUT,
        )
        if made is not None:
            self.drafts.append(made)

    async def _remind(self, step: ReportStep, plan: CyclePlan) -> None:
        if self.budget_uppdrag_id is None or cycle.report_for(self, step) is not None:
            return
        reminded = await run_activity(
            ArshjulActivities.remind,
            RemindInput(
                workflow_id=self.workflow_id,
                reminders=[
                    Reminder(
                        recipient=plan.budget_uppdrag.recipient,
                        title=step.name,
                        uppdrag_id=self.budget_uppdrag_id,
                        due=step.deadline.on,
                    )
                ],
                since=step.not_before,
            ),
            timeout=self._timeout(),
        )
        self.tally = self.tally.plus(Tally(reminders=reminded))

    async def _check_report(self, step: ReportStep, plan: CyclePlan) -> None:
        report = cycle.report_for(self, step)
        if report is None:
            if self.budget_uppdrag_id is None:
                self.problems.append(f"{step.name}: det finns inget budgetuppdrag att rapportera på.")
                return
            outcome = await run_activity(
                ArshjulActivities.record_missing_reports,
                MissingReportsInput(
                    uppdrag_ids=[self.budget_uppdrag_id],
                    since=step.not_before,
                    avvikelser=[cycle.missing_report(plan, step, self.workflow_id, self.budget_uppdrag_id)],
                ),
                timeout=self._timeout(),
            )
            for found in outcome.reported_after_all:
                if self._first_time(found.event_id):
                    self.rapporter.append(found)
            report = cycle.report_for(self, step)
            if report is None:
                self.tally = self.tally.plus(
                    Tally(deadlines_missed=1, reports_missing=1, avvikelser=len(outcome.avvikelser))
                )
                return
        met = report.reported_on <= step.deadline.on
        self.tally = self.tally.plus(
            Tally(deadlines_met=int(met), deadlines_missed=int(not met), reports_on_time=int(met))
        )

    def _timeout(self) -> timedelta:
        return timedelta(seconds=self.plan.activity_timeout_seconds if self.plan else 60)
