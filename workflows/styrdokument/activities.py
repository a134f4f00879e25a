"""The review timer's activities, each registered as `styrdokument.<verb>`: read where a document
stands, remind its owner, report a missed review, flag the documents derived from one that changed.

The workflow knows only what it waits for and until when (docs/arkitektur.md,
rule 1): each activity reads the document afresh and computes the instants
here, outside the sandbox. Every write carries a command id derived from the
workflow id and the step, so a retried activity records nothing twice;
notices go out at least once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from lerum_flow import commands as c
from lerum_flow import styrdokument_commands as sc
from lerum_flow.application import Governance
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.styrdokument_rules import reminder_day
from lerum_flow.logs import get_logger
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.reading import Children
from lerum_flow.relay_contract import system_person
from lerum_flow.styrdokument_contract import ERSATT, UPPHAVT
from lerum_flow.workflows.clock import end_of, start_of
from lerum_flow.workflows.governance_steps import (
    command_id,
    record,
    refusal_rule,
    unless_overtaken,
)
from lerum_flow.workflows.styrdokument.models import (
    FlagChildrenInput,
    FlaggedChildren,
    NotFlagged,
    Provningslage,
    ReviewStepInput,
)

# The domain's answers when there is nothing to record any more: the document
# was reviewed, revised or repealed while the step was on its way.
NOTHING_DUE = frozenset({"provat_sedan", "upphort"})
TCommand = TypeVar("TCommand", bound=sc.StyrdokumentCommand)
T = TypeVar("T")
P = ParamSpec("P")
CAUSE_WORDS = {UPPHAVT: "upphävts", ERSATT: "ersatts"}


def read_provningslage(governance: Governance, styrdokument_id: UUID) -> Provningslage:
    """Where the document stands for its review: one read of its events."""
    doc, _ = governance.read_with_events(Styrdokument, styrdokument_id)
    kind = governance.styrmodell.dokumenttyp(doc.document_type)
    due = doc.review_by
    # A type the styrmodell no longer has: the owner hears of the review on the day it is due.
    remind_on = reminder_day(due, kind.paminnelse_dagar if kind else 0) if due else None
    # The review is due of whoever owns it on the day it is due (also the one the deviation goes to):
    # a hand-over decided for a later day, and a retitle, have not happened yet.
    owner, title = (doc.owner_on(due), doc.title_on(due)) if due else (doc.owner, doc.title)
    return Provningslage(
        styrdokument_id=styrdokument_id,
        version=doc.version,
        in_force=doc.in_force,
        title=title,
        owner=owner,
        review_by=due,
        remind_at=start_of(remind_on) if remind_on else None,
        overdue_at=end_of(due) if due else None,
    )


class StyrdokumentActivities:
    """Activities on one Governance and one notifier."""

    def __init__(
        self, governance: Governance, *, notifier: Notifier | None = None, derived: Children | None = None
    ) -> None:
        self.governance = governance
        self.notifier: Notifier = notifier or LoggingNotifier()
        # Finds the documents adopted under one (the view's index); None: read every adoption.
        self.derived = derived

    @activity.defn(name="styrdokument.read")
    async def read(self, styrdokument_id: UUID) -> Provningslage:
        # No such document is a refusal, which ends the activity for good (`worker.RefusalsEndActivities`).
        return await asyncio.to_thread(read_provningslage, self.governance, styrdokument_id)

    @activity.defn(name="styrdokument.remind")
    async def remind(self, request: ReviewStepInput) -> bool:
        """Remind the owner, unless the review was made (or the document repealed) meanwhile."""
        lage = await self.read(request.styrdokument_id)
        if not lage.in_force or lage.review_by != request.review_by:
            return False
        # In a thread: a channel such as e-mail waits on its server, the worker's loop must not.
        await asyncio.to_thread(
            self.notifier.notify,
            Notice(
                kind=NoticeKind.PAMINNELSE,
                recipient=lage.owner,
                subject=f"Aktualitetspröva senast {request.review_by.isoformat()}: {lage.title}",
                text=f"'{lage.title}' ska aktualitetsprövas senast {request.review_by.isoformat()}: "
                "revideras, beslutas gälla oförändrat eller upphävas av det organ som antog det.",
                ref=str(request.styrdokument_id),
                workflow_id=request.workflow_id,
                due=end_of(request.review_by),
                key=f"{request.workflow_id}/paminnelse/{request.review_by.isoformat()}",
            ),
        )
        return True

    @activity.defn(name="styrdokument.report_overdue")
    async def report_overdue(self, request: ReviewStepInput) -> UUID | None:
        """A deviation at the owner's level for the missed review; None if it was made meanwhile."""
        outcome = await record(
            unless_overtaken(self.governance.report_overdue_review, NOTHING_DUE, _document),
            sc.ReportOverdueReview,
            actor=c.PROCESS_ACTOR,
            person=system_person(request.workflow_id),
            command_id=command_id(f"{request.workflow_id}/forsenad/{request.review_by.isoformat()}"),
            styrdokument_id=request.styrdokument_id,
            review_by=request.review_by,
        )
        return outcome.id if outcome.version else None

    @activity.defn(name="styrdokument.flag_children")
    async def flag_children(self, request: FlagChildrenInput) -> FlaggedChildren:
        """Flag each document derived from the one that changed, and tell its owner.

        A document refused for good is reported and logged, and the others are flagged all the same: a
        retry would be refused the same way and leave them unflagged for ever. A conflict or a store
        that does not answer ends the step, to be retried; the command ids keep what was flagged once.
        """
        parent, _ = await asyncio.to_thread(self.governance.read_with_events, Styrdokument, request.parent_id)
        # Every title and owner as they stand the day the parent changed: a retitle or hand-over
        # decided for a later day has not happened yet.
        parent_title = parent.title_on(request.on)
        children = await asyncio.to_thread(
            partial(self.governance.styrdokument_under, children=self.derived), request.parent_id, request.on
        )
        flagged: list[UUID] = []
        not_flagged: list[NotFlagged] = []
        for child in children:
            owner, title = child.owner_on(request.on), child.title_on(request.on)
            try:
                outcome = await record(
                    unless_overtaken(self.governance.flag_styrdokument_for_review, NOTHING_DUE, _document),
                    sc.FlagStyrdokumentForReview,
                    actor=c.PROCESS_ACTOR,
                    person=system_person(request.workflow_id),
                    command_id=command_id(f"{request.workflow_id}/flagga/{request.event_id}/{child.id}"),
                    styrdokument_id=child.id,
                    parent_styrdokument_id=request.parent_id,
                    cause=request.cause,
                    on=request.on,
                )
            except ApplicationError as error:
                if not error.non_retryable:
                    raise
                refused = NotFlagged(
                    styrdokument_id=child.id, title=title, rule=refusal_rule(error), message=error.message
                )
                not_flagged.append(refused)
                get_logger("lerum_flow.workflows").warning(
                    "underordnat_flaggades_inte",
                    styrdokument_id=str(child.id),
                    parent_id=str(request.parent_id),
                    rule=refused.rule,
                    message=refused.message,
                    workflow_id=request.workflow_id,
                )
                continue
            if not outcome.version:
                continue
            flagged.append(child.id)
            how = CAUSE_WORDS.get(request.cause, "reviderats")
            # In a thread: a channel such as e-mail waits on its server, the worker's loop must not.
            await asyncio.to_thread(
                self.notifier.notify,
                Notice(
                    kind=NoticeKind.PAMINNELSE,
                    recipient=owner,
                    subject=f"Se över: {title}",
                    text=f"'{parent_title}', som '{title}' härleds ur, har {how} från "
                    f"{request.on.isoformat()}. Se över '{title}' mot det.",
                    ref=str(child.id),
                    workflow_id=request.workflow_id,
                    key=f"{request.workflow_id}/flagga/{request.event_id}/{child.id}",
                ),
            )
            activity.heartbeat(len(flagged))
        return FlaggedChildren(flagged=flagged, not_flagged=not_flagged)

    def all(self) -> list[Callable[..., object]]:
        return [self.read, self.remind, self.report_overdue, self.flag_children]


def _document(command: sc.StyrdokumentCommand) -> UUID:
    return command.styrdokument_id
