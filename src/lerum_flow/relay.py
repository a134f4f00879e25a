"""The relay: follows Governance's notification log and hands each event to its routes.

Its position is kept durably in its own store (a SQLite file of its own, or
the table `relay_tracking` in PostgreSQL) and advanced after each event is
handled, so events recorded while it was down are handled when it comes
back, each once in effect: a crash between handling and recording the
position repeats one event, which the receiving workflow recognises by its
event id.

Several relays may follow the same store (one beside each worker process):
each event may then be handed on more than once, which the workflows
recognise, and a relay that finds another one ahead of it moves up to where
that one is, since what that one has passed it has handled.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Sequence
from typing import Any, Protocol

import structlog
from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    InternalError,
    OperationalError,
    Tracking,
    TrackingRecorder,
)
from eventsourcing.utils import Environment

from lerum_flow.application import OPEN_ATTEMPTS, Governance, backoff
from lerum_flow.settings import Settings

PAGE_SIZE = 200
POLL_SECONDS = 0.5


class Route(Protocol):
    """Acts on the events of some topics; must be safe to call twice with the same event."""

    @property
    def topics(self) -> Sequence[str]: ...

    def __call__(self, event: Any, notification_id: int) -> Awaitable[None]: ...


class RelayPosition:
    """Where the relay has got to in the log, in a store of its own."""

    def __init__(self, settings: Settings) -> None:
        self._factory = InfrastructureFactory.construct(
            Environment("Relay", settings.eventsourcing_env("relay"))
        )
        self.recorder: TrackingRecorder = self._open()

    def _open(self) -> TrackingRecorder:
        # Worker processes started together (several on one queue) create the
        # tracking table at once; the losers of that race fail and may simply
        # try again, as Governance does when it opens its own store.
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self._factory.tracking_recorder()
            except (IntegrityError, InternalError, OperationalError):
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                backoff(attempt + 4)
        raise AssertionError("unreachable")

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
    ) -> None:
        self.governance = governance
        self.position = position
        self.routes = list(routes)
        self.page_size = page_size
        self._lock = asyncio.Lock()
        self._log = structlog.get_logger("lerum_flow.relay")
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
                last = await asyncio.to_thread(self.governance.recorder.max_notification_id) or 0
                if current >= last:
                    return handled
                page = await asyncio.to_thread(
                    self.governance.recorder.select_notifications,
                    current + 1,
                    self.page_size,
                    last,
                    self._topics,
                )
                for notification in page:
                    event = self.governance.mapper.to_domain_event(notification)
                    for route in self.routes:
                        if not route.topics or notification.topic in route.topics:
                            await route(event, notification.id)
                    handled += 1
                    current = await self._advance(notification.id)
                    if current > notification.id:
                        break  # another relay is ahead: carry on from where it is
                else:
                    if len(page) < self.page_size and current < last:
                        # Nothing more of interest up to `last`: skip the rest in one step.
                        current = await self._advance(last)

    async def _advance(self, to: int) -> int:
        """Store that everything up to `to` is handled; the position now (further if another relay is)."""
        if await asyncio.to_thread(self.position.advance, self.name, to):
            return to
        return await asyncio.to_thread(self.position.get, self.name)

    async def run(self, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS) -> None:
        """Follow the log until `stop` is set; a failing route is retried on the next round."""
        self._log.info("relay_startar", position=await asyncio.to_thread(self.position.get, self.name))
        while not stop.is_set():
            try:
                handled = await self.catch_up()
                if handled:
                    self._log.info("relay_hanterade", antal=handled)
            except Exception as error:
                self._log.warning("relay_fel", error=repr(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=poll_seconds)
