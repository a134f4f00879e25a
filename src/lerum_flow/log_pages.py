"""The one pager over the notification log: pages from a position up to another, in order.

The relay, the projections, the as-of replay and the queries of `Governance`
read the log in order through `pages` here, so "up to" and "the last page"
mean the same for them. The integrity chain reads the stored rows with its
own SQL (it must see every row, on the log or not), not through this pager.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from eventsourcing.persistence import ApplicationRecorder, Notification


@dataclass(frozen=True)
class Page:
    """Notifications with ids after `after`, up to and including `last`."""

    after: int
    last: int
    notifications: Sequence[Notification]


def head(recorder: ApplicationRecorder) -> int:
    """The id of the last notification in the log (0 for an empty log)."""
    return recorder.max_notification_id() or 0


class PageReader(Protocol):
    """Reads the log from `after` to `upto` in pages (`pages` below, or a narrower reader)."""

    def __call__(
        self, recorder: ApplicationRecorder, *, after: int, upto: int, size: int, topics: Sequence[str] = ()
    ) -> Iterator[Page]: ...


def pages(
    recorder: ApplicationRecorder, *, after: int, upto: int, size: int, topics: Sequence[str] = ()
) -> Iterator[Page]:
    """The log from `after` to `upto` in pages of at most `size` notifications.

    With `topics`, only notifications of those topics are read (filtered by the database).
    """

    def select(position: int) -> Sequence[Notification]:
        return recorder.select_notifications(
            start=position, limit=size, stop=upto, topics=topics, inclusive_of_start=False
        )

    return paged(select, after=after, upto=upto, size=size)


def paged(
    select: Callable[[int], Sequence[Notification]], *, after: int, upto: int, size: int
) -> Iterator[Page]:
    """Pages from `select(position)` (at most `size` notifications after `position`, up to `upto`).

    A page that comes back short is the last: it reaches `upto`, so whoever applies
    it moves on to `upto` even when nothing there was of interest.
    """
    position = after
    while position < upto:
        notifications = select(position)
        last = notifications[-1].id if len(notifications) >= size else upto
        yield Page(position, last, notifications)
        position = last
