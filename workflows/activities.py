"""The activities: every fact a workflow records goes through `Governance`, idempotently.

Each write carries a command id derived from the workflow id and the step
(uuid5), so an activity that Temporal runs again after a crash is answered
"already recorded" instead of recording twice. A refused command is not
retried: the same command would be refused again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Protocol, TypeVar
from uuid import UUID

import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import Conflict, Refusal
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import AvvikelseSubject, UppdragKind, derive_id
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.relay_contract import BeslutTaget, RapportInkommen, event_id, system_person
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.workflows.clock import end_of
from lerum_flow.workflows.models import (
    AvvikelseSpec,
    CyclePlan,
    FindBeslutInput,
    IssuedUppdrag,
    IssueUppdragInput,
    MandatPlan,
    MissedDecisionInput,
    MissedDecisionOutcome,
    MissingReportsInput,
    MissingReportsOutcome,
    PlanCycleInput,
    PlanMandatperiodInput,
    Reminder,
    RemindInput,
    ReportsOnInput,
    RequestReportsInput,
    ReviseUppdragInput,
)
from lerum_flow.workflows.planning import plan_cycle, plan_mandatperiod

TCommand = TypeVar("TCommand", bound=c.Command)


class Reminders(Protocol):
    """Delivers a reminder of a report due; test doubles and the simulation act on it directly."""

    def remind(self, reminder: Reminder, *, workflow_id: str) -> None: ...


class NoticeReminders:
    """Reminders as notices, through the one notification interface (lerum_flow.notifications)."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    def remind(self, reminder: Reminder, *, workflow_id: str) -> None:
        self.notifier.notify(
            Notice(
                kind=NoticeKind.PAMINNELSE,
                recipient=reminder.recipient,
                subject=f"Påminnelse: {reminder.title}",
                text=f"{reminder.title} ska återrapporteras senast {reminder.due.isoformat()}.",
                ref=str(reminder.uppdrag_id),
                workflow_id=workflow_id,
                due=end_of(reminder.due),
                key=f"{workflow_id}/paminnelse/{reminder.uppdrag_id}",
            )
        )


def command_id(command_key: str) -> UUID:
    """The id of a workflow's command: the same for every attempt of the same step."""
    return derive_id("temporal-steg", command_key)


async def record(
    handle: Callable[[TCommand], Outcome], command_class: type[TCommand], **fields: object
) -> Outcome:
    """Build and record one command in a thread; a refusal ends the activity for good."""
    try:
        command = c.parse_command(command_class, **fields)
        outcome = await asyncio.to_thread(handle, command)
    except Conflict as conflict:
        raise ApplicationError(conflict.message, type=conflict.code) from None
    except Refusal as refusal:
        raise ApplicationError(
            refusal.message, refusal.as_dict(), type=refusal.code, non_retryable=True
        ) from None
    structlog.get_logger("lerum_flow.workflows").info(
        "aktivitet_registrerade",
        command=command_class.__name__,
        aggregate_id=str(outcome.id),
        recorded=outcome.recorded,
        workflow_id=activity.info().workflow_id,
        attempt=activity.info().attempt,
    )
    return outcome


class GovernanceActivities:
    """Activities bound to one Governance; `after_write` lets a caller react to new events at once."""

    def __init__(
        self,
        governance: Governance,
        *,
        notifier: Reminders | None = None,
        after_write: Callable[[], Awaitable[object]] | None = None,
        activity_timeout_seconds: int = 60,
    ) -> None:
        self.governance = governance
        self.notifier: Reminders = notifier or NoticeReminders(LoggingNotifier())
        self.after_write = after_write
        self.activity_timeout_seconds = activity_timeout_seconds

    @property
    def styrmodell(self) -> Styrmodell:
        return self.governance.styrmodell

    # --- plans ------------------------------------------------------------------

    @activity.defn(name="plan_cycle")
    async def plan_cycle(self, request: PlanCycleInput) -> CyclePlan:
        self.check_kommun(request.kommunkod)
        return plan_cycle(
            self.styrmodell, request.budget_year, activity_timeout_seconds=self.activity_timeout_seconds
        )

    @activity.defn(name="plan_mandatperiod")
    async def plan_mandatperiod(self, request: PlanMandatperiodInput) -> MandatPlan:
        self.check_kommun(request.kommunkod)
        if not self.styrmodell.is_election_year(request.election_year):
            raise ApplicationError(
                f"{request.election_year} är inget valår enligt styrmodellen.",
                type="ogiltig_indata",
                non_retryable=True,
            )
        return plan_mandatperiod(
            self.styrmodell, request.election_year, activity_timeout_seconds=self.activity_timeout_seconds
        )

    def check_kommun(self, kommunkod: str) -> None:
        """Refuse, for good, a plan for another municipality than the worker's styrmodell's."""
        if kommunkod != self.styrmodell.kommun.kod:
            raise ApplicationError(
                f"Workern har styrmodellen för {self.styrmodell.kommun.namn} "
                f"({self.styrmodell.kommun.kod}), inte för kommun {kommunkod}.",
                type="fel_kommun",
                non_retryable=True,
            )

    # --- reading ------------------------------------------------------------------

    @activity.defn(name="find_beslut")
    async def find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        """Decisions already recorded: a cycle started late, or a relay behind, misses nothing."""
        return await asyncio.to_thread(self._find_beslut, request)

    def _find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        return [
            BeslutTaget.of(event, notification_id)
            for notification_id, event in self.governance.beslut_taken()
            if event.kind in request.kinds
            and event.decided_by in request.decided_by
            and event.effective_on >= request.not_before
        ]

    @activity.defn(name="reports_on")
    async def reports_on(self, request: ReportsOnInput) -> list[RapportInkommen]:
        return await asyncio.to_thread(self._reports_on, request.uppdrag_ids, request.since)

    def _reports_on(self, uppdrag_ids: list[UUID], since: date) -> list[RapportInkommen]:
        reports = []
        for uppdrag_id in uppdrag_ids:
            for event in self.governance.events_of(uppdrag_id):
                if isinstance(event, Uppdrag.Reported) and event.effective_on >= since:
                    reports.append(
                        RapportInkommen(
                            event_id=event_id(event.originator_id, event.originator_version),
                            uppdrag_id=event.originator_id,
                            reported_by=event.actor,
                            reported_on=event.effective_on,
                            period=event.period,
                        )
                    )
        return reports

    # --- writing ------------------------------------------------------------------

    @activity.defn(name="issue_uppdrag")
    async def issue_uppdrag(self, request: IssueUppdragInput) -> IssuedUppdrag:
        spec = request.spec
        outcome = await self._record(
            self.governance.issue_uppdrag,
            c.IssueUppdrag,
            actor=spec.giver,
            person=request.person,
            command_id=command_id(request.command_key),
            kind=UppdragKind(spec.kind),
            recipient=spec.recipient,
            title=spec.title,
            description=spec.description,
            due=max(spec.due, request.issued_on),
            origin_beslut_id=request.origin_beslut_id,
            issued_on=request.issued_on,
            key=spec.key,
        )
        await self._written()
        return IssuedUppdrag(key=spec.key, uppdrag_id=outcome.id, recorded=outcome.recorded)

    @activity.defn(name="request_reports")
    async def request_reports(self, request: RequestReportsInput) -> list[IssuedUppdrag]:
        """Ask each position for its report: one uppdrag per report, from the receiver of it."""
        issued = []
        for item in request.requests:
            outcome = await self._record(
                self.governance.issue_uppdrag,
                c.IssueUppdrag,
                actor=item.giver,
                person=system_person(request.workflow_id),
                command_id=command_id(f"{request.workflow_id}/begar/{item.recipient}/{item.key}"),
                recipient=item.recipient,
                title=item.title,
                description="Återrapportera enligt uppföljningsplanen.",
                due=max(request.due, request.issued_on),
                origin_beslut_id=request.origin_beslut_id,
                issued_on=request.issued_on,
                key=item.key,
            )
            issued.append(
                IssuedUppdrag(
                    key=f"{item.recipient}/{item.key}", uppdrag_id=outcome.id, recorded=outcome.recorded
                )
            )
            activity.heartbeat(len(issued))
        await self._written()
        return issued

    @activity.defn(name="revise_uppdrag")
    async def revise_uppdrag(self, request: ReviseUppdragInput) -> IssuedUppdrag:
        outcome = await self._record(
            self.governance.revise_uppdrag,
            c.ReviseUppdrag,
            actor=request.giver,
            person=request.person,
            command_id=command_id(request.command_key),
            uppdrag_id=request.uppdrag_id,
            on=request.on,
            description=request.description,
            reason=request.reason,
        )
        await self._written()
        return IssuedUppdrag(key=request.command_key, uppdrag_id=outcome.id, recorded=outcome.recorded)

    @activity.defn(name="remind")
    async def remind(self, request: RemindInput) -> int:
        """Remind those whose report has not come in; returns how many were reminded."""
        reported = {
            r.uppdrag_id
            for r in await self.reports_on(
                ReportsOnInput(uppdrag_ids=[r.uppdrag_id for r in request.reminders], since=request.since)
            )
        }
        due = [r for r in request.reminders if r.uppdrag_id not in reported]
        for reminder in due:
            self.notifier.remind(reminder, workflow_id=request.workflow_id)
        # A reminder may make someone act at once; let the relay see it.
        await self._written()
        return len(due)

    @activity.defn(name="record_missing_reports")
    async def record_missing_reports(self, request: MissingReportsInput) -> MissingReportsOutcome:
        """An avvikelse for each report still missing; one that came in after all is returned instead."""
        late = await self.reports_on(ReportsOnInput(uppdrag_ids=request.uppdrag_ids, since=request.since))
        reported = {r.uppdrag_id for r in late}
        recorded = []
        for spec in request.avvikelser:
            if UUID(spec.subject_ref) in reported:
                continue
            recorded.append(await self._report_avvikelse(spec))
            activity.heartbeat(len(recorded))
        await self._written()
        return MissingReportsOutcome(reported_after_all=late, avvikelser=recorded)

    @activity.defn(name="record_missed_decision")
    async def record_missed_decision(self, request: MissedDecisionInput) -> MissedDecisionOutcome:
        """An avvikelse for a decision not taken by its deadline, unless the store has it after all."""
        found = await self.find_beslut(request.find)
        if found:
            return MissedDecisionOutcome(found=found, avvikelse_id=None)
        avvikelse_id = await self._report_avvikelse(request.avvikelse)
        await self._written()
        return MissedDecisionOutcome(found=[], avvikelse_id=avvikelse_id)

    @activity.defn(name="report_avvikelse")
    async def report_avvikelse(self, spec: AvvikelseSpec) -> UUID:
        avvikelse_id = await self._report_avvikelse(spec)
        await self._written()
        return avvikelse_id

    async def _report_avvikelse(self, spec: AvvikelseSpec) -> UUID:
        outcome = await self._record(
            self.governance.report_avvikelse,
            c.ReportAvvikelse,
            actor=spec.actor,
            person=spec.person,
            command_id=command_id(spec.command_key),
            subject_kind=AvvikelseSubject(spec.subject_kind),
            subject_ref=spec.subject_ref,
            severity=spec.severity,
            category=spec.category,
            description=spec.description,
            occurred_on=spec.occurred_on,
            key=spec.key,
        )
        return outcome.id

    async def _record(
        self, handle: Callable[[TCommand], Outcome], command_class: type[TCommand], **fields: object
    ) -> Outcome:
        return await record(handle, command_class, **fields)

    async def _written(self) -> None:
        if self.after_write is not None:
            await self.after_write()

    def all(self) -> list[Callable[..., object]]:
        """Every activity, for the worker."""
        return [
            self.plan_cycle,
            self.plan_mandatperiod,
            self.find_beslut,
            self.reports_on,
            self.issue_uppdrag,
            self.request_reports,
            self.revise_uppdrag,
            self.remind,
            self.record_missing_reports,
            self.record_missed_decision,
            self.report_avvikelse,
        ]
