"""The municipality's clock: Swedish time, whose calendar days are the business dates.

Every Swedish municipality keeps Swedish time. Kept in one place (and outside
workflow code, which imports it through the sandbox's passthrough: a ZoneInfo
created inside the sandbox breaks `astimezone`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MUNICIPAL_TIME = ZoneInfo("Europe/Stockholm")


def business_day(instant: datetime) -> date:
    """The Swedish calendar day an instant falls on (00:30 in Lerum is still that day, not UTC's)."""
    return instant.astimezone(MUNICIPAL_TIME).date()


def municipal_today() -> date:
    """Today in the municipality: between midnight in Sweden and midnight UTC, the machine's
    `date.today()` (UTC on a server) is still yesterday."""
    return datetime.now(MUNICIPAL_TIME).date()
