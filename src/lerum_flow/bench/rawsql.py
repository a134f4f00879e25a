"""The baselines: the same rows written and read with plain sqlite3 and psycopg, no library.

Tables have the library's own layout (columns, keys, indexes), so a baseline
differs from the figure only in what the application and the library add.
Each works in a table of its own next to the store's and drops it afterwards.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from lerum_flow.bench.stores import EVENTS_TABLE, POSTGRES_EVENTS_TABLE

# originator_id, originator_version, topic, state: a stored event as the library writes it.
Row = tuple[str, int, str, bytes]

BASELINE_TABLE = "baseline_events"
SQLITE_DDL = (
    f"CREATE TABLE {BASELINE_TABLE} (originator_id TEXT, originator_version INTEGER, topic TEXT, "
    "state BLOB, PRIMARY KEY (originator_id, originator_version))"
)
POSTGRES_DDL = (
    f"CREATE TABLE {BASELINE_TABLE} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
    "topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))",
    f"CREATE UNIQUE INDEX {BASELINE_TABLE}_nid ON {BASELINE_TABLE} (notification_id)",
)
PAGE = 1000
# Statements on the library's fixed table names, never on input (hence the S608 waivers).
SQLITE_ROWS = (
    f"SELECT originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "  # noqa: S608
    "WHERE rowid <= ? ORDER BY rowid"
)
POSTGRES_ROWS = (
    f"SELECT originator_id, originator_version, topic, state FROM {POSTGRES_EVENTS_TABLE} "  # noqa: S608
    "WHERE notification_id <= %s ORDER BY notification_id"
)
SQLITE_PAGE = (
    f"SELECT rowid, originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "  # noqa: S608
    "WHERE rowid > ? ORDER BY rowid LIMIT ?"
)
POSTGRES_PAGE = (
    f"SELECT notification_id, originator_id, originator_version, topic, state FROM {POSTGRES_EVENTS_TABLE} "  # noqa: S608
    "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
)
SQLITE_RECORD = f"SELECT * FROM {EVENTS_TABLE} WHERE originator_id = ? ORDER BY originator_version"  # noqa: S608
POSTGRES_RECORD = (
    f"SELECT * FROM {POSTGRES_EVENTS_TABLE} WHERE originator_id = %s ORDER BY originator_version"  # noqa: S608
)
SQLITE_INSERT = f"INSERT INTO {BASELINE_TABLE} VALUES (?, ?, ?, ?)"  # noqa: S608
POSTGRES_INSERT = (
    f"INSERT INTO {BASELINE_TABLE} (originator_id, originator_version, topic, state) "  # noqa: S608
    "VALUES (%s, %s, %s, %s)"
)


class Backend:
    """One store's database reached without the library: SQLite file or PostgreSQL URL."""

    def __init__(self, *, sqlite: Path | None = None, postgres: str | None = None) -> None:
        self.sqlite, self.postgres = sqlite, postgres

    @contextmanager
    def _sqlite(self) -> Iterator[sqlite3.Connection]:
        assert self.sqlite is not None
        # The library's connections: WAL journal, default (FULL) synchronous.
        with closing(sqlite3.connect(self.sqlite, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            yield conn

    @contextmanager
    def _postgres(self) -> Iterator[psycopg.Connection[Any]]:
        assert self.postgres is not None
        with psycopg.connect(self.postgres) as conn:
            yield conn

    def stored_rows(self, *, upto: int | None = None) -> list[Row]:
        """The store's events in log order, as (originator_id hex, version, topic, state)."""
        limit = upto if upto is not None else 2**62
        if self.sqlite is not None:
            with self._sqlite() as conn:
                return list(conn.execute(SQLITE_ROWS, (limit,)))
        with self._postgres() as conn:
            found = conn.execute(POSTGRES_ROWS, (limit,)).fetchall()
            return [(o.hex, v, t, bytes(s)) for o, v, t, s in found]

    def insert_batches(self, rows: Sequence[Row], batches: Sequence[int]) -> float:
        """Seconds to insert `rows` with executemany, one transaction per batch of the given sizes."""
        with self._baseline_table() as run:
            return run(rows, batches)

    def insert_latencies(self, rows: Sequence[Row]) -> list[float]:
        """Seconds of each plain INSERT + COMMIT, one row at a time."""
        latencies: list[float] = []
        with self._baseline_table() as _:
            if self.sqlite is not None:
                with self._sqlite() as conn:
                    for row in rows:
                        started = time.perf_counter()
                        conn.execute("BEGIN")
                        conn.execute(SQLITE_INSERT, row)
                        conn.execute("COMMIT")
                        latencies.append(time.perf_counter() - started)
            else:
                with self._postgres() as conn:
                    for o, v, t, s in rows:
                        started = time.perf_counter()
                        conn.execute(
                            POSTGRES_INSERT,
                            (UUID(o), v, t, s),
                        )
                        conn.commit()
                        latencies.append(time.perf_counter() - started)
        return latencies

    def keyset_read(self) -> int:
        """Read the whole log in order, a page of 1000 at a time by key; returns the rows read."""
        count, position = 0, 0
        if self.sqlite is not None:
            with self._sqlite() as conn:
                while rows := conn.execute(
                    SQLITE_PAGE,
                    (position, PAGE),
                ).fetchall():
                    count += len(rows)
                    position = rows[-1][0]
            return count
        with self._postgres() as conn:
            while rows := conn.execute(
                POSTGRES_PAGE,
                (position, PAGE),
                prepare=True,
            ).fetchall():
                count += len(rows)
                position = rows[-1][0]
        return count

    def read_aggregates(self, ids: Sequence[UUID]) -> int:
        """Read every event of these records by key; returns the rows read."""
        count = 0
        if self.sqlite is not None:
            with self._sqlite() as conn:
                for ident in ids:
                    count += len(
                        conn.execute(
                            SQLITE_RECORD,
                            (ident.hex,),
                        ).fetchall()
                    )
            return count
        with self._postgres() as conn:
            for ident in ids:
                count += len(
                    conn.execute(
                        POSTGRES_RECORD,
                        (ident,),
                        prepare=True,
                    ).fetchall()
                )
        return count

    @contextmanager
    def _baseline_table(self) -> Iterator[Callable[[Sequence[Row], Sequence[int]], float]]:
        """A fresh baseline table for the block, dropped after it; yields the batch inserter."""
        if self.sqlite is not None:
            with self._sqlite() as conn:
                conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
                conn.execute(SQLITE_DDL)
            try:
                yield self._sqlite_batches
            finally:
                with self._sqlite() as conn:
                    conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
            return
        with self._postgres() as conn:
            conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
            for statement in POSTGRES_DDL:
                conn.execute(statement)
        try:
            yield self._postgres_batches
        finally:
            with self._postgres() as conn:
                conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")

    def _sqlite_batches(self, rows: Sequence[Row], batches: Sequence[int]) -> float:
        with self._sqlite() as conn:
            started = time.perf_counter()
            start = 0
            for size in batches:
                conn.execute("BEGIN")
                conn.executemany(
                    SQLITE_INSERT,
                    rows[start : start + size],
                )
                conn.execute("COMMIT")
                start += size
            return time.perf_counter() - started

    def _postgres_batches(self, rows: Sequence[Row], batches: Sequence[int]) -> float:
        params = [(UUID(o), v, t, s) for o, v, t, s in rows]
        with self._postgres() as conn, conn.cursor() as cur:
            started = time.perf_counter()
            start = 0
            for size in batches:
                cur.executemany(
                    POSTGRES_INSERT,
                    params[start : start + size],
                )
                conn.commit()
                start += size
            return time.perf_counter() - started
