"""The relay: events recorded while the worker (and its relay) is down are acted on once it is back."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from temporal_harness import decide, ordinary_budget_year, time_skipping
from test_arshjul import ON_TIME_REPORTS, decide_the_year

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.values import BeslutKind
from lerum_flow.relay import Relay, RelayPosition
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.models import ArshjulResult, WorkflowStatus
from lerum_flow.workflows.starter import start_arshjul
from lerum_flow.workflows.uppfoljning import QUERY_STATUS


class RelayCrashedError(Exception):
    pass


@dataclass
class CountingRoutes:
    """The production routes, noting each decision they pass on; optionally crashing after the n-th."""

    inner: TemporalRoutes
    crash_after: int | None = None
    decisions: list[int] = field(default_factory=list)

    @property
    def topics(self) -> Sequence[str]:
        return self.inner.topics

    async def __call__(self, event: Any, notification_id: int) -> None:
        await self.inner(event, notification_id)
        if isinstance(event, Beslut.Taken):
            self.decisions.append(notification_id)
            if len(self.decisions) == self.crash_after:
                # The signal went out but the position was not stored: the worst moment.
                raise RelayCrashedError


def test_events_recorded_while_the_worker_is_down_are_acted_on_once_it_is_back(tmp_path: Path) -> None:
    """Four decisions recorded with no worker running reach the cycle once each, across a relay crash."""

    async def scenario() -> None:
        year = ordinary_budget_year(default_styrmodell(), date.today())
        async with time_skipping(tmp_path, with_worker=False) as h:
            async with h.worker(sticky=False):
                started = await start_arshjul(h.client, h.task_queue, "1441", year)
                handle = h.client.get_workflow_handle(started.workflow_id)
                while (await handle.query(QUERY_STATUS, result_type=WorkflowStatus)).phase == "planering":
                    await asyncio.sleep(0.05)
            # The cycle has planned and found no decisions; the worker and its relay are down.
            decide_the_year(h, year)

            crashing = CountingRoutes(TemporalRoutes(h.client, h.governance), crash_after=2)
            first_relay = Relay(h.governance, RelayPosition(h.settings), [crashing])
            with pytest.raises(RelayCrashedError):
                await first_relay.catch_up()
            first_relay.position.close()

            # Back up: a new relay reads its stored position and goes on from there.
            counting = CountingRoutes(TemporalRoutes(h.client, h.governance))
            relay = Relay(h.governance, RelayPosition(h.settings), [counting, h.people])
            try:
                async with h.worker(relay):
                    assert await relay.catch_up() == 3
                    result = await h.result(started.workflow_id, ArshjulResult)
                    status = await handle.query(QUERY_STATUS, result_type=WorkflowStatus)
                assert await relay.catch_up() == 0
            finally:
                relay.position.close()

            assert crashing.decisions + counting.decisions == [*crashing.decisions, *counting.decisions]
            assert counting.decisions[0] == crashing.decisions[-1]  # sent again after the crash
            assert len(set(crashing.decisions + counting.decisions)) == 4
            assert status.received_events == 4 + 2  # the decisions and the two reports, once each
            assert result.tally.deadlines_met == ON_TIME_REPORTS + 4
            assert result.tally.deadlines_missed == 0
            assert h.events(Avvikelse.Reported.TOPIC) == []

    asyncio.run(scenario())


@dataclass
class NotingRoute:
    """A route that notes which decisions it was given."""

    seen: list[int] = field(default_factory=list)

    @property
    def topics(self) -> Sequence[str]:
        return (Beslut.Taken.TOPIC,)

    async def __call__(self, event: Any, notification_id: int) -> None:
        self.seen.append(notification_id)


def test_the_relay_resumes_from_its_stored_position_on_sqlite_and_postgresql(database_url: str) -> None:
    """A relay started again hands on only what it has not handed on before, from its own table or file."""

    async def scenario() -> None:
        settings = Settings(database_url=database_url)
        governance = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
        try:
            decide_the_year(governance, 2030)
            first = NotingRoute()
            position = RelayPosition(settings)
            assert await Relay(governance, position, [first]).catch_up() == 4
            position.close()

            decide(governance, "kf", BeslutKind.BUDGET, date(2030, 6, 15), "Budget 2031")
            again = NotingRoute()
            position = RelayPosition(settings)
            assert await Relay(governance, position, [again]).catch_up() == 1
            position.close()
            assert len(set(first.seen + again.seen)) == 5
        finally:
            governance.close()

    asyncio.run(scenario())


def test_a_relay_that_finds_another_one_ahead_moves_up_to_it_on_sqlite_and_postgresql(
    database_url: str,
) -> None:
    """Two relays on one store (one per worker process): the one behind skips what the other has handled."""

    async def scenario() -> None:
        settings = Settings(database_url=database_url)
        governance = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
        positions = [RelayPosition(settings), RelayPosition(settings)]
        try:
            decide_the_year(governance, 2030)
            ahead_route = NotingRoute()
            ahead = Relay(governance, positions[1], [ahead_route])

            @dataclass
            class OvertakenRoute(NotingRoute):
                async def __call__(self, event: Any, notification_id: int) -> None:
                    await super().__call__(event, notification_id)
                    if len(self.seen) == 1:
                        await ahead.catch_up()  # the other relay runs through everything meanwhile

            behind_route = OvertakenRoute()
            behind = Relay(governance, positions[0], [behind_route])

            assert await behind.catch_up() == 1
            assert len(ahead_route.seen) == 4
            assert behind_route.seen == ahead_route.seen[:1]
            assert positions[0].get(governance.name) == governance.recorder.max_notification_id()
        finally:
            for position in positions:
                position.close()
            governance.close()

    asyncio.run(scenario())
