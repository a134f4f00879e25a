"""Models every process shares: plan steps, activity inputs and results, and what a workflow reports.

Running workflows hold these, and each process's own models, in their
histories, so fields are only ever added (with defaults), never renamed or
removed. The pydantic data converter stores no class names, only fields: a
model may move between modules freely.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from lerum_flow.relay_contract import BeslutTaget, RapportInkommen

# The query every workflow answers with its WorkflowStatus.
QUERY_STATUS = "status"


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Moment(Model):
    """A business date and the instant (UTC) at which the workflow acts on it."""

    on: date
    at: datetime


# --- steps of a plan ----------------------------------------------------------------


class DecisionStep(Model):
    """A decision an organ must take by a date, e.g. KF's budget by 30 June."""

    key: str
    name: str
    kind: str
    organ: str
    organ_name: str
    not_before: date
    deadline: Moment
    # Who records the avvikelse when the deadline passes without a decision:
    # the organ that owed it, so that it lands with the level above.
    responsible: str
    phase: str
    # A budget step asks for that year's annual budget (domain.plan_steps); plans
    # recorded before steps said so have None and take any budget in the window.
    budget_year: int | None = None
    # A nämnd's verksamhetsplan is adopted after KF's budget: only a decision taken
    # on or after the budget's day answers the step (`arshjul.cycle.owed`).
    after_budget: bool = False
    # The organ the decision is owed to when it is not KF (a nämnd's or a bolag's report
    # goes to KS); empty: KF, or no one for KF's own decisions.
    owed_to: str = ""
    # The last day a decision answers the step (a nämnd's delårsrapport for one period);
    # None: any decision from `not_before` on, as every step planned before this.
    not_after: date | None = None


class UppdragSpec(Model):
    """An uppdrag a workflow issues in an organ's name, by the adopted plan."""

    kind: str = "uppdrag"
    giver: str
    recipient: str
    title: str
    description: str = ""
    due: date
    key: str


# --- what a workflow observed and waits for --------------------------------------------


class Tally(Model):
    """What a workflow observed about time: deadlines met and missed, reports, reminders."""

    deadlines_met: int = 0
    deadlines_missed: int = 0
    reports_on_time: int = 0
    reports_missing: int = 0
    reminders: int = 0
    avvikelser: int = 0

    def plus(self, other: Tally) -> Tally:
        return Tally(
            deadlines_met=self.deadlines_met + other.deadlines_met,
            deadlines_missed=self.deadlines_missed + other.deadlines_missed,
            reports_on_time=self.reports_on_time + other.reports_on_time,
            reports_missing=self.reports_missing + other.reports_missing,
            reminders=self.reminders + other.reminders,
            avvikelser=self.avvikelser + other.avvikelser,
        )


class Waiting(Model):
    """One thing a workflow waits for: what, from whom, by when."""

    what: str
    from_whom: str
    by: date


class WorkflowStatus(Model):
    workflow_id: str
    title: str
    phase: str
    waiting: list[Waiting]
    tally: Tally
    problems: list[str]
    # Distinct events the workflow has taken in (a repeat delivery is not counted).
    received_events: int = 0


# --- activity inputs and results ------------------------------------------------------


class FindBeslutInput(Model):
    kinds: list[str]
    decided_by: list[str]
    not_before: date


class IssueUppdragInput(Model):
    command_key: str
    person: str
    spec: UppdragSpec
    origin_beslut_id: UUID
    issued_on: date


class IssuedUppdrag(Model):
    key: str
    uppdrag_id: UUID
    recorded: bool


class Reminder(Model):
    recipient: str
    title: str
    uppdrag_id: UUID
    due: date


class RemindInput(Model):
    workflow_id: str
    reminders: list[Reminder]
    since: date


class AvvikelseSpec(Model):
    """A deviation a workflow records when a deadline passes: who owed what."""

    command_key: str
    person: str
    actor: str
    subject_kind: str
    subject_ref: str
    severity: str
    category: str
    description: str
    occurred_on: date
    key: str


class MissingReportsInput(Model):
    """Deviations for reports still missing; each is checked against the store first."""

    uppdrag_ids: list[UUID]
    since: date
    avvikelser: list[AvvikelseSpec]


class MissingReportsOutcome(Model):
    reported_after_all: list[RapportInkommen]
    avvikelser: list[UUID]


class MissedDecisionInput(Model):
    find: FindBeslutInput
    avvikelse: AvvikelseSpec
    # The step itself, so that only a decision that answers it (domain.plan_steps) stops the
    # avvikelse; inputs recorded before it was sent have None and take any decision found.
    step: DecisionStep | None = None


class MissedDecisionOutcome(Model):
    found: list[BeslutTaget]
    avvikelse_id: UUID | None
