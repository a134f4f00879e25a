"""The law's outer limits on the yearly calendar (kommunallagen 11 kap., LKBR 13 kap.).

A styrmodell may set earlier dates, never later ones: each function gives
the date that holds, the styrmodell's own or the law's, whichever is first.
"""

from __future__ import annotations

import calendar
from datetime import date

BUDGET_LAST = (11, 30)
ARSREDOVISNING_LAST = (4, 15)
ANSVARSFRIHET_LAST = (6, 30)
# The delårsrapport is due at the latest this many months after its period ends.
DELARSRAPPORT_MONTHS = 2


def budget_by(chosen: date) -> date:
    """The budget for next year is adopted by 30 November of this one at the latest."""
    return min(chosen, date(chosen.year, *BUDGET_LAST))


def arsredovisning_by(chosen: date) -> date:
    """The årsredovisning reaches KF by 15 April after the year at the latest."""
    return min(chosen, date(chosen.year, *ARSREDOVISNING_LAST))


def ansvarsfrihet_by(chosen: date) -> date:
    """KF decides on discharge by 30 June after the year at the latest."""
    return min(chosen, date(chosen.year, *ANSVARSFRIHET_LAST))


def delarsrapport_by(chosen: date, period_end: date) -> date:
    """The delårsrapport is due two months after its period at the latest."""
    return min(chosen, months_after(period_end, DELARSRAPPORT_MONTHS))


def months_after(day: date, months: int) -> date:
    """`months` later; the last day of a month stays the last day (31 Aug → 31 Oct)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if is_month_end else min(day.day, last))
