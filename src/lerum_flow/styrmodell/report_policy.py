"""When routine reports are due and what they cover: the styrmodell's uppföljningsplan, or a default.

Each follow-up edge (`kalender.uppfoljningsled`) may name its report day and
its areas. Where it does not: the deepest level of the chain reports first, ten days apart
(the 10th, 20th and 28th of the month), reminded three days ahead; the
delårsrapport and årsredovisning are reminded two weeks ahead; the economy
is reported every month, operations and quality every other month. A
deviation the cycle records itself is filed under operations when the
styrmodell has that category.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from lerum_flow.styrmodell.model import Styrmodell

MONTHLY_DEADLINE_DAYS = (10, 20, 28)
MONTHLY_REMINDER_DAYS = 3
REPORT_REMINDER_DAYS = 14
EVERY_MONTH_AREAS = ("ekonomi",)
ALTERNATING_AREAS = ("verksamhet", "kvalitet")
PREFERRED_CATEGORY = "verksamhet"


def monthly_deadline(year: int, month: int, rank: int, day: int | None = None) -> date:
    """When the reports of the `rank`-th edge (0 the deepest) are due in a follow-up month.

    `day` is the edge's own report day, if the styrmodell names one; a month
    shorter than it ends on its last day.
    """
    chosen = day if day is not None else MONTHLY_DEADLINE_DAYS[min(rank, len(MONTHLY_DEADLINE_DAYS) - 1)]
    return date(year, month, min(chosen, calendar.monthrange(year, month)[1]))


def monthly_reminder(deadline: date) -> date:
    return deadline - timedelta(days=MONTHLY_REMINDER_DAYS)


def report_reminder(deadline: date) -> date:
    """When KS is reminded of the delårsrapport or årsredovisning due on `deadline`."""
    return deadline - timedelta(days=REPORT_REMINDER_DAYS)


def monthly_areas(index: int, named: list[str] | None = None) -> list[str]:
    """The areas reported on in the `index`-th follow-up month of the year (from 0).

    `named` are the edge's own areas, if the styrmodell names them: reported every month.
    """
    if named is not None:
        return list(named)
    return [*EVERY_MONTH_AREAS, ALTERNATING_AREAS[index % len(ALTERNATING_AREAS)]]


def avvikelse_category(styrmodell: Styrmodell) -> str:
    """The category of a deviation the cycle records (a missed decision or report)."""
    categories = list(styrmodell.avvikelsekategorier)
    return PREFERRED_CATEGORY if PREFERRED_CATEGORY in categories else categories[0]
