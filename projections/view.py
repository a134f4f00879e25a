"""What every view is: a tracking recorder that owns its tables and applies pages of changes.

A page is applied in one transaction together with its tracking record, so a
crash leaves either the whole page or none of it. The transaction first takes
the view's write lock and reads the view's position: events at or below it
were applied already (by another process catching up the same view) and are
skipped, so two appliers never apply an event twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder

from lerum_flow.projections.batch import Batch
from lerum_flow.projections.rows import Change, Row, TRow

# Notification id and the changes its event makes to this view.
Item = tuple[int, Sequence[Change]]


class ViewBehindError(Exception):
    """The view's position is before the page: it was rebuilt meanwhile; read from its position."""

    def __init__(self, position: int, after: int) -> None:
        super().__init__(f"view at {position}, page starts after {after}")
        self.position = position


class GovernanceView(TrackingRecorder, ABC):
    """A view of the governance log; `row_types` are the tables it owns."""

    row_types: ClassVar[tuple[type[Row], ...]]

    def apply(self, items: Sequence[Item], tracking: Tracking, *, after: int | None) -> int:
        """Apply one page and record `tracking` with it; return how many events were new.

        `after` is the position the page was read from (its items have greater
        ids, up to `tracking`). None means "continue from wherever the view is",
        as the library's ProjectionRunner delivers events one at a time.
        """
        with self._write_transaction() as curs:
            position = self._max_tracking_id(tracking.application_name, curs) or 0
            if after is not None and position < after:
                raise ViewBehindError(position, after)
            if position >= tracking.notification_id:
                return 0
            batch = Batch()
            applied = 0
            for notification_id, changes in items:
                if notification_id > position:
                    batch.add(changes)
                    applied += 1
            self._write(curs, batch)
            self._insert_tracking(curs, tracking)
        return applied

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def dump(self) -> dict[str, list[Row]]:
        """Every row of every table, ordered by key: for comparing two builds."""
        return {row_type.table: list(self.select(row_type)) for row_type in self.row_types}

    def select(self, row_type: type[TRow], **where: object) -> list[TRow]:
        """Rows whose columns equal the given values (a tuple means: one of these), in key order."""
        return self.query(row_type, where)

    @abstractmethod
    def query(
        self,
        row_type: type[TRow],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TRow]:
        """Rows meeting `where` (a value: equal; a tuple: one of these; a `sql.Range`: within it),
        ordered by `order_by` and then the key; with `limit`, one page from `offset`."""

    @abstractmethod
    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        """How many rows `query` finds with these conditions, unpaged."""

    @abstractmethod
    def reset(self, application_name: str) -> None:
        """Drop the rows and the position, so the view is rebuilt from the first event."""

    @abstractmethod
    def _write_transaction(self) -> AbstractContextManager[Any]:
        """A transaction holding the view's write lock until it ends."""

    @abstractmethod
    def _write(self, curs: Any, batch: Batch) -> None:
        """Send the batch's inserts and updates."""

    @abstractmethod
    def _max_tracking_id(self, application_name: str, curs: Any) -> int | None:
        """The library's own query for the position, inside a transaction."""

    @abstractmethod
    def _insert_tracking(self, curs: Any, tracking: Tracking) -> None:
        """The library's own tracking insert, inside the same transaction as the rows."""
