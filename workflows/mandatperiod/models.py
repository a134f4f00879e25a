"""The mandate period's plan, input, result, and its plan activity's input (fields: see workflows.models)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.workflows.models import DecisionStep, Model, Moment, Tally, UppdragSpec


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


class PlanMandatperiodInput(Model):
    kommunkod: str
    election_year: int
