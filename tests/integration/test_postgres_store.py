"""The governance store's PostgreSQL recorder: the library's own suite, and what one save sends."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from postgres_server import datastore_for

# The library's test module imports its AES cipher, which needs pycryptodome
# (eventsourcing[crypto]); without it the suite cannot even be collected.
pytest.importorskip("Crypto", reason="pycryptodome (eventsourcing[crypto]) is needed by eventsourcing.tests")

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.tests.persistence import ApplicationRecorderTestCase
from eventsourcing.utils import get_topic
from psycopg import pq
from unit.governance_world import governance, seed

from lerum_flow.postgres_store import OneRoundTripRecorder
from lerum_flow.settings import Settings

pytestmark = pytest.mark.postgres


def _recorder(url: str) -> OneRoundTripRecorder:
    recorder = OneRoundTripRecorder(datastore_for(url))
    recorder.create_table()
    return recorder


def _event(originator: UUID, version: int, topic: str = "t") -> StoredEvent:
    return StoredEvent(originator_id=originator, originator_version=version, topic=topic, state=b"{}")


class TestOneRoundTripRecorderPassesTheLibrarySuite(ApplicationRecorderTestCase[OneRoundTripRecorder]):
    """The library's application recorder tests (conflicts, concurrent writers, subscriptions)."""

    @pytest.fixture(autouse=True)
    def _database(self, postgres_database_url: str) -> None:
        self.url = postgres_database_url

    def create_recorder(self) -> OneRoundTripRecorder:
        return _recorder(self.url)


@contextmanager
def _protocol_trace(recorder: OneRoundTripRecorder) -> Iterator[list[tuple[str, str, str]]]:
    """The messages the recorder's one pooled connection exchanges in the block, as
    (direction F/B, message type, rest), from libpq's own trace."""
    messages: list[tuple[str, str, str]] = []
    with recorder.datastore.get_connection() as conn:
        pgconn = conn.pgconn
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        pgconn.trace(fd)
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield messages
        finally:
            pgconn.untrace()
            os.close(fd)
        for line in path.read_text().splitlines():
            direction, _length, kind, *rest = line.split("\t")
            messages.append((direction, kind, rest[0].strip() if rest else ""))


@pytest.mark.parametrize("events", [1, 3])
def test_a_save_sends_the_library_statements_in_one_transaction_and_waits_once(
    postgres_database_url: str, events: int
) -> None:
    """BEGIN, the lock that orders commits, NOTIFY, the INSERT and COMMIT go out together,
    and the client waits on the server once (one Sync), not once per step."""
    recorder = _recorder(postgres_database_url)  # one connection in the pool: all goes through it
    for first_on_connection in (True, False):
        with _protocol_trace(recorder) as messages:
            ids = recorder.insert_events([_event(uuid4(), 1) for _ in range(events)])
        assert ids is not None
        assert len(ids) == events
        syncs = [m for m in messages if m[1] == "Sync"]
        waits = sum(1 for before, after in pairwise(messages) if (before[0], after[0]) == ("F", "B"))
        assert (len(syncs), waits) == (1, 1), messages
        if first_on_connection:
            # Statements appear in full where they are parsed: on a connection's first save.
            parsed = [rest for direction, kind, rest in messages if (direction, kind) == ("F", "Parse")]
            expected = [
                "BEGIN",
                "SET LOCAL lock_timeout",
                "LOCK TABLE",
                "IN EXCLUSIVE MODE",
                "NOTIFY",
                "INSERT",
            ]
            text = " | ".join(parsed)
            positions = [text.find(word) for word in [*expected, "COMMIT"]]
            assert -1 not in positions, text
            assert positions == sorted(positions), text
        completed = [
            rest for direction, kind, rest in messages if (direction, kind) == ("B", "CommandComplete")
        ]
        assert [c.strip('"').split()[0] for c in completed] == [
            "BEGIN",
            "SET",
            "LOCK",
            "NOTIFY",
            "INSERT",
            "COMMIT",
        ]


def test_a_failed_save_stores_none_of_its_events_and_leaves_the_connection_idle(
    postgres_database_url: str,
) -> None:
    recorder = _recorder(postgres_database_url)  # pool of one: the next save reuses the connection
    originator = uuid4()
    recorder.insert_events([_event(originator, 1)])
    with pytest.raises(IntegrityError):
        recorder.insert_events([_event(originator, 1)])
    with pytest.raises(IntegrityError):
        recorder.insert_events([_event(uuid4(), 1), _event(originator, 1)])
    with recorder.datastore.get_connection() as conn:
        assert conn.pgconn.transaction_status == pq.TransactionStatus.IDLE
    recorder.insert_events([_event(originator, 2)])
    assert recorder.max_notification_id() is not None
    assert [n.originator_version for n in recorder.select_notifications(start=None, limit=10)] == [1, 2]


def test_a_save_waits_for_the_table_lock(postgres_database_url: str) -> None:
    """The EXCLUSIVE table lock that keeps the notification log gap-free is still taken:
    a save waits behind a ROW SHARE lock, which a plain INSERT would pass."""
    recorder = _recorder(postgres_database_url)
    recorder.insert_events([_event(uuid4(), 1)])  # the table exists and the connection is warm
    saved = threading.Event()
    with psycopg.connect(postgres_database_url) as holder:
        holder.execute(f"LOCK TABLE {recorder.events_table_name} IN ROW SHARE MODE")

        def write() -> None:
            recorder.insert_events([_event(uuid4(), 1)])
            saved.set()

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        assert not saved.is_set()
        holder.rollback()
    writer.join(timeout=10)
    assert saved.is_set()


def test_governance_on_postgres_saves_with_the_one_round_trip_recorder(postgres_database_url: str) -> None:
    env = Settings(database_url=postgres_database_url).eventsourcing_env("governance")
    app = governance(env)
    try:
        assert type(app.recorder) is OneRoundTripRecorder
        seed(app)  # creates and later commands, through the recorder
        assert (app.recorder.max_notification_id() or 0) > 0
    finally:
        app.close()


def test_a_recorder_named_in_the_environment_is_kept(postgres_database_url: str) -> None:
    env = Settings(database_url=postgres_database_url).eventsourcing_env("governance")
    app = governance(env | {"APPLICATION_RECORDER_TOPIC": get_topic(PostgresApplicationRecorder)})
    try:
        assert type(app.recorder) is PostgresApplicationRecorder
    finally:
        app.close()


def test_notification_ids_follow_the_order_of_the_events_saved_together(postgres_database_url: str) -> None:
    recorder = _recorder(postgres_database_url)
    originators = [uuid4() for _ in range(5)]
    ids = recorder.insert_events([_event(o, 1, topic=f"t{i}") for i, o in enumerate(originators)])
    assert ids is not None
    assert list(ids) == sorted(ids)
    stored = recorder.select_notifications(start=None, limit=10)
    assert [(n.id, n.originator_id, n.topic) for n in stored] == [
        (i, o, f"t{n}") for n, (i, o) in enumerate(zip(ids, originators, strict=True))
    ]
