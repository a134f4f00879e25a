"""The municipality's calendar as the generator uses it: meeting days and working days."""

from __future__ import annotations

import random
from datetime import date, timedelta

KS_MONTHS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)
KF_MONTHS = (2, 3, 4, 5, 6, 9, 10, 11, 12)
MONDAY, THURSDAY = 0, 3


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def ks_meeting(year: int, month: int) -> date:
    """KS meets on the first Monday from the 18th, every month but July."""
    return _weekday_on_or_after(date(year, month, 18), MONDAY)


def kf_meeting(year: int, month: int) -> date:
    """KF meets on the first Thursday from the 22nd (June's falls before the budget deadline)."""
    return _weekday_on_or_after(date(year, month, 22), THURSDAY)


def ks_meetings(year: int) -> list[date]:
    return [ks_meeting(year, m) for m in KS_MONTHS]


def kf_meetings(year: int) -> list[date]:
    return [kf_meeting(year, m) for m in KF_MONTHS]


def next_ks_meeting(after: date) -> date:
    """The first KS meeting strictly after `after`."""
    for year in (after.year, after.year + 1):
        for meeting in ks_meetings(year):
            if meeting > after:
                return meeting
    raise AssertionError("a KS meeting within a year")  # pragma: no cover


def next_kf_meeting(after: date) -> date:
    for year in (after.year, after.year + 1):
        for meeting in kf_meetings(year):
            if meeting > after:
                return meeting
    raise AssertionError("a KF meeting within a year")  # pragma: no cover


def working_day(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def plus_working_days(day: date, days: int) -> date:
    day = working_day(day)
    for _ in range(days):
        day = working_day(day + timedelta(days=1))
    return day


def working_days(first: date, last: date) -> list[date]:
    days, day = [], working_day(first)
    while day <= last:
        days.append(day)
        day = working_day(day + timedelta(days=1))
    return days


def some_working_day(rng: random.Random, first: date, last: date) -> date:
    return working_day(first + timedelta(days=rng.randint(0, (last - first).days)))
