"""The stored events of some topics, up to a position in the log, record by record (each record's
events in the order it recorded them), read straight from the events table.

Why: a view whose rows each belong to one record can fold a record's events whole and write its
history once, in the order of its key (`record_rebuild`). Read in log order, the same rebuild
holds every record's history until its last event, or writes it early and reads it back. Within
one record, version order is log order: a record's events are appended one after another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from lerum_flow.persistence import dashed
from lerum_flow.projections.rows import Row

# Rows fetched per round trip.
FETCH_ROWS = 2_000


class StoredEvent(NamedTuple):
    """One stored event as the table holds it (its state still encoded)."""

    # As `str(UUID)` spells it: the text a view stores its rows' ids as.
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def can_read(recorder: ApplicationRecorder) -> bool:
    """Whether this store's events table can be read here (SQLite or PostgreSQL)."""
    return isinstance(recorder, SQLiteApplicationRecorder | PostgresApplicationRecorder)


def records(recorder: ApplicationRecorder, topics: Sequence[str], upto: int) -> Iterator[list[StoredEvent]]:
    """Each record's events of `topics` with notification ids up to `upto`, one list per record,
    records in the order of their ids."""
    record: list[StoredEvent] = []
    for event in _in_record_order(recorder, list(topics), upto):
        if record and record[0].originator_id != event.originator_id:
            yield record
            record = []
        record.append(event)
    if record:
        yield record


def _in_record_order(recorder: ApplicationRecorder, topics: list[str], upto: int) -> Iterator[StoredEvent]:
    if isinstance(recorder, SQLiteApplicationRecorder):
        yield from _sqlite(recorder, topics, upto)
    elif isinstance(recorder, PostgresApplicationRecorder):
        yield from _postgres(recorder, topics, upto)
    else:
        raise TypeError(f"{type(recorder).__name__}: no events table to read")


def _sqlite(recorder: SQLiteApplicationRecorder, topics: list[str], upto: int) -> Iterator[StoredEvent]:
    # `originator_id || ''` has SQLite sort the rows instead of walking the key's index, which
    # fetches every event from the table at random (a Lerum mandate period: 1.1 s sorted, 1.8 s walked).
    statement = (
        "SELECT originator_id, originator_version, topic, state "  # noqa: S608 - the library's table name
        f"FROM {recorder.events_table_name} WHERE rowid <= ? AND topic IN ({','.join('?' * len(topics))}) "
        "ORDER BY originator_id || '', originator_version"
    )
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(statement, [upto, *topics])
        # The library's cursor wraps sqlite3's, which reads a batch at a time.
        while found := curs.sqlite_cursor.fetchmany(FETCH_ROWS):
            for originator_id, version, topic, state in found:
                yield StoredEvent(_id_text(originator_id), version, topic, state)


def _postgres(recorder: PostgresApplicationRecorder, topics: list[str], upto: int) -> Iterator[StoredEvent]:
    statement = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
        "WHERE notification_id <= %s AND topic = ANY(%s::text[]) "
        "ORDER BY originator_id, originator_version"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    connection: Any
    # A server-side cursor: the server holds the answer and sends a batch when asked.
    with (
        recorder.datastore.get_connection() as connection,
        connection.transaction(),
        connection.cursor(name="events_by_record", row_factory=tuple_row) as curs,
    ):
        curs.execute(statement, (upto, topics))
        while found := curs.fetchmany(FETCH_ROWS):
            for originator_id, version, topic, state in found:
                yield StoredEvent(str(originator_id), version, topic, bytes(state))


# Rows as the database stores them (`GovernanceView.write_stored`), per table.
StoredRows = dict[type[Row], list[tuple[object, ...]]]
# Folds one record's stored events (in order) into the rows they make, added to the rows given.
RecordFold = Callable[[Sequence[StoredEvent], StoredRows], None]


def _id_text(stored: str) -> str:
    """`str(UUID(stored))`: the library stores an id's `.hex`, which needs only its dashes."""
    if len(stored) == 32 and stored.islower():
        return dashed(stored)
    return str(UUID(stored))
