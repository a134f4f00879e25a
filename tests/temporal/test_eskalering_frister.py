"""Deadlines are elapsed hours in UTC: a DST change or a new year does not move them.

A deviation reaches the sektorschef at noon, Swedish time, the day before
the clocks change (last Sunday of March and of October) and on New Year's
Eve. Its 24 hours end 24 real hours later, which on the Swedish clock reads
13:00 in spring and 11:00 in autumn; every later level's deadline is its own
kvittens_timmar from when the deviation reached it.
"""

from __future__ import annotations

import asyncio
import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from temporal.escalation_world import (
    CHEF,
    LEVEL_HOURS,
    deadlines_recorded,
    establish_unit,
    history,
    hours,
    report,
    reported_at,
)
from temporal.temporal_harness import time_skipping

from lerum_flow.municipal_time import MUNICIPAL_TIME, municipal_today
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.workflows.eskalering.models import EskaleringResult

FROM_CHEF = ["larande", "kommundirektor", "ks", "kf"]


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - calendar.SUNDAY) % 7)


def next_after_today(day_in: Callable[[int], date]) -> date:
    today = municipal_today()
    return day_in(today.year) if day_in(today.year) > today else day_in(today.year + 1)


def spring(year: int) -> date:
    return last_sunday(year, 3) - timedelta(days=1)


def autumn(year: int) -> date:
    return last_sunday(year, 10) - timedelta(days=1)


def new_years_eve(year: int) -> date:
    return date(year, 12, 31)


CASES = {
    # The day it reaches the level, and the Swedish clock time its 24 hours end.
    "sommartid": (spring, time(13)),
    "vintertid": (autumn, time(11)),
    "nyar": (new_years_eve, time(12)),
}


@pytest.mark.parametrize("case", CASES)
def test_a_dst_change_or_a_new_year_does_not_move_a_deadline(tmp_path: Path, case: str) -> None:
    """The recorded deadlines are exactly each level's hours after it got the deviation."""
    day_in, local_end = CASES[case]

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            establish_unit(h.governance, municipal_today())
            day = next_after_today(day_in)
            noon = datetime.combine(day, time(12), MUNICIPAL_TIME)
            avvikelse_id = reported_at(h.governance, noon, lambda: report(h.governance, CHEF))
            await h.relay.catch_up()
            result = await h.result(eskalering_workflow_id(avvikelse_id), EskaleringResult)

            assert result.missed == FROM_CHEF
            missed = deadlines_recorded(history(h.governance, avvikelse_id))
            (first_level, first_since, first_deadline) = missed[0]
            assert (first_level, first_since) == ("larande", noon)
            # In UTC: `noon + hours(24)` in Swedish time would be the wall clock's next noon.
            assert first_deadline == noon.astimezone(UTC) + hours(24)
            on_the_swedish_clock = first_deadline.astimezone(MUNICIPAL_TIME)
            assert (on_the_swedish_clock.date(), on_the_swedish_clock.time()) == (
                day + timedelta(days=1),
                local_end,
            )
            assert [deadline - since for _, since, deadline in missed] == [
                hours(LEVEL_HOURS[level]) for level in FROM_CHEF
            ]

    asyncio.run(scenario())
