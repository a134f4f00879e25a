"""The årshjul on the time-skipping test server: whole budget years, in ordinary and election years."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from temporal.temporal_harness import (
    Harness,
    decide,
    election_budget_year,
    ordinary_budget_year,
    time_skipping,
)

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.starter import start_arshjul

MONTHS = 11  # no monthly report in July
REPORTS_PER_MONTH = 6 * 2  # the kommundirektör and five sektorschefer, two areas each
ON_TIME_REPORTS = MONTHS * REPORTS_PER_MONTH + 2  # and the delårsrapport and årsredovisning
# Budget per history: a cycle's largest run stays far below Temporal's 10,240 events.
MAX_EVENTS_PER_RUN = 500


def decide_the_year(h: Harness | Governance, year: int) -> None:
    """KF's budget in June, KS's plans in November, KF's discharge in June after the year."""
    governance = h.governance if isinstance(h, Harness) else h
    decide(governance, "kf", BeslutKind.BUDGET, date(year - 1, 6, 12), f"Budget {year}")
    decide(governance, "ks", BeslutKind.VERKSAMHETSPLAN, date(year - 1, 11, 25), f"Verksamhetsplan {year}")
    decide(governance, "ks", BeslutKind.UPPFOLJNINGSPLAN, date(year - 1, 11, 25), f"Uppföljningsplan {year}")
    decide(governance, "kf", BeslutKind.ANSVARSFRIHET, date(year + 1, 6, 14), f"Ansvarsfrihet {year}")


async def largest_run(h: Harness, workflow_id: str, first_run_id: str | None) -> int:
    """The number of events in the longest run of a continue-as-new chain."""
    largest, run_id = 0, first_run_id
    while run_id:
        history = await h.client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        largest = max(largest, len(history.events))
        last = history.events[-1]
        run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id or None
    return largest


def test_a_whole_ordinary_budget_year_runs_from_budget_to_discharge(tmp_path: Path) -> None:
    """Budget in June, plans in December, eleven monthly follow-ups, both reports, discharge: all on time."""

    async def scenario() -> None:
        year = ordinary_budget_year(default_styrmodell(), municipal_today())
        async with time_skipping(tmp_path) as h:
            decide_the_year(h, year)
            started = await start_arshjul(h.client, h.task_queue, "1441", year)
            handle = h.client.get_workflow_handle(started.workflow_id)
            first_run = (await handle.describe()).run_id
            result = await h.result(started.workflow_id, ArshjulResult)

            assert result.problems == []
            assert not result.election_year
            assert result.follow_ups == MONTHS * 2
            assert result.tally.avvikelser == 0
            assert result.tally.deadlines_missed == 0
            assert result.tally.reports_on_time == ON_TIME_REPORTS
            assert result.tally.deadlines_met == ON_TIME_REPORTS + 4
            issued = h.events(Uppdrag.Issued.TOPIC)
            assert [(e.giver, e.recipient) for e in issued if e.title == f"Budget {year}"] == [("kf", "ks")]
            monthly = [e for e in issued if e.title.startswith("Månadsrapport")]
            assert len(monthly) == MONTHS * REPORTS_PER_MONTH
            assert not [e for e in monthly if e.title.endswith(f"{year}-07")]
            assert h.events(Avvikelse.Reported.TOPIC) == []
            assert result.runs > 10
            assert await largest_run(h, started.workflow_id, first_run) < MAX_EVENTS_PER_RUN

    asyncio.run(scenario())


def test_in_an_election_year_the_newly_elected_kf_adopts_the_budget_again(tmp_path: Path) -> None:
    """The June budget is provisional; the new KF's budget by 30 November is noted on KF's uppdrag to KS."""

    async def scenario() -> None:
        year = election_budget_year(default_styrmodell(), municipal_today())
        async with time_skipping(tmp_path) as h:
            decide_the_year(h, year)
            renewed = h.decide("kf", BeslutKind.BUDGET, date(year - 1, 11, 18), f"Budget {year} (nyvalt KF)")
            started = await start_arshjul(h.client, h.task_queue, "1441", year)
            result = await h.result(started.workflow_id, ArshjulResult)

            assert result.election_year
            assert result.problems == []
            assert result.tally.deadlines_missed == 0
            assert result.tally.deadlines_met == ON_TIME_REPORTS + 5
            budget = [e for e in h.events(Uppdrag.Issued.TOPIC) if e.title == f"Budget {year}"]
            assert len(budget) == 1
            revised = [
                e for e in h.events(Uppdrag.Revised.TOPIC) if e.originator_id == budget[0].originator_id
            ]
            assert len(revised) == 1
            assert str(renewed) in revised[0].description

    asyncio.run(scenario())


def test_a_cycle_started_twice_runs_once(tmp_path: Path) -> None:
    """A second start is answered "already running", one after the end "already finished"; nothing doubles.

    Nobody decides anything this year, so each of the four decisions becomes one avvikelse.
    """

    async def scenario() -> None:
        year = ordinary_budget_year(default_styrmodell(), municipal_today())
        async with time_skipping(tmp_path) as h:
            first = await start_arshjul(h.client, h.task_queue, "1441", year)
            second = await start_arshjul(h.client, h.task_queue, "1441", year)
            assert first.started
            assert not second.started
            assert second.workflow_id == first.workflow_id == f"arshjul-1441-{year}"
            assert second.status == "pågår"

            result = await h.result(first.workflow_id, ArshjulResult)
            after = await start_arshjul(h.client, h.task_queue, "1441", year)

            assert not after.started
            assert after.status == "avslutad"
            assert result.tally.deadlines_missed == 4
            # Without a budget there is no uppdrag to report on nor a plan to follow up.
            assert any("inget budgetuppdrag" in p for p in result.problems)
            avvikelser = h.events(Avvikelse.Reported.TOPIC)
            assert len(avvikelser) == 4
            assert sorted(e.actor for e in avvikelser) == ["kf", "ks", "ks", "ks"]
            assert h.events(Uppdrag.Issued.TOPIC) == []

    asyncio.run(scenario())
