"""The event rows and the seal on SQLite: the event table read through the application's
datastore, the seal kept in a file of its own beside the event store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from eventsourcing.sqlite import SQLiteDatastore

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

# Table names below come from this module or the library's recorder, never
# from input, which is why the statements are built as strings.
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {SEALS_TABLE} (position INTEGER PRIMARY KEY, "
    "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, digest BLOB NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {SEALS_TABLE}_identity ON {SEALS_TABLE} (originator_id, originator_version)",
    f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS_TABLE} (number INTEGER PRIMARY KEY, "
    "position INTEGER NOT NULL, event_count INTEGER NOT NULL, link TEXT NOT NULL, "
    "sealed_at TEXT NOT NULL, previous TEXT NOT NULL, hash TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {LINK_SIGNATURES_TABLE} "
    "(position INTEGER PRIMARY KEY, signature BLOB NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {CHECKPOINT_SIGNATURES_TABLE} (number INTEGER PRIMARY KEY, "
    "public_key TEXT NOT NULL, signature BLOB NOT NULL)",
    # The seal file is append-only like the event store: what is sealed is never
    # rewritten in place (someone with the file can drop these; verify finds that).
    *(
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only BEFORE {operation} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'Förseglingen tar bara emot nya rader.'); END"
        for table in (SEALS_TABLE, CHECKPOINTS_TABLE, LINK_SIGNATURES_TABLE, CHECKPOINT_SIGNATURES_TABLE)
        for operation in ("UPDATE", "DELETE")
    ),
)
LOCK_TIMEOUT_SECONDS = 30
# Each row beside the one before it in its record, by version: one pass over the primary key's
# index (it holds the rowid), no sort. Sorted by version, 1, 2, 3 … at rising positions is the
# same as 1, 2, 3 … in stored order; a row of another type than the library writes is irregular
# too, as its record's id might equal another's once read into Python.
_IRREGULAR = (
    "SELECT DISTINCT originator_id FROM (SELECT originator_id, rowid AS position, "
    "originator_version AS version, lag(originator_version, 1, 0) OVER w AS previous_version, "
    "lag(rowid) OVER w AS previous_position FROM {table} WHERE rowid > ? AND rowid <= ? "
    "WINDOW w AS (PARTITION BY originator_id ORDER BY originator_version)) "
    "WHERE position <= 0 OR typeof(originator_id) != 'text' OR typeof(version) != 'integer' "
    "OR version != previous_version + 1 OR position <= previous_position"
)


class SQLiteEventLog:
    """The application's event table; the notification id is SQLite's rowid."""

    def __init__(self, datastore: SQLiteDatastore, table: str = "stored_events") -> None:
        self._datastore = datastore
        self._table = table

    @contextmanager
    def reading(self) -> Iterator[EventReader]:
        with self._datastore.transaction(commit=False) as curs:
            connection = curs.sqlite_cursor.connection
            found = connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (self._table,))
            if found.fetchone() is None:
                raise missing_event_table(self._table)
            yield _SQLiteEventReader(connection, self._table)

    def make_append_only(self) -> None:
        table = self._table
        refusal = "SELECT RAISE(ABORT, 'Händelselagret tar bara emot nya händelser efter den senaste.')"
        with self._datastore.transaction(commit=True) as curs:
            for operation in ("UPDATE", "DELETE"):
                curs.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_{operation.lower()} "
                    f"BEFORE {operation} ON {table} BEGIN {refusal}; END"
                )
            # AFTER: in a BEFORE trigger SQLite has not chosen the rowid yet.
            curs.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_insert AFTER INSERT ON {table} "  # noqa: S608
                f"WHEN NEW.rowid <= 0 OR EXISTS (SELECT 1 FROM {table} WHERE rowid > NEW.rowid) "
                f"BEGIN {refusal}; END"
            )


class _SQLiteEventReader:
    def __init__(self, connection: sqlite3.Connection, table: str) -> None:
        self._connection = connection
        self._table = table
        self._page = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "  # noqa: S608
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"
        )

    def _cursor(self) -> sqlite3.Cursor:
        cursor = self._connection.cursor()
        cursor.row_factory = None  # plain tuples: they go straight into StoredRow
        return cursor

    def max_position(self) -> int:
        row = self._cursor().execute(f"SELECT max(rowid) FROM {self._table}").fetchone()  # noqa: S608
        return int(row[0] or 0)

    def rows(self, after: int, upto: int) -> Iterator[StoredRow]:
        cursor = self._cursor()
        while True:
            page = cursor.execute(self._page, (after, upto, PAGE_SIZE)).fetchall()
            yield from map(StoredRow._make, page)
            if len(page) < PAGE_SIZE:
                return
            after = page[-1][0]

    def unplaced_rows(self) -> Iterator[StoredRow]:
        return iter(())  # every SQLite row has a rowid

    def count_after(self, position: int) -> int:
        statement = f"SELECT count(*) FROM {self._table} WHERE rowid > ?"  # noqa: S608
        return int(self._cursor().execute(statement, (position,)).fetchone()[0])

    def irregular_records(self, after: int, upto: int) -> set[str]:
        statement = _IRREGULAR.format(table=self._table)
        return {canonical_id(row[0]) for row in self._cursor().execute(statement, (after, upto))}

    def stored_position(self, identity: Identity) -> int | None:
        statement = (
            f"SELECT rowid FROM {self._table} "  # noqa: S608
            "WHERE originator_id = ? AND originator_version = ?"
        )
        row = self._cursor().execute(statement, tuple(identity)).fetchone()
        return None if row is None else int(row[0])

    def topics(self, upto: int) -> list[str]:
        statement = f"SELECT DISTINCT topic FROM {self._table} WHERE rowid <= ?"  # noqa: S608
        return sorted(str(row[0]) for row in self._cursor().execute(statement, (upto,)))


class SQLiteSealStore:
    """The seal in its own file, so the event store's tables stay the library's alone."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def reading(self) -> Iterator[SealReader]:
        if not self.path.exists():
            yield NoSeal()
            return
        # Read-only: verifying never changes the seal, not even by creating its tables.
        uri = self.path.resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            connection.execute("BEGIN")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if {SEALS_TABLE, CHECKPOINTS_TABLE} <= tables:
                signed = {LINK_SIGNATURES_TABLE, CHECKPOINT_SIGNATURES_TABLE} <= tables
                yield _SQLiteSeal(connection, signed=signed)
            else:
                yield NoSeal()
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    @contextmanager
    def sealing(self) -> Iterator[SealWriter]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            # IMMEDIATE takes the write lock now: a second seal waits instead of
            # chaining from the same checkpoint.
            connection.execute("BEGIN IMMEDIATE")
            for statement in _CREATE:
                connection.execute(statement)
            try:
                yield _SQLiteSeal(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()


class _SQLiteSeal:
    def __init__(self, connection: sqlite3.Connection, *, signed: bool = True) -> None:
        self._connection = connection
        self._signed = signed  # False for a seal made before signatures existed

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._connection.execute(
            "SELECT number, position, event_count, link, sealed_at, previous, hash "  # noqa: S608
            f"FROM {CHECKPOINTS_TABLE} ORDER BY number"
        ).fetchall()
        return [checkpoint_from(row) for row in rows]

    def max_position(self) -> int:
        row = self._connection.execute(f"SELECT max(position) FROM {SEALS_TABLE}").fetchone()  # noqa: S608
        return int(row[0] or 0)

    def rows(self, after: int, upto: int) -> Iterator[SealRow]:
        cursor = self._connection.cursor()
        statement = (
            "SELECT position, originator_id, originator_version, digest "  # noqa: S608
            f"FROM {SEALS_TABLE} WHERE position > ? AND position <= ? ORDER BY position LIMIT ?"
        )
        while True:
            page = cursor.execute(statement, (after, upto, PAGE_SIZE)).fetchall()
            yield from map(seal_row_from, page)
            if len(page) < PAGE_SIZE:
                return
            after = page[-1][0]

    def sealed_position(self, identity: Identity) -> int | None:
        row = self._connection.execute(
            f"SELECT position FROM {SEALS_TABLE} "  # noqa: S608
            "WHERE originator_id = ? AND originator_version = ? ORDER BY position LIMIT 1",
            tuple(identity),
        ).fetchone()
        return None if row is None else int(row[0])

    def add_rows(self, rows: Sequence[SealRow]) -> None:
        self._connection.executemany(
            f"INSERT INTO {SEALS_TABLE} (position, originator_id, originator_version, digest) "  # noqa: S608
            "VALUES (?, ?, ?, ?)",
            rows,
        )

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._connection.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (number, position, event_count, link, "  # noqa: S608
            "sealed_at, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    def link_signatures(self, after: int, upto: int) -> dict[int, bytes]:
        if not self._signed:
            return {}
        rows = self._connection.execute(
            f"SELECT position, signature FROM {LINK_SIGNATURES_TABLE} "  # noqa: S608
            "WHERE position > ? AND position <= ?",
            (after, upto),
        ).fetchall()
        return {int(position): as_bytes(signature) for position, signature in rows}

    def checkpoint_signatures(self) -> dict[int, CheckpointSignature]:
        if not self._signed:
            return {}
        rows = self._connection.execute(
            f"SELECT number, public_key, signature FROM {CHECKPOINT_SIGNATURES_TABLE}"  # noqa: S608
        ).fetchall()
        return {int(number): CheckpointSignature(str(key), as_bytes(sig)) for number, key, sig in rows}

    def add_link_signatures(self, signatures: Sequence[tuple[int, bytes]]) -> None:
        self._connection.executemany(
            f"INSERT INTO {LINK_SIGNATURES_TABLE} (position, signature) VALUES (?, ?)",  # noqa: S608
            signatures,
        )

    def add_checkpoint_signature(self, number: int, signature: CheckpointSignature) -> None:
        self._connection.execute(
            f"INSERT INTO {CHECKPOINT_SIGNATURES_TABLE} (number, public_key, signature) "  # noqa: S608
            "VALUES (?, ?, ?)",
            (number, *signature),
        )
