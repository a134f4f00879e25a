"""Inputs, results and plans of the workflows and their activities: one pydantic model each.

Running workflows hold these in their histories, so fields are only ever
added (with defaults), never renamed or removed.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from lerum_flow.relay_contract import BeslutTaget, RapportInkommen


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Moment(Model):
    """A business date and the instant (UTC) at which the workflow acts on it."""

    on: date
    at: datetime


# --- the plan of one budget year ---------------------------------------------------


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


class ReportRequest(Model):
    """One report asked of one position: an uppdrag from the receiver of the report."""

    giver: str
    recipient: str
    area: str
    title: str
    key: str


class Reporter(Model):
    position: str
    reports_to: str


class FollowUpStep(Model):
    """One edge of the routine follow-up for one month, e.g. sektorschef → kommundirektör in March."""

    period: str
    led: str
    led_name: str
    request: Moment
    remind: Moment
    deadline: Moment
    reporters: list[Reporter]
    areas: list[str]

    @property
    def requests(self) -> list[ReportRequest]:
        """One report per reporter and area; derived, so that plans carried by every run stay small."""
        return [
            ReportRequest(
                giver=reporter.reports_to,
                recipient=reporter.position,
                area=area,
                title=f"Månadsrapport {area} {self.period}",
                key=f"manadsrapport:{self.period}:{area}",
            )
            for reporter in self.reporters
            for area in self.areas
        ]


class ReportStep(Model):
    """A report KS owes KF on its budget uppdrag: the delårsrapport or the årsredovisning."""

    key: str
    name: str
    period: str
    not_before: date
    request: Moment
    remind: Moment
    deadline: Moment
    phase: str


class UppdragSpec(Model):
    """An uppdrag a workflow issues in an organ's name, by the adopted plan."""

    kind: str = "uppdrag"
    giver: str
    recipient: str
    title: str
    description: str = ""
    due: date
    key: str


class CyclePlan(Model):
    """Everything one budget year waits for and when, computed once from the styrmodell."""

    kommunkod: str
    kommun: str
    budget_year: int
    election_year: bool
    decisions: list[DecisionStep]
    budget_uppdrag: UppdragSpec
    # Without a budget by this instant the cycle stops waiting for one.
    budget_give_up: Moment
    follow_ups: list[FollowUpStep]
    reports: list[ReportStep]
    avvikelse_severity: str
    avvikelse_category: str
    activity_timeout_seconds: int = 60


class MandatPlan(Model):
    """A mandate period: Vilja och mål by the new KF, then four years."""

    kommunkod: str
    kommun: str
    election_year: int
    period_start: Moment
    period_end: Moment
    vilja_och_mal: DecisionStep
    goal_uppdrag: UppdragSpec
    anniversaries: list[Moment]
    avvikelse_severity: str
    avvikelse_category: str
    activity_timeout_seconds: int = 60


# --- workflow inputs, state and results ---------------------------------------------


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


class ArshjulInput(Model):
    """Start with `kommunkod` and `budget_year`; the rest is carried across continue-as-new."""

    kommunkod: str
    budget_year: int
    plan: CyclePlan | None = None
    done: list[str] = Field(default_factory=list)
    beslut: list[BeslutTaget] = Field(default_factory=list)
    rapporter: list[RapportInkommen] = Field(default_factory=list)
    handled_event_ids: list[str] = Field(default_factory=list)
    budget_uppdrag_id: UUID | None = None
    budget_origin_id: UUID | None = None
    started_follow_ups: list[str] = Field(default_factory=list)
    finished_follow_ups: list[str] = Field(default_factory=list)
    tally: Tally = Tally()
    problems: list[str] = Field(default_factory=list)
    runs: int = 1


class ArshjulResult(Model):
    kommunkod: str
    budget_year: int
    election_year: bool
    tally: Tally
    follow_ups: int
    problems: list[str]
    runs: int


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


class UppfoljningInput(Model):
    kommunkod: str
    budget_year: int
    step: FollowUpStep
    origin_beslut_id: UUID
    avvikelse_severity: str
    avvikelse_category: str
    activity_timeout_seconds: int = 60


class UppfoljningResult(Model):
    workflow_id: str
    requested: int
    tally: Tally


class MandatperiodInput(Model):
    kommunkod: str
    election_year: int
    plan: MandatPlan | None = None
    beslut: list[BeslutTaget] = Field(default_factory=list)
    handled_event_ids: list[str] = Field(default_factory=list)
    done: list[str] = Field(default_factory=list)
    goal_uppdrag_id: UUID | None = None
    tally: Tally = Tally()
    problems: list[str] = Field(default_factory=list)
    runs: int = 1


class MandatperiodResult(Model):
    kommunkod: str
    election_year: int
    tally: Tally
    goal_uppdrag_id: UUID | None
    problems: list[str]
    runs: int


# --- activity inputs and results ------------------------------------------------------


class PlanCycleInput(Model):
    kommunkod: str
    budget_year: int


class PlanMandatperiodInput(Model):
    kommunkod: str
    election_year: int


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


class RequestReportsInput(Model):
    workflow_id: str
    requests: list[ReportRequest]
    origin_beslut_id: UUID
    issued_on: date
    due: date


class ReviseUppdragInput(Model):
    command_key: str
    person: str
    giver: str
    uppdrag_id: UUID
    description: str
    reason: str
    on: date


class ReportsOnInput(Model):
    uppdrag_ids: list[UUID]
    since: date


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


class MissedDecisionOutcome(Model):
    found: list[BeslutTaget]
    avvikelse_id: UUID | None
