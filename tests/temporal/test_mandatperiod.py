"""The mandate period on the time-skipping test server."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from temporal.temporal_harness import election_budget_year, time_skipping

from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.mandatperiod.models import MandatperiodResult
from lerum_flow.workflows.starter import start_mandatperiod


def test_vilja_och_mal_of_the_new_kf_becomes_its_goal_for_ks_for_four_years(tmp_path: Path) -> None:
    """Adopted in November after the election, it is issued to KS as a mål; the period ends 4 years later."""

    async def scenario() -> None:
        election_year = election_budget_year(default_styrmodell(), municipal_today()) - 1
        async with time_skipping(tmp_path) as h:
            h.decide("kf", BeslutKind.VILJA_OCH_MAL, date(election_year, 11, 10), "Vilja och mål")
            started = await start_mandatperiod(h.client, h.task_queue, "1441", election_year)
            result = await h.result(started.workflow_id, MandatperiodResult)

            assert result.problems == []
            assert result.tally.deadlines_met == 1
            assert result.runs == 5  # the goal, then the second, third and fourth year, then the end
            (goal,) = h.events(Uppdrag.Issued.TOPIC)
            assert (goal.kind, goal.giver, goal.recipient) == ("mal", "kf", "ks")
            assert goal.originator_id == result.goal_uppdrag_id
            assert goal.due == date(election_year + 4, 10, 14)

    asyncio.run(scenario())
