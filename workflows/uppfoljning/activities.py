"""The follow-up's activities, each registered as `uppfoljning.<verb>`.

Asking for the reports is its own; reminding and recording what is missing
it shares with the årshjul, done by `GovernanceSteps`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from uuid import UUID

from temporalio import activity

from lerum_flow import commands as c
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.plan_steps import budget_year_of, is_annual_budget
from lerum_flow.domain.values import BeslutKind
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
            origin = await asyncio.to_thread(
                self._origin_for, item.giver, request.origin_beslut_id, request.issued_on
            )
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
                origin_beslut_id=origin,
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

    def _origin_for(self, giver: str, origin_id: UUID, on: date) -> UUID:
        """The decision a request traces to: the follow-up's own (KS's uppföljningsplan) for those
        under its organ; for a nämnd under KF, which KS does not stand above, KF's annual budget
        for the year, which the nämnd's follow-up of its förvaltning answers to as well."""
        governance = self.steps.governance
        beslut = governance.get_record(origin_id)
        assert isinstance(beslut, Beslut)
        if beslut.decided_by == giver or governance.is_above(beslut.decided_by, giver):
            return origin_id
        root = governance.styrkedja.root().id
        budgets = [
            b
            for b in self.steps.decisions.taken([str(BeslutKind.BUDGET)], [root], date(on.year - 1, 1, 1))
            if is_annual_budget(b) and budget_year_of(b) == on.year
        ]
        first = min(budgets, key=lambda b: (b.decided_on, b.event_id), default=None)
        return first.beslut_id if first is not None else origin_id

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
