"""The internkontroll year's activities, each registered as `internkontroll.<verb>`: its plan, where a
step stands in the store, a reminder, the reminders of controls still owed a result, the deviation
for a step missed.

The workflow knows only what it waits for and until when (docs/arkitektur.md,
rule 1): each step is read afresh from the store, where the plans, their
reports and KS's assessment are recorded. A missed step becomes a deviation
through the step the processes share for it (`GovernanceSteps.report_avvikelse`),
with a command id from the workflow id and the step; reminders go out at least once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from temporalio import activity

from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.domain.errors import NotFound
from lerum_flow.domain.internkontroll import Internkontrollplan, internkontrollplan_id
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning, internkontrollbedomning_id
from lerum_flow.domain.kontrollperioder import OwedControl, controls_owed
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.workflows.clock import end_of
from lerum_flow.workflows.governance_steps import GovernanceSteps
from lerum_flow.workflows.internkontroll.models import (
    InternkontrollPlan,
    PlanInternkontrollInput,
    RemindControlsInput,
    RemindStepInput,
    Standing,
    StandingInput,
    StepKind,
)
from lerum_flow.workflows.internkontroll.planning import plan_internkontroll
from lerum_flow.workflows.models import AvvikelseSpec

TRecord = TypeVar("TRecord", bound=GovernanceAggregate)


class InternkontrollActivities:
    """Activities on the steps the processes share (and their store) and one notifier."""

    def __init__(self, steps: GovernanceSteps, *, notifier: Notifier | None = None) -> None:
        self.steps = steps
        self.governance = steps.governance
        self.notifier: Notifier = notifier or LoggingNotifier()

    @activity.defn(name="internkontroll.plan")
    async def plan(self, request: PlanInternkontrollInput) -> InternkontrollPlan:
        self.steps.check_kommun(request.kommunkod)
        return plan_internkontroll(self.steps.styrmodell, request.year)

    @activity.defn(name="internkontroll.read")
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

    @activity.defn(name="internkontroll.remind")
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
        return 1

    @activity.defn(name="internkontroll.remind_controls")
    async def remind_controls(self, request: RemindControlsInput) -> int:
        """Remind each owner of a control still owed a result in the period ending this month; how many."""
        owed = await asyncio.to_thread(self._controls_owed, request)
        for control in owed:
            period = f"{control.period.start.isoformat()}–{control.period.end.isoformat()}"
            self.notifier.notify(
                Notice(
                    kind=NoticeKind.PAMINNELSE,
                    recipient=control.owner,
                    subject=f"Påminnelse: kontroll {control.number} i internkontrollplanen ({control.organ})",
                    text=(
                        f"Kontrollen '{control.title}' ska utföras och dess resultat registreras för "
                        f"perioden {period}, senast {control.period.end.isoformat()}."
                    ),
                    ref=str(internkontrollplan_id(control.organ, request.year)),
                    workflow_id=request.workflow_id,
                    due=end_of(control.period.end),
                    key=(
                        f"{request.workflow_id}/kontroll/{control.organ}/{control.number}/"
                        f"{control.period.end.isoformat()}"
                    ),
                )
            )
        return len(owed)

    def _controls_owed(self, request: RemindControlsInput) -> list[OwedControl]:
        owed: list[OwedControl] = []
        for organ in request.organs:
            plan = self._read(Internkontrollplan, internkontrollplan_id(organ, request.year))
            if plan is not None:
                owed += controls_owed(plan, request.month)
        return owed

    @activity.defn(name="internkontroll.report_missing")
    async def report_missing(self, spec: AvvikelseSpec) -> UUID:
        """The deviation for a step still missing at its deadline, in the name of the organ that owed it."""
        return await self.steps.report_avvikelse(spec)

    def all(self) -> list[Callable[..., object]]:
        """Every activity, for the worker."""
        return [self.plan, self.standing, self.remind, self.remind_controls, self.report_missing]
