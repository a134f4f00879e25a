"""The follow-up of one edge for one period: request the reports, remind, record what is missing.

Started by the årshjul as a child (id like `uppfoljning-1441-2028-03-sektorschef`),
it issues one uppdrag per report through Governance, waits for the reports
(signals from the relay), reminds before the deadline and turns every report
still missing at the deadline into an avvikelse. Its result goes to the cycle.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from lerum_flow.domain.values import AvvikelseSubject
    from lerum_flow.relay_contract import (
        SIGNAL_RAPPORT,
        WORKFLOW_UPPFOLJNING,
        RapportInkommen,
        system_person,
    )
    from lerum_flow.workflows.agenda import DRAFT_TIMEOUT, problem, run_activity, wait_until
    from lerum_flow.workflows.arshjul.models import DraftInput
    from lerum_flow.workflows.clock import day_after, local_date
    from lerum_flow.workflows.models import (
        QUERY_STATUS,
        AvvikelseSpec,
        IssuedUppdrag,
        MissingReportsInput,
        Reminder,
        RemindInput,
        Tally,
        Waiting,
        WorkflowStatus,
    )
    from lerum_flow.workflows.uppfoljning.activities import UppfoljningActivities
    from lerum_flow.workflows.uppfoljning.models import (
        RequestReportsInput,
        UppfoljningInput,
        UppfoljningResult,
    )


@workflow.defn(name=WORKFLOW_UPPFOLJNING)
class Uppfoljning:
    @workflow.init
    def __init__(self, request: UppfoljningInput) -> None:
        self.request = request
        self.workflow_id = workflow.info().workflow_id
        self.requested: list[IssuedUppdrag] = []
        self.reports: dict[UUID, RapportInkommen] = {}
        self.handled: set[str] = set()
        self.tally = Tally()
        self.problems: list[str] = []
        self.phase = "begär rapporter"

    @workflow.signal(name=SIGNAL_RAPPORT)
    def rapport(self, message: RapportInkommen) -> None:
        # The relay may deliver the same event twice (it resumes after a crash).
        if message.event_id in self.handled:
            return
        self.handled.add(message.event_id)
        if message.reported_on >= self.request.step.request.on:
            self.reports.setdefault(message.uppdrag_id, message)

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> WorkflowStatus:
        step = self.request.step
        return WorkflowStatus(
            workflow_id=self.workflow_id,
            title=f"Månadsuppföljning {step.period} ({step.led_name})",
            phase=self.phase,
            waiting=[
                Waiting(what=self._title(u), from_whom=u.key.split("/")[0], by=step.deadline.on)
                for u in self._missing()
            ],
            tally=self.tally,
            problems=self.problems,
            received_events=len(self.handled),
        )

    @workflow.run
    async def run(self, request: UppfoljningInput) -> UppfoljningResult:
        step = request.step
        timeout = timedelta(seconds=request.activity_timeout_seconds)
        # Started ahead of time (by hand, or a cycle catching up), it still asks on the planned day.
        await wait_until(step.request.at, lambda: False)
        try:
            self.requested = await run_activity(
                UppfoljningActivities.request_reports,
                RequestReportsInput(
                    workflow_id=self.workflow_id,
                    requests=step.requests,
                    origin_beslut_id=request.origin_beslut_id,
                    issued_on=max(step.request.on, local_date(workflow.now())),
                    due=step.deadline.on,
                ),
                # One command per report: the batch may take that long, and it
                # heartbeats after each, so a dead worker is noticed at once.
                timeout=timeout * max(1, len(step.requests)),
                heartbeat_timeout=timeout,
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Begäran om rapporter {step.period}"))
            return await self._finish()

        self.phase = "väntar på rapporter"
        if not await wait_until(step.remind.at, self._all_in):
            self.tally = self.tally.plus(Tally(reminders=await self._remind()))

        if not await wait_until(step.deadline.at, self._all_in):
            self.phase = "registrerar saknade rapporter"
            await self._record_missing()
        on_time = sum(1 for r in self.reports.values() if r.reported_on <= step.deadline.on)
        missing = len(self.requested) - len(self.reports)
        self.tally = self.tally.plus(
            Tally(
                deadlines_met=on_time,
                deadlines_missed=len(self.reports) - on_time + missing,
                reports_on_time=on_time,
                reports_missing=missing,
            )
        )
        if request.draft_month:
            await self._make_draft(request)
        return await self._finish()

    async def _make_draft(self, request: UppfoljningInput) -> None:
        """The month's report to KS from the record as of the deadline, recorded with its digest.

        As in the årshjul: the position fixed by one activity, the draft made up to it by another,
        so a retried attempt records it once.
        """
        step = request.step
        self.phase = "gör månadsrapporten"
        year, _, month = step.period.partition("-")
        try:
            upto = await run_activity(
                UppfoljningActivities.draft_position,
                self.workflow_id,
                timeout=timedelta(seconds=request.activity_timeout_seconds),
            )
            if upto is None:
                return
            await run_activity(
                UppfoljningActivities.make_draft,
                DraftInput(
                    command_key=f"{self.workflow_id}/utkast",
                    person=system_person(self.workflow_id),
                    actor=step.reporters[0].position,
                    report="manad",
                    year=int(year),
                    number=int(month),
                    upto=upto,
                    made_on=local_date(workflow.now()),
                    as_of=step.deadline.on,
                ),
                timeout=DRAFT_TIMEOUT,
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Månadsrapport {step.period} till kommunstyrelsen"))

    async def _remind(self) -> int:
        step = self.request.step
        try:
            return await run_activity(
                UppfoljningActivities.remind,
                RemindInput(
                    workflow_id=self.workflow_id,
                    reminders=[
                        Reminder(
                            recipient=u.key.split("/")[0],
                            title=self._title(u),
                            uppdrag_id=u.uppdrag_id,
                            due=step.deadline.on,
                        )
                        for u in self._missing()
                    ],
                    since=step.request.on,
                ),
                timeout=timedelta(seconds=self.request.activity_timeout_seconds),
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Påminnelse {step.period}"))
            return 0

    async def _record_missing(self) -> None:
        step = self.request.step
        missing = self._missing()
        try:
            outcome = await run_activity(
                UppfoljningActivities.record_missing_reports,
                MissingReportsInput(
                    uppdrag_ids=[u.uppdrag_id for u in missing],
                    since=step.request.on,
                    avvikelser=[self._avvikelse(u) for u in missing],
                ),
                timeout=timedelta(seconds=self.request.activity_timeout_seconds) * max(1, len(missing)),
                heartbeat_timeout=timedelta(seconds=self.request.activity_timeout_seconds),
            )
        except ActivityError as error:
            self.problems.append(problem(error, f"Avvikelser för saknade rapporter {step.period}"))
            return
        for report in outcome.reported_after_all:
            self.reports.setdefault(report.uppdrag_id, report)
        self.tally = self.tally.plus(Tally(avvikelser=len(outcome.avvikelser)))

    def _avvikelse(self, uppdrag: IssuedUppdrag) -> AvvikelseSpec:
        step = self.request.step
        recipient = uppdrag.key.split("/")[0]
        return AvvikelseSpec(
            command_key=f"{self.workflow_id}/avvikelse/{uppdrag.key}",
            person=system_person(self.workflow_id),
            # Recorded in the name of the position that owed the report, so that
            # it lands with the level above: the one that asked for it.
            actor=recipient,
            subject_kind=str(AvvikelseSubject.UPPDRAG),
            subject_ref=str(uppdrag.uppdrag_id),
            severity=self.request.avvikelse_severity,
            category=self.request.avvikelse_category,
            description=f"{self._title(uppdrag)} från {recipient} har inte kommit in senast "
            f"{step.deadline.on.isoformat()}.",
            occurred_on=day_after(step.deadline.on),
            key=f"rapport-saknas:{uppdrag.uppdrag_id}",
        )

    async def _finish(self) -> UppfoljningResult:
        self.phase = "klar"
        await workflow.wait_condition(workflow.all_handlers_finished)
        return UppfoljningResult(
            workflow_id=self.workflow_id, requested=len(self.requested), tally=self.tally
        )

    def _all_in(self) -> bool:
        return bool(self.requested) and not self._missing()

    def _missing(self) -> list[IssuedUppdrag]:
        return [u for u in self.requested if u.uppdrag_id not in self.reports]

    def _title(self, uppdrag: IssuedUppdrag) -> str:
        key = uppdrag.key.split("/", 1)[1]
        request = next((r for r in self.request.step.requests if r.key == key), None)
        return request.title if request is not None else key
