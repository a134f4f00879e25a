"""The governance store's PostgreSQL recorder: the library's save in one round trip.

The library's recorder (eventsourcing 9.5.6) saves in a psycopg pipeline inside
`conn.transaction()`, which waits on the server five times per save: BEGIN, then
the lock, NOTIFY and INSERT, then a Sync, then COMMIT, then another Sync
(counted with libpq's trace in `lerum-flow bench`'s single commands; a plain
INSERT + COMMIT waits three times). Here the same statements, in the same
single transaction, are sent as one pipeline ending in one Sync:

    BEGIN; SET LOCAL lock_timeout; LOCK TABLE ... IN EXCLUSIVE MODE; NOTIFY;
    INSERT ... RETURNING notification_id; COMMIT

so the client waits once. A save in a command's turn carries one statement more,
after the table lock: the store lock's check (`store_lock.LOCK_CHECK`), which fails
the save, rolled back, if the lock was lost. Nothing is weakened: the table lock still orders
commits as notification ids, the NOTIFY still goes out on commit, and COMMIT
still returns only once the server has flushed it (synchronous_commit is the
server's, untouched). If any statement fails the server skips the rest up to
the Sync, COMMIT included, and the transaction is rolled back here; a duplicate
(originator_id, version) is the library's IntegrityError as before, and a lock
timeout or a lost connection is retried as the library retries it.

The INSERT is the library's INSERT ... SELECT FROM unnest() with the rows sent
as four binary arrays, not as one array of the library's composite type, which
psycopg can only send as text (each state hex-escaped, then quoted again for
the array, then parsed back by the server): about 0.2 ms per save of one event
and ten times the cost at a hundred events. Rows keep their order, so
notification ids still follow the order of the events, as the library relies
on. Statements are turned into bytes once rather than composed and escaped
again on every execution.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any, cast

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.abc import Query
from psycopg.pq import ConnStatus, TransactionStatus
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Identifier

from lerum_flow.store_lock import LOCK_CHECK, LOST_SQLSTATE, lost

BEGIN = b"BEGIN"
COMMIT = b"COMMIT"
SelectShape = tuple[bool, bool, bool, bool]


def _bytes(statement: Query) -> bytes:
    if isinstance(statement, bytes):
        return statement
    if isinstance(statement, str):
        return statement.encode()
    if isinstance(statement, Composable):
        # Identifiers quoted without a connection: the library's names are ASCII.
        return statement.as_bytes(None)
    raise TypeError(f"Not a statement the recorder composes: {statement!r}")


class OneRoundTripRecorder(PostgresApplicationRecorder):
    """PostgresApplicationRecorder whose save is one round trip to the server."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        # %b: binary arrays (psycopg's default for a list is text, bytea hex-escaped).
        self._insert_sql = _bytes(
            SQL(
                "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
                "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
                "RETURNING notification_id"
            ).format(
                schema=Identifier(self.datastore.schema),
                table=Identifier(self.events_table_name),
                id_type=Identifier(self.datastore.originator_id_type),
            )
        )
        # One event, as most saves of single commands are: a plain INSERT ... VALUES (about
        # 0.15 ms less than unnest() of one-element arrays, measured on the local server).
        self._insert_one_sql = _bytes(
            SQL(
                "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %b) RETURNING notification_id"
            ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        )
        self._lock_sql = [_bytes(s) for s in self.lock_table_statements]
        self._notify_sql = _bytes(SQL("NOTIFY {0}").format(Identifier(self.channel_name)))
        self._select_sql: dict[SelectShape, bytes] = {}

    @property
    def checks_in_save(self) -> bool:
        """Whether a save runs the store lock's check (`LOCK_CHECK`) in its transaction: not when
        it saves through the library's database functions."""
        return not self.datastore.enable_db_functions

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if self.datastore.enable_db_functions or not stored_events:
            return cast("Sequence[int] | None", super().insert_events(stored_events, **kwargs))
        return cast("Sequence[int] | None", self._insert_in_one_round_trip(stored_events, **kwargs))

    # As the library's insert_events: a lost connection or a lock timeout is tried again.
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_in_one_round_trip(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn:
            assert conn.autocommit
            # Two cursors: a cursor holds the results of its last statement, and the INSERT's
            # (the notification ids) are wanted, not COMMIT's.
            with conn.cursor() as inserting, conn.cursor() as committing:
                try:
                    # Commands are queued and sent together; leaving the block sends the one
                    # Sync and waits for all the results, raising the first error among them.
                    with conn.pipeline():
                        inserting.execute(BEGIN, prepare=False)
                        self._insert_events(inserting, stored_events, **kwargs)
                        self._insert_stored_events(inserting, stored_events, **kwargs)
                        committing.execute(COMMIT, prepare=False)
                except BaseException as error:
                    # As conn.transaction() would: no transaction is left open on a pooled
                    # connection (a connection that cannot even roll back is the pool's to drop).
                    if conn.pgconn.status == ConnStatus.OK and conn.pgconn.transaction_status in (
                        TransactionStatus.INTRANS,
                        TransactionStatus.INERROR,
                    ):
                        with suppress(psycopg.Error):
                            conn.rollback()
                    if isinstance(error, psycopg.Error) and error.sqlstate == LOST_SQLSTATE:
                        raise lost() from None
                    raise
                return self._fetch_ids_after_insert_events(inserting, stored_events, **kwargs)

    def _lock_table(self, curs: Cursor[DictRow]) -> None:
        for statement in self._lock_sql:
            curs.execute(statement, prepare=True)

    def _notify_channel(self, curs: Cursor[DictRow]) -> None:
        curs.execute(self._notify_sql)

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        check = kwargs.get(LOCK_CHECK)
        if check is not None:
            curs.execute(check, prepare=False)
        self._notify_channel(curs)
        if len(stored_events) == 1:
            (e,) = stored_events
            curs.execute(self._insert_one_sql, (e.originator_id, e.originator_version, e.topic, e.state))
            return
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        curs.execute(self._insert_sql, columns)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """The library's select_events, its statement built once per shape of query."""
        shape = (gt is not None, lte is not None, desc, limit is not None)
        statement = self._select_sql.get(shape)
        if statement is None:
            statement = self._select_sql[shape] = self._select_statement(*shape)
        params = [originator_id, *(p for p in (gt, lte, limit) if p is not None)]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def _select_statement(self, gt: bool, lte: bool, desc: bool, limit: bool) -> bytes:
        # As the library composes it, clause for clause.
        statement = self.select_events_statement
        if gt:
            statement += SQL(" AND originator_version > %s")
        if lte:
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version")
        statement += SQL(" DESC") if desc else SQL(" ASC")
        if limit:
            statement += SQL(" LIMIT %s")
        return _bytes(statement)
