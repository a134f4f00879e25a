"""Brings views up to the log: catch up in pages, rebuild, or follow the log as it grows.

All three feed the same `_apply`: each event is decoded once, each projection
says what it changes, and each view applies the page in one transaction with
its tracking record. Following uses the library's
`ApplicationSubscription`; a reader thread hands its events over through a
queue so that whatever has arrived is applied together, as one page.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from queue import Empty, Full, Queue
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, Tracking
from eventsourcing.projection import ApplicationSubscription

from lerum_flow.log_pages import Page, PageReader, head, pages
from lerum_flow.logs import get_logger
from lerum_flow.projections.bitemporal import axes_of
from lerum_flow.projections.history_buffer import DEFAULT_LIMIT
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.record_rebuild import can_rebuild_by_record, rebuild_by_record
from lerum_flow.projections.view import Item, ViewBehindError
from lerum_flow.store_lock import is_busy

logger = get_logger("lerum_flow.projections")

Progress = Callable[[int], None]
# Seconds to wait before following again after the database went away.
RESTART_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)
# From this many events in the log, a view found empty when catching up to the head (never built, or
# emptied by a rebuild cut short) is rebuilt from the stored events rather than followed page by page.
# Measured (a Lerum mandate period, 353 k events, the beslut and uppdrag views emptied by an
# interrupted `projections rebuild`): the next read took 63 s following the log, against about 14 s
# for the whole rebuild. Below it, following is as quick and starts no rebuild.
REBUILD_EMPTY_FROM = 50_000
# Seconds between two tries at a view another process holds (`Projector.rebuild`'s `busy_wait`).
BUSY_PAUSE = 1.0


class _SubscriptionEndedError(Exception):
    """The subscription's reader thread ended (with the error in `__cause__`, if any)."""


class Projector:
    """Keeps some views current with one log; `accept` filters events and `reader` may leave
    out, before they are decoded, events that `accept` would refuse (the as-of replay)."""

    def __init__(
        self,
        log: Application[UUID],
        projections: Sequence[ViewProjection],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        accept: Callable[[Any], bool] | None = None,
        reader: PageReader = pages,
        rebuild_empty_from: int = REBUILD_EMPTY_FROM,
    ) -> None:
        self.log = log
        self.rebuild_empty_from = rebuild_empty_from
        self.reader = reader
        self.projections = list(projections)
        self.page_size = page_size
        self.accept = accept
        # Read from the database: the events these projections have handlers for, nothing else.
        self._topics = sorted({t for p in self.projections for t in p.topics})
        self._routes: dict[type[Any], list[ViewProjection]] = defaultdict(list)
        for projection in self.projections:
            for event_class in projection.handlers:
                self._routes[event_class].append(projection)

    def positions(self) -> dict[str, int]:
        return {p.name: p.view.position(self.log.name) for p in self.projections}

    def head(self) -> int:
        return head(self.log.recorder)

    def catch_up(self, *, upto: int | None = None, progress: Progress | None = None) -> int:
        """Apply everything up to `upto` (default: the log's head now); return how many events."""
        target = self.head() if upto is None else upto
        # Only up to the head: a rebuild reaches the head, and its own paged part catches up to a position.
        applied = self._rebuild_empty(target, progress) if upto is None else 0
        while True:
            positions = self.positions()
            start = min(positions.values(), default=target)
            try:
                for page in self.reader(
                    self.log.recorder, after=start, upto=target, size=self.page_size, topics=self._topics
                ):
                    applied += self._apply_page(page, positions)
                    if progress is not None:
                        progress(page.last)
            except ViewBehindError as behind:
                # Someone rebuilt a view meanwhile: read again from where the views are.
                logger.info("vy_bakom_sidan", position=behind.position)
                continue
            return applied

    def _rebuild_empty(self, target: int, progress: Progress | None) -> int:
        """Rebuild the views still at position 0 that can be rebuilt record by record, on a log of at
        least `rebuild_empty_from` events; how many events that applied (0 if none was)."""
        if target < self.rebuild_empty_from or self.accept is not None or self.reader is not pages:
            return 0
        positions = self.positions()
        empty = [p for p in self.projections if positions[p.name] == 0 and can_rebuild_by_record(p, self.log)]
        if not empty:
            return 0
        logger.info("tomma_vyer_byggs_om", vyer=[p.name for p in empty], handelser=target)
        try:
            # Not reset first: a view another process rebuilt or began to follow meanwhile is left as
            # it is, since each view's rebuild checks in its own transaction that it is still at 0.
            rebuilding = Projector(self.log, empty, page_size=self.page_size)
            return rebuilding._built_from_empty(progress, DEFAULT_LIMIT, by_record=True)
        except (IntegrityError, OperationalError) as error:
            # Another process is at one of them (a rebuild, a follower's page). Nothing of this
            # rebuild is kept; following the log from where the views now are is right.
            logger.info("tomma_vyer_foljs_i_stallet", error=repr(error))
            return 0

    def rebuild(
        self,
        *,
        progress: Progress | None = None,
        held_rows: int = DEFAULT_LIMIT,
        by_record: bool = True,
        busy_wait: float = 0.0,
    ) -> int:
        """Drop every view's rows and position, then apply the whole log, each view in one
        transaction (`GovernanceView.rebuilding`, holding at most `held_rows` rows' history):
        other readers see the emptied view until it ends. With `by_record`, a view that can be is
        rebuilt from the stored events record by record (`record_rebuild`), the others from the
        log's pages; both reach the same position, the log's head when the rebuild began.

        A view whose write lock another process holds past the store's wait (rebuilding it, as a
        follower rebuilds a view it found empty) is waited for, and the rebuild begun again, for up
        to `busy_wait` seconds: what failed was rolled back, and an emptied view is emptied again."""
        deadline = time.monotonic() + busy_wait
        while True:
            try:
                return self._rebuilt(progress, held_rows, by_record)
            except OperationalError as error:
                if not is_busy(error) or time.monotonic() >= deadline:
                    raise
                logger.info("vy_upptagen_vantar", vyer=[p.name for p in self.projections], error=repr(error))
                time.sleep(BUSY_PAUSE)

    def _rebuilt(self, progress: Progress | None, held_rows: int, by_record: bool) -> int:
        for projection in self.projections:
            projection.view.reset(self.log.name)
        return self._built_from_empty(progress, held_rows, by_record)

    def _built_from_empty(self, progress: Progress | None, held_rows: int, by_record: bool) -> int:
        """The whole log applied to views at position 0 (a view rebuilt record by record checks
        that, in its rebuild's transaction: `rebuild_by_record`)."""
        target = self.head()
        # A filtered or narrowed reading (the as-of replay's) goes through the pages it filters.
        plain = self.accept is None and self.reader is pages
        whole = [p for p in self.projections if by_record and plain and can_rebuild_by_record(p, self.log)]
        paged = [p for p in self.projections if p not in whole]
        collecting = gc.isenabled()
        # The history held until the end is millions of live objects, which every full pass of the
        # cyclic collector walks again: measured (beslut view, Lerum mandate period), the passes
        # doubled the rebuild's CPU time. What a rebuild allocates holds no cycles to collect.
        gc.disable()
        try:
            with ExitStack() as transactions:
                for projection in self.projections:
                    transactions.enter_context(projection.view.rebuilding(held_rows=held_rows))
                applied = sum(rebuild_by_record(p, self.log, target) for p in whole)
                if paged:
                    rest = Projector(
                        self.log, paged, page_size=self.page_size, accept=self.accept, reader=self.reader
                    )
                    applied += rest.catch_up(upto=target, progress=progress)
                elif progress is not None:
                    progress(target)
                return applied
        finally:
            if collecting:
                gc.enable()

    def apply_events(self, events: Sequence[tuple[int, Any]], *, after: int, last: int) -> int:
        """Apply decoded events (notification id, event) read after `after`, up to `last`."""
        return self._apply(events, after=after, last=last, positions=self.positions())

    def _apply_page(self, page: Page, positions: dict[str, int]) -> int:
        mapper = self.log.mapper
        events = [(n.id, mapper.to_domain_event(n)) for n in page.notifications]
        return self._apply(events, after=page.after, last=page.last, positions=positions)

    def _apply(
        self, events: Sequence[tuple[int, Any]], *, after: int, last: int, positions: dict[str, int]
    ) -> int:
        """Each view's changes from these events, applied in one transaction per view."""
        items: dict[str, list[Item]] = defaultdict(list)
        for notification_id, event in events:
            if self.accept is not None and not self.accept(event):
                continue
            routes = self._routes.get(type(event), ())
            if routes:
                axes = axes_of(event)
                for projection in routes:
                    items[projection.name].append((notification_id, projection.changes(event), axes))
        tracking = Tracking(self.log.name, last)
        applied = 0
        for projection in self.projections:
            if positions[projection.name] < last:
                applied += projection.view.apply(items[projection.name], tracking, after=after)
                positions[projection.name] = last
        return applied

    def follow(self, stop: threading.Event, *, on_page: Progress | None = None) -> None:
        """Keep the views current until `stop` is set.

        A lost database connection ends the subscription with an error; the
        views are then caught up again from their positions and followed anew.
        """
        failures = 0
        while not stop.is_set():
            try:
                self.catch_up(progress=on_page)
                self._follow_subscription(stop, on_page)
                failures = 0
            except ViewBehindError:
                continue
            except (OperationalError, InterfaceError, _SubscriptionEndedError) as error:
                if is_busy(error):
                    # A view another process holds (rebuilding it): the store at work, not a failure
                    # to back off from; it is over when that process commits.
                    logger.info(
                        "vy_upptagen_vantar", vyer=[p.name for p in self.projections], error=repr(error)
                    )
                    stop.wait(BUSY_PAUSE)
                    continue
                delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
                failures += 1
                logger.warning("foljning_avbruten", error=repr(error.__cause__ or error), delay=delay)
                stop.wait(delay)

    def _follow_subscription(self, stop: threading.Event, on_page: Progress | None) -> None:
        after = min(self.positions().values(), default=0)
        handover: Queue[tuple[Any, Tracking] | BaseException] = Queue(maxsize=4 * self.page_size)
        reader_done = threading.Event()
        with ApplicationSubscription(self.log, gt=after) as subscription:
            reader = threading.Thread(
                target=_read_into, args=(subscription, handover, reader_done), name="log-reader", daemon=True
            )
            reader.start()
            try:
                while not stop.is_set():
                    batch = _take_batch(handover, self.page_size)
                    if not batch:
                        continue
                    events = [(tracking.notification_id, event) for event, tracking in batch]
                    last = events[-1][0]
                    self.apply_events(events, after=after, last=last)
                    after = last
                    if on_page is not None:
                        on_page(last)
            finally:
                reader_done.set()
                subscription.stop()
                reader.join()


def _read_into(
    subscription: ApplicationSubscription[UUID],
    handover: Queue[tuple[Any, Tracking] | BaseException],
    done: threading.Event,
) -> None:
    """Hand every (event, tracking) over; on the end of the subscription, hand over why."""
    outcome: BaseException = _SubscriptionEndedError()
    try:
        for item in subscription:
            while not done.is_set():
                try:
                    handover.put(item, timeout=0.2)
                    break
                except Full:
                    continue
            if done.is_set():
                return
    except BaseException as error:  # handed to the applying thread, which raises it
        outcome = _SubscriptionEndedError()
        outcome.__cause__ = error
    while not done.is_set():
        try:
            handover.put(outcome, timeout=0.2)
            return
        except Full:
            continue


def _take_batch(
    handover: Queue[tuple[Any, Tracking] | BaseException], size: int
) -> list[tuple[Any, Tracking]]:
    """Wait briefly for one event, then take whatever else has already arrived, up to `size`."""
    try:
        first = handover.get(timeout=0.2)
    except Empty:
        return []
    batch: list[tuple[Any, Tracking]] = []
    item: tuple[Any, Tracking] | BaseException = first
    while True:
        if isinstance(item, BaseException):
            if batch:
                # Apply what arrived before the end; the end is seen on the next take.
                handover.put(item)
                return batch
            raise item
        batch.append(item)
        if len(batch) >= size:
            return batch
        try:
            item = handover.get_nowait()
        except Empty:
            return batch
