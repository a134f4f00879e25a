"""What a report covers: its kind, its window of days, the day its state is read, and its title.

A månadsuppföljning covers one month, a delårsrapport the year up to the end
of its interim period (from the styrmodell's kalender), an årsredovisning the
whole year. The state is read as of the window's last day unless the reader
asks for another day; a report of a month not yet over reads the day asked.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.styrmodell import Styrmodell

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


class ReportKind(StrEnum):
    MANAD = "manad"
    DELAR = "delar"
    ARSREDOVISNING = "arsredovisning"


@dataclass(frozen=True)
class ReportPeriod:
    """A report's window, `start` to `end` with both days included, and its name in Swedish."""

    kind: ReportKind
    year: int
    start: date
    end: date
    name: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)


def month_period(year: int, month: int) -> ReportPeriod:
    if not 1 <= month <= 12:
        raise InvalidInput(f"Månad {month} finns inte; ange 1–12.", field="manad", rule="ogiltig_manad")
    last = calendar.monthrange(year, month)[1]
    return ReportPeriod(
        ReportKind.MANAD,
        year,
        date(year, month, 1),
        date(year, month, last),
        f"Månadsuppföljning {MONTHS[month - 1]} {year}",
    )


def interim_period(styrmodell: Styrmodell, year: int, number: int) -> ReportPeriod:
    """The year up to the end of interim period `number` (1 = the first) of the styrmodell's kalender."""
    periods = styrmodell.kalender.interim_periods()
    if not 1 <= number <= len(periods):
        one = len(periods) == 1
        allowed = "ange --period 1 eller utelämna den" if one else f"ange --period 1–{len(periods)}"
        count = "en delårsperiod" if one else f"{len(periods)} delårsperioder"
        raise InvalidInput(
            f"Delårsperiod {number} finns inte: styrmodellen har {count}; {allowed}.",
            field="period",
            rule="okand_delarsperiod",
        )
    end = periods[number - 1].slutar.in_year(year)
    several = f" {number}" if len(periods) > 1 else ""
    name = f"Delårsrapport{several} {year} (till {end.isoformat()})"
    return ReportPeriod(ReportKind.DELAR, year, date(year, 1, 1), end, name)


def annual_period(year: int) -> ReportPeriod:
    return ReportPeriod(
        ReportKind.ARSREDOVISNING, year, date(year, 1, 1), date(year, 12, 31), f"Årsredovisning {year}"
    )
