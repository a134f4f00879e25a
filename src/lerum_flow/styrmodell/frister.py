"""How long a level has to acknowledge a deviation, and the instant that time runs out.

One definition for the escalation workflow's activities and for what people
are shown (`avvikelse board`, `avvikelse report`), so the deadline a person
sees is the one the workflow keeps. Pure functions; no clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lerum_flow.styrmodell.model import Styrmodell


def acknowledgement_time(styrmodell: Styrmodell, kind: str) -> timedelta | None:
    """How long a level of `kind` has to acknowledge (kvittens_timmar or kvittens_minuter);
    None if the styrmodell sets none."""
    rule = next((r for r in styrmodell.eskalering if str(r.slag) == kind), None)
    return rule.time_to_acknowledge() if rule is not None else None


def acknowledgement_deadline(delivered_at: datetime, allowed: timedelta) -> datetime:
    """The instant a level's time to acknowledge runs out, in UTC.

    Counted in elapsed time from when the deviation reached the level (the
    recorded time of the event that put it there), so a relay or worker that
    was down gives no level extra time. In UTC because aware-datetime
    arithmetic in a zone adds wall-clock time: 24 hours from noon before a
    DST change would be 23 or 25 real hours.
    """
    return delivered_at.astimezone(UTC) + allowed
