"""The follow-up's step of the plan, its input, result and the input of its request activity.

Fields are only ever added, with defaults (see workflows.models).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from lerum_flow.workflows.models import Model, Moment, Tally


class Reporter(Model):
    position: str
    reports_to: str


class ReportRequest(Model):
    """One report asked of one position: an uppdrag from the receiver of the report."""

    giver: str
    recipient: str
    area: str
    title: str
    key: str


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
    def key(self) -> str:
        """The step's key in the budget year's plan: one month's edge, named by its leading kind."""
        return f"uppfoljning:{self.period}:{self.led}"

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


class UppfoljningInput(Model):
    kommunkod: str
    budget_year: int
    step: FollowUpStep
    origin_beslut_id: UUID
    avvikelse_severity: str
    avvikelse_category: str
    activity_timeout_seconds: int = 60
    # Whether the follow-up makes the month's report to KS (its reporters report to KS) and records
    # the draft; set only by a cycle that makes drafts (see Arshjul.DRAFTS_PATCH), so a follow-up
    # recorded before there were drafts replays with False and runs no draft activity.
    draft_month: bool = False


class UppfoljningResult(Model):
    workflow_id: str
    requested: int
    tally: Tally


class RequestReportsInput(Model):
    workflow_id: str
    requests: list[ReportRequest]
    origin_beslut_id: UUID
    issued_on: date
    due: date
