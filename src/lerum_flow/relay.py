"""The relay: follows Governance's notification log and hands each event to its routes.

Its position is kept durably in its own store (a SQLite file of its own, or
the table `relay_tracking` in PostgreSQL) and advanced once an event and
every one before it are handled, so events recorded while it was down are
handled when it comes back, each once in effect: a crash between handling
and recording the position repeats what was handled since, which the
receiving workflows recognise by the event ids (and a repeated start of a
workflow is refused by its id).

Events for different workflows are handed on concurrently, a chunk at a
time; those for one workflow (a start and the signals after it) in the
order recorded. An event handed to a route that cannot say which workflow
it concerns is handled alone, after everything before it, as every event
once was.

Each worker process has a relay, but only the one that leads (`leadership`:
an advisory lock per store) follows the log; the others wait to take over.
Should two follow at once all the same (a leader cut off before it knows),
each event may be handed on more than once, which the workflows recognise,
and a relay that finds another one ahead of it moves up to where that one
is, since what that one has passed it has handled.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    Notification,
    OperationalError,
    Tracking,
    TrackingRecorder,
)
from eventsourcing.utils import Environment

from lerum_flow.application import Governance
from lerum_flow.leadership import Leadership
from lerum_flow.log_pages import Page
from lerum_flow.logs import get_logger
from lerum_flow.opening import LOST_RACE, opened
from lerum_flow.settings import Settings

PAGE_SIZE = 200
POLL_SECONDS = 0.5
# Route calls (RPCs to Temporal) in flight at once: a catch-up over thousands
# of events after downtime must not open thousands of them.
MAX_IN_FLIGHT = 32


class Route(Protocol):
    """Acts on the events of some topics; must be safe to call twice with the same event."""

    @property
    def topics(self) -> Sequence[str]: ...

    def __call__(self, event: Any, notification_id: int) -> Awaitable[None]: ...


@runtime_checkable
class TargetedRoute(Route, Protocol):
    """A route that can say, without acting, which workflow an event goes to (None: none)."""

    def target(self, event: Any) -> Awaitable[str | None]: ...


@dataclass(frozen=True)
class _Delivery:
    """One event and the routes it goes to; `alone` unless its workflow is known."""

    notification_id: int
    event: Any
    routes: list[Route]
    target: str | None
    alone: bool


class RelayPosition:
    """Where the relay has got to in the log, in a store of its own."""

    def __init__(self, settings: Settings) -> None:
        self._factory = InfrastructureFactory.construct(
            Environment("Relay", settings.eventsourcing_env("relay"))
        )
        self.recorder: TrackingRecorder = self._open()

    def _open(self) -> TrackingRecorder:
        # Worker processes started together (several on one queue) create the
        # tracking table at once (here a lock wait too may end in an OperationalError).
        return opened(self._factory.tracking_recorder, retry_on=(*LOST_RACE, OperationalError))

    def get(self, application_name: str) -> int:
        return self.recorder.max_tracking_id(application_name) or 0

    def set(self, application_name: str, notification_id: int) -> None:
        self.recorder.insert_tracking(Tracking(application_name, notification_id))

    def advance(self, application_name: str, notification_id: int) -> bool:
        """Move the position to `notification_id`; False if another relay has already moved it past."""
        try:
            self.set(application_name, notification_id)
        except IntegrityError:
            # The store keeps one position per application and only moves it forward.
            if self.get(application_name) >= notification_id:
                return False
            raise
        return True

    def close(self) -> None:
        self._factory.close()


class Relay:
    """Tracked follower of one Governance's log; `catch_up` may be called from anywhere, any time."""

    def __init__(
        self,
        governance: Governance,
        position: RelayPosition,
        routes: Sequence[Route],
        *,
        page_size: int = PAGE_SIZE,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.governance = governance
        self.position = position
        self.routes = list(routes)
        self.page_size = page_size
        self.max_in_flight = max_in_flight
        self._lock = asyncio.Lock()
        self._log = get_logger("lerum_flow.relay")
        # A route that wants every topic makes the relay read every event.
        wanted = [route.topics for route in self.routes]
        self._topics: list[str] = (
            [] if any(not t for t in wanted) else sorted({t for ts in wanted for t in ts})
        )

    @property
    def name(self) -> str:
        return self.governance.name

    async def catch_up(self) -> int:
        """Hand every event recorded since the last position to the routes; how many were handled."""
        async with self._lock:
            handled = 0
            current = await asyncio.to_thread(self.position.get, self.name)
            while True:
                last = await asyncio.to_thread(self.governance.head)
                if current >= last:
                    return handled
                page = await asyncio.to_thread(self._page, current, last)
                for chunk in _chunks([await self._delivery(n) for n in page.notifications]):
                    done, failure = await self._hand_on(chunk)
                    handled += done
                    if done:
                        current = await self._advance(chunk[done - 1].notification_id)
                    if failure is not None:
                        raise failure  # as before: the caller logs it and it is tried again next round
                    if current > chunk[-1].notification_id:
                        break  # another relay is ahead: carry on from where it is
                else:
                    if current < page.last:
                        # Nothing more of interest up to the page's end: skip the rest in one step.
                        current = await self._advance(page.last)

    def _page(self, after: int, upto: int) -> Page:
        return next(self.governance.pages(after=after, upto=upto, size=self.page_size, topics=self._topics))

    async def _delivery(self, notification: Notification) -> _Delivery:
        event = self.governance.to_event(notification)
        routes = [r for r in self.routes if not r.topics or notification.topic in r.topics]
        targets: set[str | None] = set()
        for route in routes:
            if not isinstance(route, TargetedRoute):
                return _Delivery(notification.id, event, routes, None, alone=True)
            targets.add(await route.target(event))
        targets.discard(None)
        # Two routes sending one event to two workflows would tie their orders together: keep it simple.
        if len(targets) > 1:
            return _Delivery(notification.id, event, routes, None, alone=True)
        return _Delivery(notification.id, event, routes, targets.pop() if targets else None, alone=False)

    async def _hand_on(self, chunk: list[_Delivery]) -> tuple[int, Exception | None]:
        """Hand on a chunk: one workflow's events in order, different workflows' at once.

        Returns how many of the chunk's first events are all handled, and the
        failure of the next one if it failed. No event after a failed one is
        begun (those in flight finish): a workflow's would overtake it, and
        others' would be sent again on every round while it keeps failing.
        """
        in_flight = asyncio.Semaphore(self.max_in_flight)
        handled = [False] * len(chunk)
        failures: dict[int, Exception] = {}
        chains: dict[Hashable, list[int]] = {}
        for index, delivery in enumerate(chunk):
            # An event for no workflow needs no order: a chain of its own (ints never equal the str ids).
            chains.setdefault(index if delivery.target is None else delivery.target, []).append(index)

        async def chain(indices: list[int]) -> None:
            for index in indices:
                try:
                    async with in_flight:
                        if failures and index > min(failures):
                            return
                        for route in chunk[index].routes:
                            await route(chunk[index].event, chunk[index].notification_id)
                except Exception as error:
                    failures[index] = error
                    return
                handled[index] = True

        async with asyncio.TaskGroup() as group:
            for indices in chains.values():
                group.create_task(chain(indices))
        done = handled.index(False) if False in handled else len(chunk)
        # The first event not handled is one that failed: any other left undone lies after a failed one.
        return done, failures[done] if done < len(chunk) else None

    async def _advance(self, to: int) -> int:
        """Store that everything up to `to` is handled; the position now (further if another relay is)."""
        if await asyncio.to_thread(self.position.advance, self.name, to):
            return to
        return await asyncio.to_thread(self.position.get, self.name)

    async def run(
        self,
        stop: asyncio.Event,
        *,
        poll_seconds: float = POLL_SECONDS,
        leadership: Leadership | None = None,
        on_lead: Callable[[bool], None] | None = None,
    ) -> None:
        """Follow the log until `stop` is set; a failing route is retried on the next round.

        With `leadership`, a round is run only while this process leads (asked
        each round); `on_lead` hears each change of that.
        """
        self._log.info("relay_startar", position=await asyncio.to_thread(self.position.get, self.name))
        leading = False
        while not stop.is_set():
            if leadership is not None:
                now = await asyncio.to_thread(leadership.lead)
                if now != leading:
                    leading = now
                    self._log.info("relay_leder" if now else "relay_leder_inte", roll=leadership.role)
                    if on_lead is not None:
                        on_lead(now)
            if leadership is None or leading:
                try:
                    handled = await self.catch_up()
                    if handled:
                        self._log.info("relay_hanterade", antal=handled)
                except Exception as error:
                    self._log.warning("relay_fel", error=repr(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=poll_seconds)


def _chunks(deliveries: list[_Delivery]) -> Iterator[list[_Delivery]]:
    """The page cut at each event that must be handled alone, which is a chunk of its own."""
    chunk: list[_Delivery] = []
    for delivery in deliveries:
        if delivery.alone:
            if chunk:
                yield chunk
                chunk = []
            yield [delivery]
        else:
            chunk.append(delivery)
    if chunk:
        yield chunk
