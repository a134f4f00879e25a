"""The review timer of one governing document: remind the owner before the review is due, report a
missed review as a deviation, and flag the documents derived from it when it changes.

Started (or signalled) by the relay on every decision on the document (id
`styrdokument-<document id>`). It owns time only (docs/arkitektur.md,
rule 2): an activity reads where the document stands, the workflow waits
until the owner's reminder, then until the review is overdue, or until a
decision on the document is signalled; a review, revision or repeal moves
or ends what it waits for. A revision, repeal or replacement of the document
has the documents derived from it flagged for review. The workflow ends when
the document is no longer in force.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from lerum_flow.styrdokument_contract import (
        SIGNAL_STYRDOKUMENT,
        WORKFLOW_AKTUALITETSPROVNING,
        StyrdokumentAndrat,
    )
    from lerum_flow.workflows.agenda import ACTIVITY_RETRY, problem, should_continue_as_new, wait_until
    from lerum_flow.workflows.clock import local_date
    from lerum_flow.workflows.models import QUERY_STATUS, Tally, Waiting, WorkflowStatus
    from lerum_flow.workflows.styrdokument.activities import StyrdokumentActivities
    from lerum_flow.workflows.styrdokument.models import (
        AktualitetsprovningInput,
        AktualitetsprovningResult,
        FlagChildrenInput,
        Provningslage,
        ReviewStepInput,
    )

# Each activity is one read or a few commands; a worker that dies holding one has it
# retried elsewhere after this long (idempotent, so a slow original is harmless).
ACTIVITY_TIMEOUT = timedelta(seconds=30)


@workflow.defn(name=WORKFLOW_AKTUALITETSPROVNING)
class Aktualitetsprovning:
    @workflow.init
    def __init__(self, state: AktualitetsprovningInput) -> None:
        self.workflow_id = workflow.info().workflow_id
        self.styrdokument_id = state.styrdokument_id
        self.lage: Provningslage | None = state.lage
        self.handled = list(state.handled_event_ids)
        self.reminded = list(state.reminded)
        self.reported = list(state.reported)
        self.avvikelser = list(state.avvikelser)
        self.pending = list(state.pending)
        self.flagged = state.flagged
        self.problems: list[str] = []
        # Set when the document cannot be read (it is not there): the workflow ends.
        self.stopped = False
        self.runs = state.runs
        self.max_history_events = state.max_history_events
        # The newest version of the document a decision was signalled at; newer than the
        # version last read means: read it again.
        self.newest_signalled = 0

    @workflow.signal(name=SIGNAL_STYRDOKUMENT)
    def changed(self, message: StyrdokumentAndrat) -> None:
        # The relay may deliver an event twice (it resumes after a crash), also to a later run.
        if message.event_id in self.handled:
            return
        self.handled.append(message.event_id)
        self.newest_signalled = max(self.newest_signalled, message.version)
        if message.flags_children:
            self.pending.append(message)

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        lage = self.lage
        waiting = []
        if lage is not None and lage.in_force and lage.review_by is not None:
            waiting = [Waiting(what="aktualitetsprövning", from_whom=lage.owner, by=lage.review_by)]
        return WorkflowStatus(
            workflow_id=self.workflow_id,
            title=f"Aktualitetsprövning av styrdokument {self.styrdokument_id}",
            phase=self._phase(),
            waiting=waiting,
            tally=Tally(reminders=len(self.reminded), avvikelser=len(self.avvikelser)),
            problems=self.problems,
            received_events=len(self.handled),
        )

    @workflow.run
    async def run(self, state: AktualitetsprovningInput) -> AktualitetsprovningResult:
        if self.lage is None:
            await self._read()
        while not self.stopped:
            await self._flag_pending()
            lage = self.lage
            if lage is None or not lage.in_force:
                break
            if self._continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._carried())
            if self._news():
                await self._read()
                continue
            due = lage.review_by
            if due is None or due in self.reported:
                # Nothing to wait for until the next decision on the document.
                await workflow.wait_condition(self._news)
            elif due not in self.reminded:
                await self._at(lage.remind_at, due, self._remind)
            else:
                await self._at(lage.overdue_at, due, self._report_overdue)
        return await self._finish()

    def _news(self) -> bool:
        return bool(self.pending) or (self.lage is not None and self.newest_signalled > self.lage.version)

    async def _at(self, at: datetime | None, due: date, step: Callable[[date], Awaitable[None]]) -> None:
        """Wait until `at`, then take the step for the review due by `due`, unless news come first."""
        assert at is not None  # set whenever a review is due
        if not await wait_until(at, self._news):
            await step(due)

    async def _read(self) -> None:
        try:
            self.lage = await workflow.execute_activity_method(
                StyrdokumentActivities.read,
                self.styrdokument_id,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
        except ActivityError as error:
            # Only a refusal ends here (anything else is retried): the document does not exist.
            self.problems.append(problem(error, "Styrdokumentet kunde inte läsas"))
            self.stopped = True

    async def _remind(self, due: date) -> None:
        await workflow.execute_activity_method(
            StyrdokumentActivities.remind,
            self._step(due),
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )
        self.reminded.append(due)

    async def _report_overdue(self, due: date) -> None:
        try:
            avvikelse_id = await workflow.execute_activity_method(
                StyrdokumentActivities.report_overdue,
                self._step(due),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Försenad aktualitetsprövning ({due.isoformat()})"))
            avvikelse_id = None
        # Tried once either way: a refused command would be refused again.
        self.reported.append(due)
        if avvikelse_id is not None:
            self.avvikelser.append(avvikelse_id)

    async def _flag_pending(self) -> None:
        while self.pending:
            change = self.pending[0]
            try:
                flagged = await workflow.execute_activity_method(
                    StyrdokumentActivities.flag_children,
                    FlagChildrenInput(
                        parent_id=self.styrdokument_id,
                        workflow_id=self.workflow_id,
                        event_id=change.event_id,
                        cause=change.what,
                        on=change.on,
                    ),
                    start_to_close_timeout=ACTIVITY_TIMEOUT,
                    heartbeat_timeout=ACTIVITY_TIMEOUT,
                    retry_policy=ACTIVITY_RETRY,
                )
                self.flagged += len(flagged.flagged)
                self.problems += [
                    f"'{item.title}' ({item.styrdokument_id}) flaggades inte för översyn: {item.message}"
                    for item in flagged.not_flagged
                ]
            except ActivityError as error:
                self.problems.append(problem(error, "Underordnade dokument kunde inte flaggas"))
            self.pending.pop(0)

    def _step(self, due: date) -> ReviewStepInput:
        return ReviewStepInput(
            styrdokument_id=self.styrdokument_id, workflow_id=self.workflow_id, review_by=due
        )

    def _continue_as_new(self) -> bool:
        if self.max_history_events is not None:
            return workflow.info().get_current_history_length() > self.max_history_events
        return should_continue_as_new()

    def _carried(self) -> AktualitetsprovningInput:
        return AktualitetsprovningInput(
            styrdokument_id=self.styrdokument_id,
            # Read afresh by the next run: what was signalled to this one is in the store.
            lage=None,
            handled_event_ids=self.handled,
            reminded=self.reminded,
            reported=self.reported,
            avvikelser=self.avvikelser,
            pending=self.pending,
            flagged=self.flagged,
            runs=self.runs + 1,
            max_history_events=self.max_history_events,
        )

    def _phase(self) -> str:
        lage = self.lage
        if lage is None:
            return "läser styrdokumentet"
        if not lage.in_force:
            return "upphört"
        due = lage.review_by
        if due is None:
            return "aktualitetsprövas inte"
        if due in self.reported:
            return f"aktualitetsprövningen försenad sedan {due.isoformat()}"
        if due in self.reminded:
            return f"ägaren påmind, prövas senast {due.isoformat()}"
        assert lage.remind_at is not None
        return f"påminnelse {local_date(lage.remind_at).isoformat()}, prövas senast {due.isoformat()}"

    async def _finish(self) -> AktualitetsprovningResult:
        await workflow.wait_condition(workflow.all_handlers_finished)
        return AktualitetsprovningResult(
            styrdokument_id=self.styrdokument_id,
            outcome="problem" if self.stopped else "upphort",
            reminded=self.reminded,
            avvikelser=self.avvikelser,
            flagged=self.flagged,
            problems=self.problems,
            runs=self.runs,
        )
