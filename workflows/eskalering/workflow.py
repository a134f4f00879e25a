"""The escalation of one deviation: up the styrkedja one level at a time until someone acknowledges it.

Started by the relay when an avvikelse is reported (id `eskalering-<avvikelse id>`).
It owns time only (docs/arkitektur.md, rule 2): it reads where the deviation stands
(activity), waits until the holding level's deadline or until a person acts
on the deviation (signals from the relay), and when the deadline passes has
the miss recorded, which hands the deviation to the level above and notifies
it. A level that acknowledges handles the deviation or escalates it further
itself; the workflow then waits for the new level's acknowledgement. A
deviation graded so that it goes straight past the routine levels is also
made known to the top of the chain (KF). The workflow ends when the
deviation is closed, or when the top of the chain too has let its deadline
pass (nobody is left to notify).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from lerum_flow.relay_contract import SIGNAL_AVVIKELSE, WORKFLOW_ESKALERING, AvvikelseAndrad
    from lerum_flow.workflows.agenda import problem, run_activity, should_continue_as_new, wait_until
    from lerum_flow.workflows.clock import local_date
    from lerum_flow.workflows.eskalering.activities import EskaleringActivities
    from lerum_flow.workflows.eskalering.models import (
        EskaleringInput,
        EskaleringResult,
        FollowInput,
        InformInput,
        Lage,
        MissInput,
    )
    from lerum_flow.workflows.models import QUERY_STATUS, Tally, Waiting, WorkflowStatus

# Each activity is one read or one command: a worker that dies holding one
# has it retried elsewhere after this long (idempotent, so a slow original is harmless).
ACTIVITY_TIMEOUT = timedelta(seconds=10)


@workflow.defn(name=WORKFLOW_ESKALERING)
class Eskalering:
    @workflow.init
    def __init__(self, state: EskaleringInput) -> None:
        self.workflow_id = workflow.info().workflow_id
        self.avvikelse_id = state.avvikelse_id
        self.lage: Lage | None = state.lage
        self.handled = list(state.handled_event_ids)
        self.missed_visits = list(state.missed_visits)
        self.missed_levels = list(state.missed_levels)
        self.informed = list(state.informed)
        self.notified_visit = state.notified_visit
        self.problems: list[str] = []
        # Set when a step was refused for good (the deviation is not there): the workflow ends.
        self.stopped = False
        self.runs = state.runs
        # The newest version of the deviation a person's act was signalled at; when it
        # is newer than what the workflow last read, the store is read again.
        self.newest_signalled = 0

    @workflow.signal(name=SIGNAL_AVVIKELSE)
    def changed(self, message: AvvikelseAndrad) -> None:
        # The relay may deliver an event twice (it resumes after a crash), also to a later run.
        if message.event_id in self.handled:
            return
        self.handled.append(message.event_id)
        self.newest_signalled = max(self.newest_signalled, message.version)

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        lage = self.lage
        waiting = []
        if lage is not None and self._deadline_pending(lage):
            assert lage.deadline is not None
            waiting = [
                Waiting(what="kvittens av avvikelsen", from_whom=lage.level, by=local_date(lage.deadline))
            ]
        return WorkflowStatus(
            workflow_id=self.workflow_id,
            title=f"Eskalering av avvikelse {self.avvikelse_id}",
            phase=self._phase(),
            waiting=waiting,
            tally=Tally(deadlines_missed=len(self.missed_levels)),
            problems=self.problems,
            received_events=len(self.handled),
        )

    @workflow.run
    async def run(self, state: EskaleringInput) -> EskaleringResult:
        if self.lage is None:
            await self._follow()
        while self.lage is not None and self.lage.is_open and not self.stopped:
            lage = self.lage
            for level in lage.inform:
                if level not in self.informed:
                    await self._inform(level)
            if should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._carried())
            if lage.notice_pending:
                # Held back until the levels above were informed (see FollowInput).
                await self._follow()
            elif self._deadline_pending(lage):
                assert lage.deadline is not None
                if await wait_until(lage.deadline, self._news):
                    await self._follow()
                else:
                    await self._miss(lage, lage.deadline)
            elif lage.deadline is not None and lage.above is None:
                break  # the top let its deadline pass too: nobody is left to tell
            else:
                # Acknowledged (or a level without a deadline): wait for what the level does.
                await workflow.wait_condition(self._news)
                await self._follow()
        return await self._finish()

    def _news(self) -> bool:
        return self.lage is not None and self.newest_signalled > self.lage.version

    def _deadline_pending(self, lage: Lage) -> bool:
        return lage.deadline is not None and lage.visit not in self.missed_visits

    async def _follow(self) -> None:
        """Read where the deviation stands now (and have its holder notified, once per visit)."""
        try:
            lage = await run_activity(
                EskaleringActivities.follow,
                FollowInput(
                    avvikelse_id=self.avvikelse_id,
                    workflow_id=self.workflow_id,
                    notified_visit=self.notified_visit,
                    informed=self.informed,
                ),
                timeout=ACTIVITY_TIMEOUT,
            )
        except ActivityError as error:
            # Only a refusal ends here (anything else is retried): the deviation does not exist.
            self.problems.append(problem(error, "Avvikelsen kunde inte läsas"))
            self.stopped = True
            return
        self.notified_visit = lage.notified_visit
        self.lage = lage

    async def _miss(self, lage: Lage, deadline: datetime) -> None:
        """Have the missed deadline recorded, which hands the deviation up, and read where it stands."""
        try:
            result = await run_activity(
                EskaleringActivities.record_missed_deadline,
                MissInput(
                    avvikelse_id=self.avvikelse_id,
                    workflow_id=self.workflow_id,
                    level=lage.level,
                    visit=lage.visit,
                    deadline=deadline,
                    notified_visit=self.notified_visit,
                    informed=self.informed,
                ),
                timeout=ACTIVITY_TIMEOUT,
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Missad kvittens hos {lage.level}"))
            self.stopped = True
            return
        # This visit's deadline is over either way: missed, or a person acted just before.
        self.missed_visits.append(lage.visit)
        if result.missed:
            self.missed_levels.append(lage.level)
        self.notified_visit = result.lage.notified_visit
        self.lage = result.lage

    async def _inform(self, level: str) -> None:
        try:
            await run_activity(
                EskaleringActivities.inform,
                InformInput(
                    avvikelse_id=self.avvikelse_id,
                    workflow_id=self.workflow_id,
                    level=level,
                    on=local_date(workflow.now()),
                ),
                timeout=ACTIVITY_TIMEOUT,
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Information till {level}"))
        # Tried once either way: a refused command would be refused again.
        self.informed.append(level)

    def _carried(self) -> EskaleringInput:
        return EskaleringInput(
            avvikelse_id=self.avvikelse_id,
            # Read afresh by the next run: what was signalled to this one is in the store.
            lage=None,
            handled_event_ids=self.handled,
            missed_visits=self.missed_visits,
            missed_levels=self.missed_levels,
            informed=self.informed,
            notified_visit=self.notified_visit,
            runs=self.runs + 1,
        )

    def _phase(self) -> str:
        lage = self.lage
        if lage is None:
            return "läser avvikelsen"
        if not lage.is_open:
            return "stängd"
        if self._deadline_pending(lage):
            return f"väntar på kvittens från {lage.level}"
        if lage.deadline is not None:
            return f"obesvarad hos {lage.level}, högst upp i styrkedjan"
        return f"kvitterad av {lage.level}, väntar på åtgärd eller eskalering"

    async def _finish(self) -> EskaleringResult:
        await workflow.wait_condition(workflow.all_handlers_finished)
        lage = self.lage
        if lage is None or self.stopped:
            outcome = "problem"
        elif lage.is_open:
            outcome = "obesvarad"
        else:
            outcome = "stangd"
        return EskaleringResult(
            avvikelse_id=self.avvikelse_id,
            outcome=outcome,
            level=lage.level if lage else "",
            missed=self.missed_levels,
            informed=self.informed,
            problems=self.problems,
            runs=self.runs,
        )
