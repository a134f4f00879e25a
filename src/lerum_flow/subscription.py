"""Following the event store's notification log: subscriptions that also poll.

SQLite cannot notify, so its application recorder has no `subscribe()`; here
it gets one that wakes every `POLL_INTERVAL` to look for new events. On
PostgreSQL, LISTEN/NOTIFY wakes a follower at once, but a NOTIFY is lost with
its connection, so the same polling runs beside it as a backstop. Each recorder
is chosen by topic (`APPLICATION_RECORDER_TOPIC`), so any Application built
with `polling_recorder_env(env)` can be followed with the library's own
`ApplicationSubscription` and `ProjectionRunner`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, Subscription
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresSubscription
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic

POLL_INTERVAL = 0.2


class _Polling:
    """Sets the library's "has been notified" flag every interval, until stopped.

    The flag is the subscription's own wake-up: its pull thread then selects
    the next page of notifications after the last one it has seen.
    """

    _has_been_notified: threading.Event

    def __init__(self, *args: Any, interval: float = POLL_INTERVAL, **kwargs: Any) -> None:
        # Exists before the base class starts its pull thread, which may call stop().
        self._stopping = threading.Event()
        self._interval = interval
        super().__init__(*args, **kwargs)
        self._poll_thread = threading.Thread(target=self._poll, name="log-poll", daemon=True)
        self._poll_thread.start()

    def _poll(self) -> None:
        while not self._stopping.wait(self._interval):
            self._has_been_notified.set()

    def stop(self) -> None:
        self._stopping.set()
        super().stop()  # type: ignore[misc]

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)  # type: ignore[misc]
        finally:
            self._poll_thread.join()


class PollingSubscription(_Polling, ListenNotifySubscription[ApplicationRecorder]):
    """A subscription that only polls: for recorders that cannot notify (SQLite)."""


class PollingPostgresSubscription(_Polling, PostgresSubscription):
    """LISTEN/NOTIFY for speed, polling so that a lost NOTIFY never stalls a follower."""


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(recorder=self, gt=gt, topics=topics)


class PollingPostgresApplicationRecorder(PostgresApplicationRecorder):
    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingPostgresSubscription(recorder=self, gt=gt, topics=topics)


_RECORDERS: Mapping[str, type[ApplicationRecorder]] = {
    "eventsourcing.sqlite": PollingSQLiteApplicationRecorder,
    "eventsourcing.postgres": PollingPostgresApplicationRecorder,
}


def polling_recorder_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` with the polling recorder of its persistence module, unless a recorder is chosen."""
    result = dict(env)
    recorder = _RECORDERS.get(result.get("PERSISTENCE_MODULE", ""))
    if recorder is not None:
        result.setdefault("APPLICATION_RECORDER_TOPIC", get_topic(recorder))
    return result
