"""Which recorded events count for a question about a business day: one rule for the as-of
replay and the auditors' evidence export, so both answer from the same events.

An event counts for day T if it took effect on or before T. A correction is
the exception: it says what a recorded fact always was (a wrong diarienummer,
a misspelt title), so once it is known it counts for every day, also days
before it was made. Which events were known on a day is the other axis, the
same for both tools (their recording time).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lerum_flow.domain.beslut import Beslut

# Corrections of what a record always said, not changes from a day on.
RETROACTIVE: tuple[type[Any], ...] = (Beslut.Corrected,)


def counts_on(event: Any, on: date) -> bool:
    """Whether `event` (with a business date) is part of the state on day `on`."""
    return bool(event.effective_on <= on) or isinstance(event, RETROACTIVE)
