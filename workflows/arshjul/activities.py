"""The årshjul's activities, each registered as `arshjul.<verb>`.

The plan is computed in an activity, so it is part of the history: a later
edit of the styrmodell never changes what a running cycle replays. The steps
the årshjul shares with the mandate period and the follow-ups are done by
`GovernanceSteps`.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity

from lerum_flow import commands as c
from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.workflows.arshjul.models import (
    CyclePlan,
    DraftInput,
    DraftMade,
    PlanCycleInput,
    ReviseUppdragInput,
)
from lerum_flow.workflows.governance_steps import GovernanceSteps, command_id, record
from lerum_flow.workflows.models import (
    FindBeslutInput,
    IssuedUppdrag,
    IssueUppdragInput,
    MissedDecisionInput,
    MissedDecisionOutcome,
    MissingReportsInput,
    MissingReportsOutcome,
    RemindInput,
)
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.report_drafts import DraftMaker, ReportDraftSteps


class ArshjulActivities:
    def __init__(self, steps: GovernanceSteps, drafts: DraftMaker | None = None) -> None:
        self.steps = steps
        self.drafts = ReportDraftSteps(steps.governance, drafts)

    @activity.defn(name="arshjul.plan")
    async def plan(self, request: PlanCycleInput) -> CyclePlan:
        self.steps.check_kommun(request.kommunkod)
        return plan_cycle(self.steps.styrmodell, request.budget_year)

    @activity.defn(name="arshjul.find_beslut")
    async def find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        return await self.steps.find_beslut(request)

    @activity.defn(name="arshjul.record_missed_decision")
    async def record_missed_decision(self, request: MissedDecisionInput) -> MissedDecisionOutcome:
        return await self.steps.record_missed_decision(request)

    @activity.defn(name="arshjul.issue_uppdrag")
    async def issue_uppdrag(self, request: IssueUppdragInput) -> IssuedUppdrag:
        return await self.steps.issue_uppdrag(request)

    @activity.defn(name="arshjul.revise_uppdrag")
    async def revise_uppdrag(self, request: ReviseUppdragInput) -> IssuedUppdrag:
        """The budget uppdrag once more, when the newly elected KF adopts the budget again."""
        outcome = await record(
            self.steps.governance.revise_uppdrag,
            c.ReviseUppdrag,
            actor=request.giver,
            person=request.person,
            command_id=command_id(request.command_key),
            uppdrag_id=request.uppdrag_id,
            on=request.on,
            description=request.description,
            reason=request.reason,
        )
        return IssuedUppdrag(key=request.command_key, uppdrag_id=outcome.id, recorded=outcome.recorded)

    @activity.defn(name="arshjul.remind")
    async def remind(self, request: RemindInput) -> int:
        return await self.steps.remind(request)

    @activity.defn(name="arshjul.record_missing_reports")
    async def record_missing_reports(self, request: MissingReportsInput) -> MissingReportsOutcome:
        return await self.steps.record_missing_reports(request)

    @activity.defn(name="arshjul.draft_position")
    async def draft_position(self, kommunkod: str) -> int | None:
        """The log position a report step's draft is made up to (None: this worker makes none)."""
        self.steps.check_kommun(kommunkod)
        return await self.drafts.position()

    @activity.defn(name="arshjul.make_draft")
    async def make_draft(self, request: DraftInput) -> DraftMade | None:
        return await self.drafts.make(request)

    def all(self) -> list[Callable[..., object]]:
        return [
            self.plan,
            self.find_beslut,
            self.record_missed_decision,
            self.issue_uppdrag,
            self.revise_uppdrag,
            self.remind,
            self.record_missing_reports,
            self.draft_position,
            self.make_draft,
        ]
