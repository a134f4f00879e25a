"""The follow-up's activities, each registered as `uppfoljning.<verb>`.

Asking for the reports is its own; reminding and recording what is missing
it shares with the årshjul, done by `GovernanceSteps`.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity

from lerum_flow import commands as c
from lerum_flow.relay_contract import system_person
from lerum_flow.workflows.arshjul.models import DraftInput, DraftMade
from lerum_flow.workflows.governance_steps import GovernanceSteps, command_id, record
from lerum_flow.workflows.models import IssuedUppdrag, MissingReportsInput, MissingReportsOutcome, RemindInput
from lerum_flow.workflows.report_drafts import DraftMaker, ReportDraftSteps
from lerum_flow.workflows.uppfoljning.models import RequestReportsInput


class UppfoljningActivities:
    def __init__(self, steps: GovernanceSteps, drafts: DraftMaker | None = None) -> None:
        self.steps = steps
        self.drafts = ReportDraftSteps(steps.governance, drafts)

    @activity.defn(name="uppfoljning.request_reports")
    async def request_reports(self, request: RequestReportsInput) -> list[IssuedUppdrag]:
        """Ask each position for its report: one uppdrag per report, from the receiver of it."""
        issued = []
        for item in request.requests:
            outcome = await record(
                self.steps.governance.issue_uppdrag,
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
        return issued

    @activity.defn(name="uppfoljning.remind")
    async def remind(self, request: RemindInput) -> int:
        return await self.steps.remind(request)

    @activity.defn(name="uppfoljning.record_missing_reports")
    async def record_missing_reports(self, request: MissingReportsInput) -> MissingReportsOutcome:
        return await self.steps.record_missing_reports(request)

    @activity.defn(name="uppfoljning.draft_position")
    async def draft_position(self, workflow_id: str) -> int | None:
        """The log position the month's report to KS is made up to (None: this worker makes none)."""
        return await self.drafts.position()

    @activity.defn(name="uppfoljning.make_draft")
    async def make_draft(self, request: DraftInput) -> DraftMade | None:
        return await self.drafts.make(request)

    def all(self) -> list[Callable[..., object]]:
        return [
            self.request_reports,
            self.remind,
            self.record_missing_reports,
            self.draft_position,
            self.make_draft,
        ]
