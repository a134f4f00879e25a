"""The mandate period's activities, each registered as `mandatperiod.<verb>`.

Its plan is computed in an activity, as the årshjul's is; the steps it shares
with the årshjul are done by `GovernanceSteps`.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError

from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.workflows.governance_steps import GovernanceSteps
from lerum_flow.workflows.mandatperiod.models import MandatPlan, PlanMandatperiodInput
from lerum_flow.workflows.models import (
    FindBeslutInput,
    IssuedUppdrag,
    IssueUppdragInput,
    MissedDecisionInput,
    MissedDecisionOutcome,
)
from lerum_flow.workflows.planning import plan_mandatperiod


class MandatperiodActivities:
    def __init__(self, steps: GovernanceSteps) -> None:
        self.steps = steps

    @activity.defn(name="mandatperiod.plan")
    async def plan(self, request: PlanMandatperiodInput) -> MandatPlan:
        self.steps.check_kommun(request.kommunkod)
        if not self.steps.styrmodell.is_election_year(request.election_year):
            raise ApplicationError(
                f"{request.election_year} är inget valår enligt styrmodellen.",
                type="ogiltig_indata",
                non_retryable=True,
            )
        return plan_mandatperiod(self.steps.styrmodell, request.election_year)

    @activity.defn(name="mandatperiod.find_beslut")
    async def find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        return await self.steps.find_beslut(request)

    @activity.defn(name="mandatperiod.record_missed_decision")
    async def record_missed_decision(self, request: MissedDecisionInput) -> MissedDecisionOutcome:
        return await self.steps.record_missed_decision(request)

    @activity.defn(name="mandatperiod.issue_uppdrag")
    async def issue_uppdrag(self, request: IssueUppdragInput) -> IssuedUppdrag:
        return await self.steps.issue_uppdrag(request)

    def all(self) -> list[Callable[..., object]]:
        return [self.plan, self.find_beslut, self.record_missed_decision, self.issue_uppdrag]
