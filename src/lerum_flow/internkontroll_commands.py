"""The commands of internal control (KL 6 kap. 6 §), validated at the edge like every other command.

A plan is opened for an organ and a year, gets its risks and controls, is
adopted by the organ's decision, collects the controls' results through the
year (a control may be handed over to another owner from a day, by a further
decision of the organ) and is reported to KS; KS assesses the whole year.
Field titles are the command line's option names, which the Swedish messages
name.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field

from lerum_flow.commands import Command
from lerum_flow.domain.internkontroll import internkontrollplan_id
from lerum_flow.domain.internkontroll_bedomning import internkontrollbedomning_id
from lerum_flow.domain.values import Frekvens, Rapportperiod, Utfall
from lerum_flow.field_types import Code, Day, Line, OptionalText, ShortLine, Text
from lerum_flow.input_dates import EARLIEST, LATEST

Year = Annotated[int, Field(ge=EARLIEST.year, le=LATEST.year)]
Step = Annotated[int, Field(ge=1)]


class OpenInternkontrollplan(Command):
    organ: Code = Field(title="organ")
    year: Year = Field(title="year")
    opened_on: Day = Field(title="date")

    def plan_id(self) -> UUID:
        return internkontrollplan_id(self.organ, self.year)


class PlanCommand(Command):
    plan_id: UUID = Field(title="internkontrollplan")


class IdentifyRisk(PlanCommand):
    title: Line = Field(title="title")
    probability: int = Field(title="probability")
    consequence: int = Field(title="consequence")
    chosen: bool = Field(default=True, title="choose")
    on: Day = Field(title="date")


class PlanControl(PlanCommand):
    risk: Step = Field(title="risk")
    title: Line = Field(title="title")
    owner: Code = Field(title="owner")
    method: Text = Field(title="method")
    frequency: Frekvens = Field(title="frequency")
    on: Day = Field(title="date")


class AdoptInternkontrollplan(PlanCommand):
    """Adopted on the day of the organ's decision, which is where the date comes from."""

    beslut_id: UUID = Field(title="beslut")


class HandOverControl(PlanCommand):
    """A control of an adopted plan handed over to another owner from a day, by the organ's decision
    (taken on or before that day)."""

    control: Step = Field(title="control")
    owner: Code = Field(title="owner")
    beslut_id: UUID = Field(title="beslut")
    handed_over_on: Day = Field(title="from")


class RecordKontrollresultat(PlanCommand):
    """A control performed; a brist opens a deviation, of the severity and category given or the
    styrmodell's first severity and the category its cycle files deviations under."""

    control: Step = Field(title="control")
    outcome: Utfall = Field(title="outcome")
    comment: OptionalText = Field(default="", title="comment")
    action: OptionalText = Field(default="", title="action")
    severity: ShortLine = Field(default="", title="severity")
    category: ShortLine = Field(default="", title="category")
    performed_on: Day = Field(title="date")


class ReportInternkontroll(PlanCommand):
    period: Rapportperiod = Field(title="period")
    summary: Text = Field(title="summary")
    reported_on: Day = Field(title="date")


class AssessInternkontroll(Command):
    year: Year = Field(title="year")
    assessment: Code = Field(title="assessment")
    text: Text = Field(title="text")
    beslut_id: UUID = Field(title="beslut")

    def bedomning_id(self) -> UUID:
        return internkontrollbedomning_id(self.year)
