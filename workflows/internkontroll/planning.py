"""The plan of an internkontroll year: the styrmodell's deadlines as instants to wait for.

A pure function, run inside an activity: the plan is then part of the
workflow's history, so a later edit of the styrmodell file never changes what
a running year replays. The dates are the styrmodell's
(`styrmodell.internkontroll`); reminders come two weeks ahead, as for the
delårsrapport and the årsredovisning (`styrmodell.report_policy`), and so do the
monthly rounds that remind the owners of controls still owed a result
(`domain.kontrollperioder`).
"""

from __future__ import annotations

import calendar
from datetime import date

from lerum_flow.domain.styrkedja import Position
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.internkontroll import internkontroll_year, plan_organs, styrelse
from lerum_flow.styrmodell.report_policy import avvikelse_category, report_reminder
from lerum_flow.workflows.clock import end_of, start_of
from lerum_flow.workflows.internkontroll.models import (
    ControlRound,
    InternkontrollPlan,
    InternkontrollStep,
    StepKind,
)
from lerum_flow.workflows.models import Moment

# What each step is called, and the phase of the year it belongs to.
STEP_NAMES = {
    StepKind.PLAN: ("Internkontrollplan {year}", "plan"),
    StepKind.DELAR: ("Internkontrollens resultat till delåret {year}", "delår"),
    StepKind.HELAR: ("Internkontrollens resultat för {year}", "helår"),
    StepKind.BEDOMNING: ("Bedömning av den interna kontrollen {year}", "bedömning"),
}


def plan_internkontroll(
    styrmodell: Styrmodell, year: int, *, activity_timeout_seconds: int = 60
) -> InternkontrollPlan:
    """Each organ's plan, its two reports, and KS's assessment of the year, in the order they fall due."""
    deadlines = internkontroll_year(styrmodell, year)
    organs = plan_organs(styrmodell)
    steps = [
        _step(kind, organ, year, by)
        for kind, by in (
            (StepKind.PLAN, deadlines.plan_by),
            (StepKind.DELAR, deadlines.delar_by),
            (StepKind.HELAR, deadlines.helar_by),
        )
        for organ in organs
    ]
    steps.append(_step(StepKind.BEDOMNING, styrelse(styrmodell), year, deadlines.assessment_by))
    return InternkontrollPlan(
        kommunkod=styrmodell.kommun.kod,
        kommun=styrmodell.kommun.namn,
        year=year,
        steps=steps,
        control_rounds=_control_rounds(year, steps),
        avvikelse_severity=styrmodell.severity_codes()[0],
        avvikelse_category=avvikelse_category(styrmodell),
        activity_timeout_seconds=activity_timeout_seconds,
    )


def _step(kind: StepKind, organ: Position, year: int, by: date) -> InternkontrollStep:
    name, phase = STEP_NAMES[kind]
    remind = report_reminder(by)
    return InternkontrollStep(
        key=f"{kind}:{organ.id}",
        kind=kind,
        organ=organ.id,
        organ_name=organ.name,
        name=f"{name.format(year=year)} ({organ.name})",
        remind=Moment(on=remind, at=start_of(remind)),
        deadline=Moment(on=by, at=end_of(by)),
        phase=phase,
    )


def _control_rounds(year: int, steps: list[InternkontrollStep]) -> list[ControlRound]:
    """A round at the end of every month, reminding as ahead as a report's reminder; each in the phase
    of the first step still due then (so the rounds do not split the year's runs further)."""
    rounds = []
    for month in range(1, 13):
        last = date(year, month, calendar.monthrange(year, month)[1])
        remind = report_reminder(last)
        later = [s for s in steps if s.deadline.on >= remind]
        phase = min(later, key=lambda s: s.deadline.on).phase if later else steps[-1].phase
        rounds.append(
            ControlRound(
                month=month,
                remind=Moment(on=remind, at=start_of(remind)),
                month_end=Moment(on=last, at=end_of(last)),
                phase=phase,
            )
        )
    return rounds
