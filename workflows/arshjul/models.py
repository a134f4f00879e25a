"""The årshjul's plan, input, result and the inputs of its own activities (fields: see workflows.models)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from lerum_flow.relay_contract import BeslutTaget, RapportInkommen
from lerum_flow.workflows.models import DecisionStep, Model, Moment, Tally, UppdragSpec
from lerum_flow.workflows.uppfoljning.models import FollowUpStep


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
    # The last day a report answers this step (a later one is the next period's);
    # plans recorded before there could be several interim periods have None.
    not_after: date | None = None


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


class PlanCycleInput(Model):
    kommunkod: str
    budget_year: int


class ReviseUppdragInput(Model):
    command_key: str
    person: str
    giver: str
    uppdrag_id: UUID
    description: str
    reason: str
    on: date
