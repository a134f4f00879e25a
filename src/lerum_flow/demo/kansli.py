"""The kanslienhet's year in the simulation: it starts each årshjul and records the organs'
decisions on their meeting days, a little before each deadline of the styrmodell's årshjul,
so any municipality's model runs, its nämnder's and bolag's steps included.

A rehearsal (`ovning.Ovning`) moves one act past its deadline or marks one deviation that
nobody will acknowledge.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta

from lerum_flow.demo.models import Act
from lerum_flow.demo.organisation import Organisation
from lerum_flow.demo.ovning import Ovning
from lerum_flow.demo.people import OFFICE_HOURS
from lerum_flow.domain.values import BeslutKind
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.workflows.clock import start_of
from lerum_flow.workflows.models import DecisionStep
from lerum_flow.workflows.planning import plan_cycle

AVVIKELSER = (
    "Vattenläcka i köket; verksamheten flyttad två veckor.",
    "Vikariebrist under sportlovet.",
    "Budgetöverskridande på livsmedel.",
    "Driftstopp i verksamhetssystemet en dag.",
)
# What the rehearsal's deviation says, so that the people know to leave it lying.
UNACKNOWLEDGED = " (övning: ingen kvitterar)"
# How long before its deadline an organ takes a decision: KF's budget some weeks before (10 June
# in Lerum), the newly elected KF's some days before (20 November), the rest a few days before.
BUDGET_AHEAD = timedelta(days=20)
RENEWED_BUDGET_AHEAD = timedelta(days=10)
DISCHARGE_AHEAD = timedelta(days=18)
ORGAN_AHEAD = timedelta(days=3)
# A rehearsed late act comes this long after its deadline.
LATE_BY = timedelta(days=7)
KS_PLANS_BY = (11, 25)


def at(day: date) -> datetime:
    return start_of(day) + OFFICE_HOURS


def kanslienhetens_ar(
    styrmodell: Styrmodell,
    organisation: Organisation,
    year: int,
    *,
    first: bool,
    index: int,
    ovningar: Collection[Ovning] = frozenset(),
) -> list[Act]:
    """The kanslienhet's year for budget year N: start the cycle, record the organs' decisions."""
    kalender = styrmodell.kalender
    before = year - 1
    plan = plan_cycle(styrmodell, year)
    acts = [Act(at=at(date(before, 1, 10)), what="starta_arshjul", actor="kansli", year=year)]
    # The rehearsal's late nämnd: the first in the plan, late with its first delårsrapport of the period.
    late = next((s.organ for s in plan.decisions if s.key.endswith("/verksamhetsplan")), None)
    late_step = f"{late}/delarsrapport" if Ovning.SEN_NAMND in ovningar and index == 0 else None
    missed_budget = Ovning.KF_MISSAR_BUDGET in ovningar
    acts += [
        _decision(step, year, late=step.key in (late_step, "budget_nyvalt" if missed_budget else None))
        for step in plan.decisions
    ]
    if first:
        acts.append(
            Act(
                at=at(kalender.mandatperiod_borjar.in_year(before)),
                what="starta_mandatperiod",
                actor="kansli",
                year=before,
            )
        )
        acts.append(
            Act(
                at=at(date(before, 11, 10)),
                what="beslut",
                actor=organisation.kf,
                kind=BeslutKind.VILJA_OCH_MAL,
                title=f"Vilja och mål {before}–{before + kalender.val.intervall_ar}",
            )
        )
    unit = organisation.unit_list[(index * 37) % len(organisation.unit_list)]
    severity = styrmodell.severity_codes()[-1 if index == 1 else 0]
    acts.append(
        Act(
            at=at(date(year, 3 + index % 6, 14)),
            what="avvikelse",
            actor=unit,
            title=deviation_title(organisation, index, ovningar),
            severity=severity,
        )
    )
    return acts


def deviation_title(organisation: Organisation, index: int, ovningar: Collection[Ovning]) -> str:
    """The deviation a unit reports in the year of `index`; the first is left lying in the rehearsal."""
    unit = organisation.unit_list[(index * 37) % len(organisation.unit_list)]
    title = f"{unit}: {AVVIKELSER[index % len(AVVIKELSER)]}"
    return title + UNACKNOWLEDGED if Ovning.OKVITTERAD in ovningar and index == 0 else title


def unacknowledged(
    organisation: Organisation, years: Iterable[int], ovningar: Collection[Ovning]
) -> set[str]:
    """The deviations nobody acknowledges in the rehearsal."""
    titles = {deviation_title(organisation, index, ovningar) for index, _ in enumerate(years)}
    return {title for title in titles if title.endswith(UNACKNOWLEDGED)}


def _decision(step: DecisionStep, year: int, *, late: bool) -> Act:
    """The organ's decision answering a step of the plan, a little before its deadline (or, in a
    rehearsal, `late`: a week after it)."""
    deadline = step.deadline.on
    if step.kind == BeslutKind.BUDGET:
        renewed = step.key == "budget_nyvalt"
        day = deadline - (RENEWED_BUDGET_AHEAD if renewed else BUDGET_AHEAD)
        title = f"Budget {year} (nyvalt fullmäktige)" if renewed else f"Budget {year}"
    elif step.kind == BeslutKind.ANSVARSFRIHET:
        day, title = deadline - DISCHARGE_AHEAD, f"Ansvarsfrihet för {year}"
    elif "/" not in step.key:
        # KS's verksamhetsplan and uppföljningsplan, at its November meeting.
        day, title = min(date(year - 1, *KS_PLANS_BY), deadline - ORGAN_AHEAD), step.name
    else:
        # A nämnd's or bolag's own step (its title ends with the budget year, as people read it).
        day, title = deadline - ORGAN_AHEAD, step.name
    return Act(
        at=at(deadline + LATE_BY if late else day),
        what="beslut",
        actor=step.organ,
        kind=step.kind,
        title=title,
    )
