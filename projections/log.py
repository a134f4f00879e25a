"""The governance event store read as a log: in pages, and followable.

`GovernanceLog` is an Application named like `Governance` (so it reads the same
store with the same settings and tracks positions under the same name) and
decoding events the same way, without needing a styrmodell. Its recorder
polls (see `lerum_flow.subscription`), so it can be followed on SQLite too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, Notification, Transcoder
from eventsourcing.utils import Environment, EnvType

from lerum_flow.application import Governance
from lerum_flow.opening import opened
from lerum_flow.persistence import governance_transcoder
from lerum_flow.record_ids import IdQueries
from lerum_flow.subscription import polling_recorder_env

# Measured with `lerum-flow bench` (read figures): pages of 10 (the notification log's
# default) read 3-4 times slower than pages of a hundred or more. A page is also one
# transaction per view: a rebuild of a mandate period (348k events, SQLite) took 24 s
# with pages of 1,000 and 17.5 s with 10,000 (commits and their WAL checkpoints).
DEFAULT_PAGE_SIZE = 10_000


class GovernanceLog(IdQueries, Application[UUID]):
    name = Governance.name

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        environment = super().construct_env(name, env)
        return Environment(environment.name, polling_recorder_env(environment))

    def construct_recorder(self) -> ApplicationRecorder:
        return opened(super().construct_recorder)

    def construct_transcoder(self) -> Transcoder:
        return governance_transcoder(self)


@dataclass(frozen=True)
class Page:
    """Notifications with ids after `after`, up to and including `last`."""

    after: int
    last: int
    notifications: Sequence[Notification]


def head(recorder: ApplicationRecorder) -> int:
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
