"""The event rows and the seal on PostgreSQL: both in the store's database and schema,
the seal in tables of its own next to the library's event table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection, sql
from psycopg.rows import DictRow, tuple_row

from lerum_flow.integrity.chain import Identity, StoredRow, canonical_id
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.comparison import SealRow
from lerum_flow.integrity.stores import (
    CHECKPOINT_SIGNATURES_TABLE,
    CHECKPOINTS_TABLE,
    LINK_SIGNATURES_TABLE,
    PAGE_SIZE,
    SEALS_TABLE,
    CheckpointSignature,
    EventReader,
    NoSeal,
    SealReader,
    SealWriter,
    as_bytes,
    checkpoint_from,
    missing_event_table,
    seal_row_from,
)

# One snapshot for the whole check, and a promise to the server that it writes nothing.
_READ_ONLY_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"

# Each row beside the one before it in its record, by version (see sqlite_stores): the ids as
# `rows` reads them, NULLs irregular as Python reads them as no version. Unlike SQLite's rowid,
# the notification id can be made to repeat (its unique index dropped: caught by a record's
# positions not rising with its versions) or to be missing (NOT NULL dropped): such a row is in
# no range of positions, yet the record's own read returns it, so it is named whatever the range.
_IRREGULAR = (
    "SELECT DISTINCT translate(originator_id::text, '-', '') FROM (SELECT originator_id, "
    "notification_id AS position, originator_version AS version, "
    "lag(originator_version, 1, 0::bigint) OVER w AS previous_version, "
    "lag(notification_id) OVER w AS previous_position FROM {table} "
    "WHERE (notification_id > %s AND notification_id <= %s) OR notification_id IS NULL "
    "WINDOW w AS (PARTITION BY originator_id ORDER BY originator_version)) AS numbered "
    "WHERE position <= 0 OR position IS NULL OR originator_id IS NULL OR version IS NULL "
    "OR version <> previous_version + 1 OR position <= previous_position"
)

_COLUMNS = (
    # The id as 32 hex digits, as SQLite stores it: the same chain on both, and
    # no uuid object to build per row.
    "SELECT notification_id, translate(originator_id::text, '-', ''), originator_version, "
    "topic, state FROM {table} "
)
# Rows sharing a notification id come in no set order (the ledger finds two versions of a record
# at one id either way); a second sort key would cost a sort per page (measured: 12 % slower).
_PAGE = _COLUMNS + "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id LIMIT %s"
_AT = _COLUMNS + "WHERE notification_id = %s"
_UNPLACED = (
    "SELECT 0, translate(originator_id::text, '-', ''), originator_version, topic, state FROM {table} "
    "WHERE notification_id IS NULL ORDER BY originator_id, originator_version"
)


@contextmanager
def _snapshot(datastore: PostgresDatastore) -> Iterator[Connection[DictRow]]:
    with datastore.get_connection() as connection, connection.transaction(force_rollback=True):
        connection.execute(_READ_ONLY_SNAPSHOT)
        yield connection


class PostgresEventLog:
    def __init__(self, datastore: PostgresDatastore, table: str) -> None:
        self._datastore = datastore
        self._name = f"{datastore.schema}.{table}"
        self._table = sql.Identifier(datastore.schema, table)

    @contextmanager
    def reading(self) -> Iterator[EventReader]:
        with _snapshot(self._datastore) as connection:
            found = connection.cursor(row_factory=tuple_row).execute(
                "SELECT to_regclass(%s) IS NOT NULL", (self._name,)
            )
            exists = found.fetchone()
            if exists is None or not exists[0]:
                raise missing_event_table(self._name)
            yield _PostgresEventReader(connection, self._table)

    def make_append_only(self) -> None:
        """Done by deploy/postgres/append_only.sql as the owner: the writer may not create triggers."""


class _PostgresEventReader:
    def __init__(self, connection: Connection[DictRow], table: sql.Identifier) -> None:
        self._connection = connection
        self._table = table

    def _query(self, statement: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        cursor = self._connection.cursor(row_factory=tuple_row)
        return cursor.execute(sql.SQL(statement).format(table=self._table), params).fetchall()

    def max_position(self) -> int:
        return _int(self._query("SELECT max(notification_id) FROM {table}")[0][0])

    def rows(self, after: int, upto: int) -> Iterator[StoredRow]:
        cursor = self._connection.cursor(row_factory=tuple_row)
        page_statement = sql.SQL(_PAGE).format(table=self._table)
        at_statement = sql.SQL(_AT).format(table=self._table)
        while True:
            page = cursor.execute(page_statement, (after, upto, PAGE_SIZE)).fetchall()
            if len(page) < PAGE_SIZE:
                yield from map(StoredRow._make, page)
                return
            # The next page starts after the last id read: rows sharing it may not all be in this
            # page, so they are read together (a repeated id would otherwise lose rows here).
            last = page[-1][0]
            yield from (StoredRow._make(row) for row in page if row[0] != last)
            yield from map(StoredRow._make, cursor.execute(at_statement, (last,)).fetchall())
            after = last

    def unplaced_rows(self) -> Iterator[StoredRow]:
        # At position 0: off the chain, as a row with no position is.
        return map(StoredRow._make, self._query(_UNPLACED))

    def count_after(self, position: int) -> int:
        return _int(self._query("SELECT count(*) FROM {table} WHERE notification_id > %s", (position,))[0][0])

    def irregular_records(self, after: int, upto: int) -> set[str]:
        rows = self._query(_IRREGULAR, (after, upto))
        return {canonical_id(row[0]) for row in rows}

    def stored_position(self, identity: Identity) -> int | None:
        try:
            originator_id = UUID(hex=identity.originator_id)
        except ValueError:
            return None  # not an id this table can hold
        rows = self._query(
            "SELECT notification_id FROM {table} WHERE originator_id = %s AND originator_version = %s",
            (originator_id, identity.originator_version),
        )
        return _int(rows[0][0]) if rows else None

    def topics(self, upto: int) -> list[str]:
        rows = self._query("SELECT DISTINCT topic FROM {table} WHERE notification_id <= %s", (upto,))
        return sorted(str(row[0]) for row in rows)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int) else 0


class PostgresSealStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self._datastore = datastore
        schema = datastore.schema
        self._seals = sql.Identifier(schema, SEALS_TABLE)
        self._checkpoints = sql.Identifier(schema, CHECKPOINTS_TABLE)
        self._names = (f"{schema}.{SEALS_TABLE}", f"{schema}.{CHECKPOINTS_TABLE}")
        self._signature_names = (
            f"{schema}.{LINK_SIGNATURES_TABLE}",
            f"{schema}.{CHECKPOINT_SIGNATURES_TABLE}",
        )
        self._link_signatures = sql.Identifier(schema, LINK_SIGNATURES_TABLE)
        self._checkpoint_signatures = sql.Identifier(schema, CHECKPOINT_SIGNATURES_TABLE)
        digest = hashlib.blake2b(f"{schema}.{SEALS_TABLE}".encode(), digest_size=8).digest()
        self._lock_key = int.from_bytes(digest, "big", signed=True)

    def _create_statements(self) -> list[sql.Composed]:
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {seals} (position bigint PRIMARY KEY, "
                "originator_id text NOT NULL, originator_version bigint NOT NULL, digest bytea NOT NULL)"
            ).format(seals=self._seals),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {index} ON {seals} (originator_id, originator_version)"
            ).format(index=sql.Identifier(f"{SEALS_TABLE}_identity_idx"), seals=self._seals),
            # sealed_at is text: the exact string that was hashed, not a re-rendered timestamp.
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {checkpoints} (number bigint PRIMARY KEY, "
                "position bigint NOT NULL, event_count bigint NOT NULL, link text NOT NULL, "
                "sealed_at text NOT NULL, previous text NOT NULL, hash text NOT NULL)"
            ).format(checkpoints=self._checkpoints),
        ]

    def _create_signature_statements(self) -> list[sql.Composed]:
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {signatures} "
                "(position bigint PRIMARY KEY, signature bytea NOT NULL)"
            ).format(signatures=self._link_signatures),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {signatures} (number bigint PRIMARY KEY, "
                "public_key text NOT NULL, signature bytea NOT NULL)"
            ).format(signatures=self._checkpoint_signatures),
        ]

    def _exists(self, connection: Connection[DictRow], names: tuple[str, str] | None = None) -> bool:
        found = connection.cursor(row_factory=tuple_row).execute(
            "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL", names or self._names
        )
        row = found.fetchone()
        return row is not None and bool(row[0])

    def _seal(self, connection: Connection[DictRow]) -> _PostgresSeal:
        signatures = (
            (self._link_signatures, self._checkpoint_signatures)
            if self._exists(connection, self._signature_names)
            else None
        )
        return _PostgresSeal(connection, self._seals, self._checkpoints, signatures)

    @contextmanager
    def reading(self) -> Iterator[SealReader]:
        with _snapshot(self._datastore) as connection:
            if self._exists(connection):
                yield self._seal(connection)
            else:
                yield NoSeal()

    @contextmanager
    def sealing(self) -> Iterator[SealWriter]:
        with self._datastore.get_connection() as connection, connection.transaction():
            # Serialises seals (and the first CREATE TABLE) without blocking the writers.
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            # Only when missing: even CREATE ... IF NOT EXISTS needs CREATE on the
            # schema, which a writer role without DDL rights does not have.
            if not self._exists(connection):
                for statement in self._create_statements():
                    connection.execute(statement)
            if not self._exists(connection, self._signature_names):
                for statement in self._create_signature_statements():
                    connection.execute(statement)
            yield self._seal(connection)


class _PostgresSeal:
    def __init__(
        self,
        connection: Connection[DictRow],
        seals: sql.Identifier,
        checkpoints: sql.Identifier,
        # The link and checkpoint signature tables; None in a seal made before signatures existed.
        signatures: tuple[sql.Identifier, sql.Identifier] | None,
    ) -> None:
        self._connection = connection
        self._seals = seals
        self._checkpoints = checkpoints
        self._signatures = signatures

    def _query(self, statement: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        cursor = self._connection.cursor(row_factory=tuple_row)
        composed = sql.SQL(statement).format(seals=self._seals, checkpoints=self._checkpoints)
        return cursor.execute(composed, params).fetchall()

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._query(
            "SELECT number, position, event_count, link, sealed_at, previous, hash "
            "FROM {checkpoints} ORDER BY number"
        )
        return [checkpoint_from(row) for row in rows]

    def max_position(self) -> int:
        return _int(self._query("SELECT max(position) FROM {seals}")[0][0])

    def rows(self, after: int, upto: int) -> Iterator[SealRow]:
        cursor = self._connection.cursor(row_factory=tuple_row)
        statement = sql.SQL(
            "SELECT position, originator_id, originator_version, digest FROM {seals} "
            "WHERE position > %s AND position <= %s ORDER BY position LIMIT %s"
        ).format(seals=self._seals)
        while True:
            page = cursor.execute(statement, (after, upto, PAGE_SIZE)).fetchall()
            yield from map(seal_row_from, page)
            if len(page) < PAGE_SIZE:
                return
            after = _int(page[-1][0])

    def sealed_position(self, identity: Identity) -> int | None:
        rows = self._query(
            "SELECT position FROM {seals} WHERE originator_id = %s AND originator_version = %s "
            "ORDER BY position LIMIT 1",
            tuple(identity),
        )
        return _int(rows[0][0]) if rows else None

    def add_rows(self, rows: Sequence[SealRow]) -> None:
        statement = sql.SQL(
            "COPY {seals} (position, originator_id, originator_version, digest) FROM STDIN"
        ).format(seals=self._seals)
        with self._connection.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._connection.execute(
            sql.SQL(
                "INSERT INTO {checkpoints} (number, position, event_count, link, sealed_at, "
                "previous, hash) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            ).format(checkpoints=self._checkpoints),
            (
                checkpoint.number,
                checkpoint.position,
                checkpoint.event_count,
                checkpoint.link,
                checkpoint.sealed_at,
                checkpoint.previous,
                checkpoint.hash,
            ),
        )

    def _signed_query(self, statement: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        assert self._signatures is not None
        links, checkpoints = self._signatures
        composed = sql.SQL(statement).format(links=links, checkpoints=checkpoints)
        return self._connection.cursor(row_factory=tuple_row).execute(composed, params).fetchall()

    def link_signatures(self, after: int, upto: int) -> dict[int, bytes]:
        if self._signatures is None:
            return {}
        rows = self._signed_query(
            "SELECT position, signature FROM {links} WHERE position > %s AND position <= %s", (after, upto)
        )
        return {_int(position): as_bytes(signature) for position, signature in rows}

    def checkpoint_signatures(self) -> dict[int, CheckpointSignature]:
        if self._signatures is None:
            return {}
        rows = self._signed_query("SELECT number, public_key, signature FROM {checkpoints}")
        return {_int(number): CheckpointSignature(str(key), as_bytes(sig)) for number, key, sig in rows}

    def add_link_signatures(self, signatures: Sequence[tuple[int, bytes]]) -> None:
        if signatures:
            self._signed_query_many("INSERT INTO {links} (position, signature) VALUES (%s, %s)", signatures)

    def add_checkpoint_signature(self, number: int, signature: CheckpointSignature) -> None:
        self._signed_query_many(
            "INSERT INTO {checkpoints} (number, public_key, signature) VALUES (%s, %s, %s)",
            [(number, *signature)],
        )

    def _signed_query_many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        assert self._signatures is not None
        links, checkpoints = self._signatures
        composed = sql.SQL(statement).format(links=links, checkpoints=checkpoints)
        self._connection.cursor().executemany(composed, rows)
