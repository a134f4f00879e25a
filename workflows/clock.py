"""Swedish calendar days and the instants workflows wait for.

Imported into workflow code through `imports_passed_through()`: a ZoneInfo
created inside the sandbox breaks `astimezone`, one created here does not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from lerum_flow.municipal_time import MUNICIPAL_TIME, business_day


def local_date(instant: datetime) -> date:
    """The Swedish calendar day an instant falls on."""
    return business_day(instant)


def start_of(day: date) -> datetime:
    """Midnight at the start of a Swedish day, in UTC."""
    return datetime.combine(day, time(0), MUNICIPAL_TIME).astimezone(UTC)


def end_of(day: date) -> datetime:
    """The instant a deadline "by `day`" passes: midnight after it, in UTC."""
    return start_of(day + timedelta(days=1))


def day_after(day: date) -> date:
    """A deadline "by `day`" is missed on the day after: the date a deviation occurred."""
    return day + timedelta(days=1)
