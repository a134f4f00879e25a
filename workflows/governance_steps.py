"""What several processes do through `Governance`: the shared implementations of their activities.

Each process registers its own activities under its own names (`<process>.<verb>`,
see its `activities` module); where two processes do the same thing, both
activities call the one step here. Every write carries a command id derived
from the workflow id and the step (uuid5), so an activity that Temporal runs
again after a crash is answered "already recorded" instead of recording
twice, and it names the workflow that ran it as the acting process. A
refused command is not retried: the same command would be refused again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from typing import ParamSpec, Protocol, TypeVar, cast
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import Conflict, InvalidState, Refusal
from lerum_flow.domain.plan_steps import answers
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import AvvikelseSubject, UppdragKind, derive_id
from lerum_flow.logs import get_logger
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.relay_contract import BeslutTaget, RapportInkommen, event_id
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.workflows.clock import end_of
from lerum_flow.workflows.models import (
    AvvikelseSpec,
    FindBeslutInput,
    IssuedUppdrag,
    IssueUppdragInput,
    MissedDecisionInput,
    MissedDecisionOutcome,
    MissingReportsInput,
    MissingReportsOutcome,
    Reminder,
    RemindInput,
)

TCommand = TypeVar("TCommand", bound=c.Command)
P = ParamSpec("P")


class Reminders(Protocol):
    """Delivers a reminder of a report due (the simulated people of the demo act on it)."""

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


# The version of an outcome that recorded nothing because a person acted first: no record has it.
OVERTAKEN = 0


def unless_overtaken(
    handle: Callable[[TCommand], Outcome], rules: frozenset[str], record_id: Callable[[TCommand], UUID]
) -> Callable[[TCommand], Outcome]:
    """`handle`, answering "nothing recorded" (version OVERTAKEN) instead of refusing when a person
    made the step needless while it was on its way (a refusal of one of `rules`: the deviation was
    acknowledged, the document reviewed ...); any other refusal stands."""

    def recorded(command: TCommand) -> Outcome:
        try:
            return handle(command)
        except InvalidState as refusal:
            if refusal.rule not in rules:
                raise
            return Outcome(record_id(command), False, OVERTAKEN, refusal.message)

    return recorded


async def record(
    handle: Callable[[TCommand], Outcome],
    command_class: Callable[P, TCommand],
    *args: P.args,
    **fields: P.kwargs,
) -> Outcome:
    """Record one command in the name of the workflow running this activity; a refusal ends it for good."""
    info = activity.info()
    try:
        # The caller's fields are checked against the command class; the process is this activity's.
        with_process = cast("Callable[..., TCommand]", command_class)
        command = c.parse_command(with_process, *args, **fields, process=info.workflow_id)
        outcome = await asyncio.to_thread(handle, command)
    except Refusal as refusal:
        raise failure_of(refusal) from None
    get_logger("lerum_flow.workflows").info(
        "aktivitet_registrerade",
        command=type(command).__name__,
        aggregate_id=str(outcome.id),
        recorded=outcome.recorded,
        workflow_id=info.workflow_id,
        attempt=info.attempt,
    )
    return outcome


def failure_of(refusal: Refusal) -> ApplicationError:
    """The failure an activity ends with on a refusal, from `record` or from any read or step
    (`worker.RefusalsEndActivities`): for good, since the same command or read would be refused
    again, but retried on a conflict, which is over once the other command is recorded."""
    if isinstance(refusal, Conflict):
        return ApplicationError(refusal.message, type=refusal.code)
    return ApplicationError(refusal.message, refusal.as_dict(), type=refusal.code, non_retryable=True)


def refusal_rule(error: ApplicationError) -> str:
    """The rule of a refusal `record` ended an activity with (its details, `Refusal.as_dict`), or its
    code when they are missing."""
    details = error.details[0] if error.details else None
    if isinstance(details, dict) and isinstance(details.get("regel"), str):
        return str(details["regel"])
    return error.type or "okand"


class DecisionsTaken(Protocol):
    """Finds the decisions already recorded that a process waits for."""

    def taken(
        self, kinds: Sequence[str], decided_by: Sequence[str], not_before: date
    ) -> list[BeslutTaget]: ...


class LogDecisions:
    """Decisions taken, found by reading every recorded decision: for a store without views (in
    memory); a worker on a database is given the beslut view's indexed read
    (`lerum_flow.decisions_taken`), whose cost does not grow with the log."""

    def __init__(self, governance: Governance) -> None:
        self.governance = governance

    def taken(self, kinds: Sequence[str], decided_by: Sequence[str], not_before: date) -> list[BeslutTaget]:
        return [
            BeslutTaget.of(event, notification_id)
            for notification_id, event in self.governance.beslut_taken()
            if event.kind in kinds and event.decided_by in decided_by and event.effective_on >= not_before
        ]


class GovernanceSteps:
    """The steps on one Governance that more than one process takes; `reminders` delivers reminders,
    `decisions` finds the decisions already taken (by reading the log unless given)."""

    def __init__(
        self,
        governance: Governance,
        *,
        reminders: Reminders | None = None,
        decisions: DecisionsTaken | None = None,
    ) -> None:
        self.governance = governance
        self.reminders: Reminders = reminders or NoticeReminders(LoggingNotifier())
        self.decisions: DecisionsTaken = decisions or LogDecisions(governance)

    @property
    def styrmodell(self) -> Styrmodell:
        return self.governance.styrmodell

    def check_kommun(self, kommunkod: str) -> None:
        """Refuse for good to plan for another municipality than the styrmodell's."""
        if kommunkod != self.styrmodell.kommun.kod:
            raise ApplicationError(
                f"Workern har styrmodellen för {self.styrmodell.kommun.namn} "
                f"({self.styrmodell.kommun.kod}), inte för kommun {kommunkod}.",
                type="fel_kommun",
                non_retryable=True,
            )

    # --- reading ------------------------------------------------------------------

    async def find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        """Decisions already recorded: a process started late, or a relay behind, misses nothing."""
        return await asyncio.to_thread(self._find_beslut, request)

    def _find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        return self.decisions.taken(request.kinds, request.decided_by, request.not_before)

    async def reports_on(self, uppdrag_ids: list[UUID], since: date) -> list[RapportInkommen]:
        return await asyncio.to_thread(self._reports_on, uppdrag_ids, since)

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

    async def issue_uppdrag(self, request: IssueUppdragInput) -> IssuedUppdrag:
        spec = request.spec
        outcome = await record(
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
        return IssuedUppdrag(key=spec.key, uppdrag_id=outcome.id, recorded=outcome.recorded)

    async def remind(self, request: RemindInput) -> int:
        """Remind those whose report has not come in; returns how many were reminded."""
        reported = {
            r.uppdrag_id
            for r in await self.reports_on([r.uppdrag_id for r in request.reminders], request.since)
        }
        due = [r for r in request.reminders if r.uppdrag_id not in reported]
        for reminder in due:
            # In a thread: a channel such as e-mail waits on its server, the worker's loop must not.
            await asyncio.to_thread(self.reminders.remind, reminder, workflow_id=request.workflow_id)
        return len(due)

    async def record_missing_reports(self, request: MissingReportsInput) -> MissingReportsOutcome:
        """An avvikelse for each report still missing; one that came in after all is returned instead."""
        late = await self.reports_on(request.uppdrag_ids, request.since)
        reported = {r.uppdrag_id for r in late}
        recorded = []
        for spec in request.avvikelser:
            if UUID(spec.subject_ref) in reported:
                continue
            recorded.append(await self.report_avvikelse(spec))
            activity.heartbeat(len(recorded))
        return MissingReportsOutcome(reported_after_all=late, avvikelser=recorded)

    async def record_missed_decision(self, request: MissedDecisionInput) -> MissedDecisionOutcome:
        """An avvikelse for a decision not taken by its deadline, unless the store has it after all."""
        found = await self.find_beslut(request.find)
        if request.step is not None:
            found = [b for b in found if answers(b, request.step)]
        if found:
            return MissedDecisionOutcome(found=found, avvikelse_id=None)
        return MissedDecisionOutcome(found=[], avvikelse_id=await self.report_avvikelse(request.avvikelse))

    async def report_avvikelse(self, spec: AvvikelseSpec) -> UUID:
        outcome = await record(
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
