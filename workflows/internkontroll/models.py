"""Inputs, results and the plan of the internkontroll year: one pydantic model each.

Running workflows hold these in their histories, so fields are only ever
added (with defaults), never renamed or removed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from lerum_flow.workflows.models import Model, Moment, Tally

WORKFLOW_INTERNKONTROLL = "Internkontroll"


def internkontroll_workflow_id(kommunkod: str, year: int) -> str:
    return f"internkontroll-{kommunkod}-{year}"


class StepKind(StrEnum):
    """What a step waits for: an organ's plan, its reports (delår, helår), KS's assessment of the year."""

    PLAN = "plan"
    DELAR = "delar"
    HELAR = "helar"
    BEDOMNING = "bedomning"


class InternkontrollStep(Model):
    """One thing an organ owes by a date, e.g. KS's plan by 31 January; reminded two weeks ahead."""

    key: str
    kind: StepKind
    organ: str
    organ_name: str
    name: str
    remind: Moment
    deadline: Moment
    phase: str


class ControlRound(Model):
    """Shortly before `month` ends: the owners of controls whose period ends with it, and who have
    recorded no result in it, are reminded."""

    month: int
    remind: Moment
    month_end: Moment
    phase: str


class InternkontrollPlan(Model):
    """Everything one internkontroll year waits for and when, computed once from the styrmodell."""

    kommunkod: str
    kommun: str
    year: int
    steps: list[InternkontrollStep]
    # A plan recorded before control reminders has none: its run replays as it was.
    control_rounds: list[ControlRound] = Field(default_factory=list)
    avvikelse_severity: str
    avvikelse_category: str
    activity_timeout_seconds: int = 60


class InternkontrollInput(Model):
    """Start with `kommunkod` and `year`; the rest is carried across continue-as-new."""

    kommunkod: str
    year: int
    plan: InternkontrollPlan | None = None
    done: list[str] = Field(default_factory=list)
    tally: Tally = Tally()
    problems: list[str] = Field(default_factory=list)
    runs: int = 1


class InternkontrollResult(Model):
    kommunkod: str
    year: int
    tally: Tally
    problems: list[str]
    runs: int


class PlanInternkontrollInput(Model):
    kommunkod: str
    year: int


class StandingInput(Model):
    year: int
    step: InternkontrollStep


class Standing(Model):
    """Where a step stands in the store: the day it was done (None: not done), whether it is owed at
    all (a report on a plan never adopted is not: the missing plan is the deviation), and the record."""

    done_on: date | None
    owed: bool
    record_id: UUID


class RemindStepInput(Model):
    workflow_id: str
    year: int
    step: InternkontrollStep


class RemindControlsInput(Model):
    workflow_id: str
    year: int
    month: int
    organs: list[str]
