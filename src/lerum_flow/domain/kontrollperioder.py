"""Which controls of an internkontrollplan are owed a result: each control is performed once in every
period of its frequency (a month, a quarter, a tertial, a half year, the year), and a period in which
its owner recorded no result still owes one.

Pure functions over the plan as recorded; the internkontroll year's workflow asks this shortly before
each period ends, and reminds the owners of what is still owed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.values import Frekvens, InternkontrollplanStatus

MONTHS_PER_PERIOD = {
    Frekvens.MANAD: 1,
    Frekvens.KVARTAL: 3,
    Frekvens.TERTIAL: 4,
    Frekvens.HALVAR: 6,
    Frekvens.AR: 12,
}


@dataclass(frozen=True)
class Kontrollperiod:
    """The days, first and last, in which a control is performed once."""

    start: date
    end: date


@dataclass(frozen=True)
class OwedControl:
    """A control whose owner has recorded no result in the period ending now."""

    organ: str
    number: int
    title: str
    owner: str
    period: Kontrollperiod


def period_ending_in(frequency: Frekvens, year: int, month: int) -> Kontrollperiod | None:
    """The period of `frequency` that ends with `month` of `year`, or None if none ends then."""
    span = MONTHS_PER_PERIOD[frequency]
    if month % span:
        return None
    return Kontrollperiod(
        start=date(year, month - span + 1, 1), end=date(year, month, calendar.monthrange(year, month)[1])
    )


def controls_owed(plan: Internkontrollplan, month: int) -> list[OwedControl]:
    """The plan's controls with a period ending in `month` and no result recorded in it.

    Only a plan in force owes results (a draft has no controls yet to perform, a closed plan's year
    is reported), and only for a period that ends after the plan was adopted.
    """
    if plan.status is not InternkontrollplanStatus.ADOPTED or plan.adopted_on is None:
        return []
    owed = []
    for number, control in sorted(plan.controls.items()):
        period = period_ending_in(control.frequency, plan.year, month)
        if period is None or period.end < plan.adopted_on:
            continue
        performed = any(n == number and period.start <= on <= period.end for n, on in plan.results)
        if not performed:
            # Whoever owns it on the period's last day performs it by then: a hand-over counts from its day.
            owner = control.owner_on(period.end)
            owed.append(OwedControl(plan.organ, number, control.title, owner, period))
    return owed
