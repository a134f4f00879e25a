"""Views on PostgreSQL: all views in the store's database (and schema), each with its own tables
and its own tracking table, named after the view by the library's factory."""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from itertools import islice
from typing import Any, cast

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Connection, Cursor, pq
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed

from lerum_flow.projections import sql
from lerum_flow.projections.batch import Batch
from lerum_flow.projections.bitemporal import OPEN, history_type
from lerum_flow.projections.history_buffer import DEFAULT_LIMIT
from lerum_flow.projections.row_reading import build_rows, collector_paused
from lerum_flow.projections.rows import Row, TRow, column_names
from lerum_flow.projections.view import GovernanceView

# From this many new rows of a table in a page (a rebuild's), they are sent with COPY: the
# fastest way into PostgreSQL, but a statement of its own, which one or two rows do not repay.
COPY_FROM_ROWS = 200
# libpq sends a query's rows in chunks from its version 17 (`Cursor.stream(size=...)`).
STREAMS_IN_CHUNKS = pq.version() >= 170_000


class PostgresView(PostgresTrackingRecorder, GovernanceView):
    writes_stored = True

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._dialect = sql.postgres(self.datastore.schema)
        for row_type in self.all_row_types:
            self.sql_create_statements += [
                Composed([SQL(s)]) for s in sql.create_table(self._dialect, row_type)
            ]
        # A transaction-scoped advisory lock serialises the appliers of this view,
        # also before its first tracking row exists (a row lock would lock nothing).
        digest = hashlib.blake2b(
            f"{self.datastore.schema}.{self.tracking_table_name}".encode(), digest_size=8
        ).digest()
        self._lock_key = int.from_bytes(digest, "big", signed=True)

    def create_table(self) -> None:
        # A view opened after an upgrade added tables to it has them empty: it is rebuilt.
        names = [self.tracking_table_name, *(t.table for t in self.all_row_types)]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT n, to_regclass(quote_ident(%s) || '.' || quote_ident(n)) IS NOT NULL AS found "
                    "FROM unnest(%s::text[]) AS n"
                ),
                (self.datastore.schema, names),
            )
            existing = {r["n"] for r in curs.fetchall() if r["found"]}
        super().create_table()
        if self.tracking_table_name in existing and any(t.table not in existing for t in self.all_row_types):
            self.discard()

    @contextmanager
    def _write_transaction(self) -> Iterator[Cursor[DictRow]]:
        with self.datastore.transaction(commit=True) as curs:
            # A view is disposable: a commit lost in a server crash takes its tracking
            # record with it and is applied again, so it need not wait for the disk.
            curs.execute("SET LOCAL synchronous_commit TO OFF")
            curs.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            yield curs

    @contextmanager
    def rebuilding(self, *, held_rows: int = DEFAULT_LIMIT) -> Iterator[None]:
        with super().rebuilding(held_rows=held_rows):
            assert self._bulk is not None
            # The rebuild's transaction idles while Python folds pages (of other views too), for
            # minutes on a large log: the limit the library sets on every connection (5 s) would
            # end it. For this transaction only; the connection keeps its limit afterwards.
            self._bulk[0].execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            yield

    def _write(self, curs: Cursor[DictRow], batch: Batch) -> None:
        # One statement per table and per group of updates, whatever the page size:
        # a statement per row would be a round trip per row.
        for row_type, rows in batch.inserts():
            self._insert_rows(curs, row_type, rows)
        for group in batch.updates():
            statement = sql.update_unnest(
                self._dialect, group.table, group.set_columns, group.increment_columns
            )
            curs.execute(SQL(statement), [list(values) for values in zip(*group.params, strict=True)])

    def _current_from_history(self, curs: Cursor[DictRow], row_type: type[Row]) -> None:
        statement = sql.current_from_history(self._dialect, row_type, history_type(row_type))
        curs.execute(SQL(statement), (OPEN, OPEN))

    def _insert_rows(
        self, curs: Cursor[DictRow], row_type: type[Row], rows: Sequence[dict[str, object]]
    ) -> None:
        names = column_names(row_type)
        if len(rows) >= COPY_FROM_ROWS:
            self._copy_in(curs, row_type, ([row[name] for name in names] for row in rows))
            return
        arrays = [[row[name] for row in rows] for name in names]
        curs.execute(SQL(sql.insert_unnest(self._dialect, row_type)), arrays)

    def _insert_stored(
        self, curs: Cursor[DictRow], table: type[Row], rows: Sequence[tuple[object, ...]]
    ) -> None:
        # COPY's text format: the server reads ids, dates and times from the text they are stored as.
        self._copy_in(curs, table, rows)

    def _copy_in(self, curs: Cursor[DictRow], table: type[Row], rows: Iterable[Sequence[object]]) -> None:
        """Send the rows (each its values in the order of the table's columns) with COPY."""
        with curs.copy(SQL(sql.copy_in(self._dialect, table))) as copy:
            for row in rows:
                copy.write_row(row)

    def query_into(
        self,
        into: type[TRow],
        table: type[Row],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TRow]:
        names = column_names(into)
        statement, params = sql.select(
            self._dialect, table, where, order_by=order_by, limit=limit, offset=offset, only=names
        )
        # Tuples, not the datastore's dicts: psycopg already made every value what the row holds.
        with (
            collector_paused(),
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(SQL(statement), params)
            return build_rows(into, names, curs.fetchall(), [None] * len(names))

    def batches_into(
        self,
        into: type[TRow],
        table: type[Row],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        size: int = sql.BATCH_ROWS,
    ) -> Iterator[list[TRow]]:
        names = column_names(into)
        statement, params = sql.select(self._dialect, table, where, order_by=order_by, only=names)

        # The collector stays paused while the caller uses a batch (row_reading.py says why).
        readers = [None] * len(names)
        with collector_paused(), self.datastore.get_connection() as conn, conn.transaction():
            for found in _batches(conn, SQL(statement), params, size):
                yield build_rows(into, names, found, readers)

    def _select_values(
        self,
        curs: Cursor[DictRow],
        row_type: type[Row],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
        only: Sequence[str] | None = None,
    ) -> list[dict[str, object]]:
        statement, params = sql.select(
            self._dialect, row_type, where, order_by=order_by, limit=limit, offset=offset, only=only
        )
        curs.execute(SQL(statement), params)
        return [dict(r) for r in curs.fetchall()]

    def _delete_history(
        self, curs: Cursor[DictRow], table: type[Row], keys: Sequence[tuple[object, ...]]
    ) -> None:
        curs.executemany(SQL(sql.delete(self._dialect, table)), keys)

    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        statement, params = sql.count(self._dialect, row_type, where)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL(statement), params)
            found = curs.fetchone()
            return int(found["n"]) if found else 0

    def reset(self, application_name: str | None) -> None:
        with self._write_transaction() as curs:
            for row_type in self.all_row_types:
                curs.execute(SQL(sql.drop_table(self._dialect, row_type)))
            tracking = SQL(self._dialect.qualified(self.tracking_table_name))
            if application_name is None:
                curs.execute(SQL("DELETE FROM {0}").format(tracking))
            else:
                curs.execute(
                    SQL("DELETE FROM {0} WHERE application_name = %s").format(tracking), (application_name,)
                )
            for row_type in self.all_row_types:
                for statement in sql.create_table(self._dialect, row_type):
                    curs.execute(SQL(statement))

    def _insert_tracking(self, curs: Cursor[DictRow], tracking: Tracking) -> None:
        super()._insert_tracking(curs, tracking)

    def _max_tracking_id(self, application_name: str, curs: Cursor[DictRow]) -> int | None:
        return super()._max_tracking_id(application_name, curs)


def _batches(
    conn: Connection[Any], statement: SQL, params: Sequence[object], size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """The answer's rows, `size` at a time, as the server sends them."""
    if STREAMS_IN_CHUNKS:
        # Sent whole, in chunks, as the server makes it: a plain query, which the server may scan
        # and sort with parallel workers (it never does for a cursor's), and which it goes on
        # making while the caller builds rows. Measured (whole-municipality as-of, 1 M events):
        # 1.5-2.2 s against 2.5-2.6 s through a server-side cursor asked for each batch.
        # A generator, which `closing` ends (the driver then cancels the rest) before the
        # transaction ends, when the caller leaves early.
        rows = cast(
            Generator[tuple[Any, ...]],
            conn.cursor(row_factory=tuple_row).stream(statement, params, size=size),
        )
        with closing(rows):
            while found := list(islice(rows, size)):
                yield found
        return
    # A server-side cursor: the server holds the answer and sends a batch when asked.
    with conn.cursor(name="view_batches", row_factory=tuple_row) as curs:
        curs.execute(statement, params)
        while found := curs.fetchmany(size):
            yield found
