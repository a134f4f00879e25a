"""The relay: events recorded while the worker (and its relay) is down are acted on once it is back."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from temporal.temporal_harness import decide, ordinary_budget_year, staffed, time_skipping
from temporal.test_arshjul import ON_TIME_REPORTS, decide_the_year

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.styrmodell_record import StyrmodellRecord
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay import Relay, RelayPosition
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.models import QUERY_STATUS, WorkflowStatus
from lerum_flow.workflows.starter import start_arshjul


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
        year = ordinary_budget_year(default_styrmodell(), municipal_today())
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
        staffed(governance, settings)
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
        staffed(governance, settings)
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
            assert positions[0].get(governance.name) == governance.head()
        finally:
            for position in positions:
                position.close()
            governance.close()

    asyncio.run(scenario())


# --- Handing on concurrently ---------------------------------------------------------------------


FIRST_YEAR = 2000  # of the decisions below: one a year


class RouteFailedError(Exception):
    pass


@dataclass
class RecordingRoute:
    """A route to `workflows` workflows (by the decision's year) that notes what breaks the relay's promises.

    Each call yields a random number of times; the events in `fail_once` fail
    on their first call. Broken: a workflow's event handed on while an
    earlier one of it is still in hand, an event begun after an earlier one
    failed, or a stored position past an event not yet handled.
    """

    governance: Governance
    position: RelayPosition
    workflows: int
    fail_once: set[int] = field(default_factory=set)
    seed: int = 0
    log: list[int] = field(default_factory=list)  # the notification ids in the store, set once recorded
    handed: list[tuple[str, int]] = field(default_factory=list)  # (workflow, notification id) as begun
    finished: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)  # in this catch-up
    peak: int = 0
    broken: list[str] = field(default_factory=list)
    in_hand: dict[str, int] = field(default_factory=dict)  # workflow -> the event of it in hand

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    @property
    def topics(self) -> Sequence[str]:
        return (Beslut.Taken.TOPIC,)

    async def target(self, event: Any) -> str | None:
        return f"flöde-{(event.effective_on.year - FIRST_YEAR) % self.workflows}"  # the i-th event: i % n

    async def __call__(self, event: Any, notification_id: int) -> None:
        workflow = await self.target(event)
        assert workflow is not None
        if workflow in self.in_hand:
            self.broken.append(f"{notification_id} handed on while {self.in_hand[workflow]} was in hand")
        if any(f < notification_id for f in self.failed):
            self.broken.append(f"{notification_id} begun after {min(self.failed)} had failed")
        self._check_position()
        self.in_hand[workflow] = notification_id
        self.handed.append((workflow, notification_id))
        self.peak = max(self.peak, len(self.in_hand))
        try:
            for _ in range(self._random.randrange(6)):
                await asyncio.sleep(0)
            if notification_id in self.fail_once:
                self.fail_once.discard(notification_id)
                self.failed.add(notification_id)
                raise RouteFailedError(notification_id)
            self.finished.add(notification_id)
        finally:
            del self.in_hand[workflow]
            self._check_position()

    def _check_position(self) -> None:
        stored = self.position.get(self.governance.name)
        unhandled = [n for n in self.log if n not in self.finished]
        if unhandled and stored >= unhandled[0]:
            self.broken.append(f"position {stored} past {unhandled[0]}, not yet handled")

    def order(self, workflow: str) -> list[int]:
        return [n for w, n in self.handed if w == workflow]


@asynccontextmanager
async def decisions_in_store(
    tmp_path: Path, years: int
) -> AsyncIterator[tuple[Governance, RelayPosition, list[int]]]:
    """A store with one budget decision a year for `years` years, a relay position, and the events' ids."""
    settings = Settings(data_dir=tmp_path)
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    staffed(governance, settings)
    position = RelayPosition(settings)
    first = governance.head()
    try:
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            decide(governance, "kf", BeslutKind.BUDGET, date(year, 6, 1), f"Budget {year + 1}")
        yield governance, position, log_ids(governance, after=first)
    finally:
        position.close()
        governance.close()


def log_ids(governance: Governance, *, after: int = 0) -> list[int]:
    """The positions of the events the tests record: all but the styrmodell the first write stored."""
    model = StyrmodellRecord.Adopted.TOPIC
    return [n.id for page in governance.pages(after=after) for n in page.notifications if n.topic != model]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_workflows_events_are_handed_on_in_log_order_while_different_workflows_proceed_at_once(
    tmp_path: Path, seed: int
) -> None:
    """40 events for 5 workflows over pages of 7: one workflow's never overlap or overtake each other."""

    async def scenario() -> None:
        async with decisions_in_store(tmp_path, 40) as (governance, position, log):
            route = RecordingRoute(governance, position, workflows=5, seed=seed, log=log)
            assert await Relay(governance, position, [route], page_size=7).catch_up() == 40

            assert route.broken == []
            for w in range(5):
                assert route.order(f"flöde-{w}") == log[w::5]
            assert route.peak > 1  # the workflows did proceed at once
            assert position.get(governance.name) == log[-1]

    asyncio.run(scenario())


def test_the_position_stops_before_a_failed_event_and_its_workflows_later_events_wait_for_it(
    tmp_path: Path,
) -> None:
    """The 4th of 10 events fails: the position stays at the 3rd, nothing after it is begun (its workflow's
    7th and 10th wait), and the next catch-up hands on the failed event and everything after it."""

    async def scenario() -> None:
        async with decisions_in_store(tmp_path, 10) as (governance, position, log):
            failing = log[3]  # workflow flöde-0, whose events are the 1st, 4th, 7th and 10th
            route = RecordingRoute(governance, position, workflows=3, fail_once={failing}, log=log)
            relay = Relay(governance, position, [route])

            with pytest.raises(RouteFailedError):
                await relay.catch_up()
            assert position.get(governance.name) == log[2]
            assert route.order("flöde-0") == [log[0], failing]  # its 7th and 10th waited
            assert route.broken == []

            route.handed.clear()
            route.failed.clear()
            assert await relay.catch_up() == 7
            assert route.order("flöde-0") == [failing, log[6], log[9]]
            assert route.finished == set(log)
            assert route.broken == []
            assert position.get(governance.name) == log[-1]

    asyncio.run(scenario())


def test_when_several_events_fail_the_earliest_is_raised_and_the_position_stays_before_it(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with decisions_in_store(tmp_path, 10) as (governance, position, log):
            route = RecordingRoute(governance, position, workflows=10, fail_once={log[7], log[4]}, log=log)

            with pytest.raises(RouteFailedError) as failed:
                await Relay(governance, position, [route]).catch_up()
            assert failed.value.args == (log[4],)
            assert position.get(governance.name) == log[3]
            assert route.broken == []

    asyncio.run(scenario())


def test_no_more_events_are_in_hand_at_once_than_the_relay_allows(tmp_path: Path) -> None:
    """20 events for 20 workflows, which could all go at once, with at most 3 in flight."""

    async def scenario() -> None:
        async with decisions_in_store(tmp_path, 20) as (governance, position, log):
            route = RecordingRoute(governance, position, workflows=20, log=log)
            assert await Relay(governance, position, [route], max_in_flight=3).catch_up() == 20
            assert route.peak == 3
            assert route.broken == []

    asyncio.run(scenario())


@dataclass
class UntargetedRoute:
    """A route that cannot say which workflow an event concerns; notes when it ran among the others."""

    others: RecordingRoute
    # (notification id, the decisions finished by then, how many had been begun by then)
    seen: list[tuple[int, set[int], int]] = field(default_factory=list)

    @property
    def topics(self) -> Sequence[str]:
        return (Befattning.Established.TOPIC,)

    async def __call__(self, event: Any, notification_id: int) -> None:
        self.seen.append((notification_id, set(self.others.finished), len(self.others.handed)))
        await asyncio.sleep(0)


def test_an_event_whose_workflow_is_unknown_is_handed_on_alone_after_everything_before_it(
    tmp_path: Path,
) -> None:
    """Decisions, a befattning established (for a route that cannot name its workflow), decisions."""

    async def scenario() -> None:
        async with decisions_in_store(tmp_path, 4) as (governance, position, _):
            governance.establish_befattning(
                c.EstablishBefattning(
                    actor="larande",
                    person="p-test",
                    code="enhetschef-test",
                    name="Enhetschef i testet",
                    kind="chef",
                    parent="larande",
                    established_on=date(FIRST_YEAR + 4, 1, 1),
                )
            )
            for year in range(FIRST_YEAR + 4, FIRST_YEAR + 8):
                decide(governance, "kf", BeslutKind.BUDGET, date(year, 6, 1), f"Budget {year + 1}")
            log = log_ids(governance, after=position.get(governance.name))
            decisions = RecordingRoute(governance, position, workflows=8, log=[*log[:4], *log[5:]])
            alone = UntargetedRoute(decisions)
            assert await Relay(governance, position, [decisions, alone]).catch_up() == 9

            # Handed on once the four before it were done, and before any after it had begun.
            assert alone.seen == [(log[4], set(log[:4]), 4)]
            assert {n for _, n in decisions.handed} == set(log) - {log[4]}
            assert decisions.broken == []

    asyncio.run(scenario())
