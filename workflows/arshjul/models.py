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


class DatedStep(Model):
    """One dated step of a budget year as a person reads it: who owes what to whom, from when, by when."""

    kind: str
    # Stable within the plan (a decision's or report's own key), so a client can follow one step.
    key: str = ""
    what: str
    owed_by: str
    owed_to: str
    opens: date
    by: date

    def is_passed(self, on: date) -> bool:
        """Its last day is behind `on` (what `arshjul plan` calls passerat)."""
        return self.by < on

    def is_open(self, on: date) -> bool:
        """It may be done on `on` and its last day has not passed."""
        return self.opens <= on <= self.by


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

    def dated_steps(self) -> list[DatedStep]:
        """Every step the cycle waits for, by its last day: what `lerum-flow arshjul plan` lists."""
        kf = self.budget_uppdrag.giver
        steps = [
            DatedStep(
                kind="beslut",
                key=decision.key,
                what=decision.name,
                owed_by=decision.organ,
                # An organ under KF answers to it, unless the step names another (a nämnd's
                # report goes to KS); KF's own decisions answer to no organ.
                owed_to=decision.owed_to or (kf if decision.organ != kf else ""),
                opens=decision.not_before,
                by=decision.deadline.on,
            )
            for decision in self.decisions
        ]
        steps.append(
            DatedStep(
                kind="uppdrag",
                key="budgetuppdrag",
                what=f"Uppdrag: {self.budget_uppdrag.title}",
                owed_by=kf,
                owed_to=self.budget_uppdrag.recipient,
                opens=min(d.not_before for d in self.decisions),
                by=self.budget_give_up.on,
            )
        )
        steps += [
            DatedStep(
                kind="uppfoljning",
                key=follow_up.key,
                what=f"Månadsrapport {follow_up.period}: {', '.join(follow_up.areas)}",
                # The kind of position that reports (often several), to the positions above them.
                owed_by=follow_up.led,
                owed_to=", ".join(sorted({reporter.reports_to for reporter in follow_up.reporters})),
                opens=follow_up.request.on,
                by=follow_up.deadline.on,
            )
            for follow_up in self.follow_ups
        ]
        steps += [
            DatedStep(
                kind="rapport",
                key=report.key,
                what=report.name,
                owed_by=self.budget_uppdrag.recipient,
                owed_to=kf,
                opens=report.not_before,
                by=report.deadline.on,
            )
            for report in self.reports
        ]
        # Stable: steps due the same day keep the plan's order.
        return sorted(steps, key=lambda step: step.by)


class DraftInput(Model):
    """Make report `report` ("manad", "delar" or "arsredovisning"; `number` the month or the interim
    period) of `year` from the log up to `upto`, as of `as_of` (None: the period's last day), and
    record that the draft was made, on `made_on`, in `actor`'s name."""

    command_key: str
    person: str
    actor: str
    report: str
    year: int
    number: int = 1
    upto: int
    made_on: date
    as_of: date | None = None


class DraftMade(Model):
    """The draft recorded (or already recorded by an earlier attempt): its record and its sha256."""

    key: str
    rapportutkast_id: UUID
    title: str
    digest: str
    position: int
    recorded: bool


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
    drafts: list[DraftMade] = Field(default_factory=list)


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
