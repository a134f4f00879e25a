"""The internkontroll year's activities: its plan, where a step stands in the store, reminders.

The workflow knows only what it waits for and until when (docs/arkitektur.md,
rule 1): each step is read afresh from the store, where the plans, their
reports and KS's assessment are recorded. A missed step becomes a deviation
through the cycle's own `report_avvikelse` activity, with a command id from
the workflow id and the step; reminders go out at least once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from lerum_flow.application import Governance
from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.domain.errors import NotFound
from lerum_flow.domain.internkontroll import Internkontrollplan, internkontrollplan_id
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning, internkontrollbedomning_id
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.workflows.clock import end_of
from lerum_flow.workflows.internkontroll.models import (
    InternkontrollPlan,
    PlanInternkontrollInput,
    RemindStepInput,
    Standing,
    StandingInput,
    StepKind,
)
from lerum_flow.workflows.internkontroll.planning import plan_internkontroll

TRecord = TypeVar("TRecord", bound=GovernanceAggregate)


class InternkontrollActivities:
    """Activities on one Governance and one notifier; `after_write` lets the relay see a reminder's effect."""

    def __init__(
        self,
        governance: Governance,
        *,
        notifier: Notifier | None = None,
        after_write: Callable[[], Awaitable[object]] | None = None,
        activity_timeout_seconds: int = 60,
    ) -> None:
        self.governance = governance
        self.notifier: Notifier = notifier or LoggingNotifier()
        self.after_write = after_write
        self.activity_timeout_seconds = activity_timeout_seconds

    @activity.defn(name="internkontroll_planera")
    async def plan(self, request: PlanInternkontrollInput) -> InternkontrollPlan:
        styrmodell = self.governance.styrmodell
        if request.kommunkod != styrmodell.kommun.kod:
            raise ApplicationError(
                f"Workern har styrmodellen för {styrmodell.kommun.namn}, inte för kommun "
                f"{request.kommunkod}.",
                type="fel_kommun",
                non_retryable=True,
            )
        return plan_internkontroll(
            styrmodell, request.year, activity_timeout_seconds=self.activity_timeout_seconds
        )

    @activity.defn(name="internkontroll_lage")
    async def standing(self, request: StandingInput) -> Standing:
        """Whether the step is done in the store, and on which day."""
        return await asyncio.to_thread(self._standing, request)

    def _standing(self, request: StandingInput) -> Standing:
        step = request.step
        if step.kind is StepKind.BEDOMNING:
            assessment_id = internkontrollbedomning_id(request.year)
            assessment = self._read(Internkontrollbedomning, assessment_id)
            done = assessment.assessed_on if assessment is not None else None
            return Standing(done_on=done, owed=True, record_id=assessment_id)
        plan_id = internkontrollplan_id(step.organ, request.year)
        plan = self._read(Internkontrollplan, plan_id)
        adopted = plan.adopted_on if plan is not None else None
        if step.kind is StepKind.PLAN:
            return Standing(done_on=adopted, owed=True, record_id=plan_id)
        reported = plan.reported.get(str(step.kind)) if plan is not None else None
        return Standing(done_on=reported, owed=adopted is not None, record_id=plan_id)

    def _read(self, cls: type[TRecord], record_id: UUID) -> TRecord | None:
        try:
            found = self.governance.get_record(record_id)
        except NotFound:
            return None
        return found if isinstance(found, cls) else None

    @activity.defn(name="internkontroll_paminn")
    async def remind(self, request: RemindStepInput) -> int:
        """Remind the organ of a step not yet done (a report only once its plan is adopted); 1 if reminded."""
        step = request.step
        standing = await self.standing(StandingInput(year=request.year, step=step))
        if standing.done_on is not None or not standing.owed:
            return 0
        self.notifier.notify(
            Notice(
                kind=NoticeKind.PAMINNELSE,
                recipient=step.organ,
                subject=f"Påminnelse: {step.name}",
                text=f"{step.name} ska vara klar senast {step.deadline.on.isoformat()}.",
                ref=str(standing.record_id),
                workflow_id=request.workflow_id,
                due=end_of(step.deadline.on),
                key=f"{request.workflow_id}/paminnelse/{step.key}",
            )
        )
        # A reminder may make someone act at once; let the relay see it.
        if self.after_write is not None:
            await self.after_write()
        return 1

    def all(self) -> list[Callable[..., object]]:
        """Every activity, for the worker."""
        return [self.plan, self.standing, self.remind]
