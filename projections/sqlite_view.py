"""Views on SQLite: one database file per view (the library names its tracking table `tracking`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import OperationalError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder, SQLiteTransaction

from lerum_flow.projections import sql
from lerum_flow.projections.batch import Batch
from lerum_flow.projections.bitemporal import OPEN, history_type
from lerum_flow.projections.history_buffer import DEFAULT_LIMIT
from lerum_flow.projections.row_reading import Reader, build_rows, collector_paused, uuid_from_text
from lerum_flow.projections.rows import ColumnKind, Row, TRow, column_names, columns
from lerum_flow.projections.view import GovernanceView

# Conversions to and from what SQLite stores; None: stored as it is.
_TO_SQL: Mapping[ColumnKind, Callable[[Any], object] | None] = {
    "text": None,
    "integer": None,
    "boolean": int,
    "date": date.isoformat,
    "timestamp": datetime.isoformat,
    "uuid": str,
}
_FROM_SQL: Mapping[ColumnKind, Callable[[Any], object] | None] = {
    "text": None,
    "integer": None,
    "boolean": bool,
    "date": date.fromisoformat,
    "timestamp": datetime.fromisoformat,
    "uuid": UUID,
}
# Reading many rows (`row_reading`): the views store ids in their canonical text form.
_READ_MANY: Mapping[ColumnKind, Reader] = {**_FROM_SQL, "uuid": uuid_from_text}


def _to_sql(kind: ColumnKind, value: object) -> object:
    convert = _TO_SQL[kind]
    return value if value is None or convert is None else convert(value)


def _converted(
    rows: Iterable[Sequence[object]], converters: Sequence[Callable[[Any], object] | None]
) -> list[list[object]]:
    """Each row's values in SQLite's terms; only the columns that need it are converted."""
    todo = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    converted = []
    for row in rows:
        values = list(row)
        for i, convert in todo:
            value = values[i]
            if value is not None:
                values[i] = convert(value)
        converted.append(values)
    return converted


RowWriter = Callable[[Mapping[str, object]], tuple[object, ...]]
_WRITERS: dict[type[Row], RowWriter] = {}


def _row_writer(row_type: type[Row]) -> RowWriter:
    """A row's values by column as the tuple SQLite stores, in column order.

    Generated once per table, as `dataclasses` generates `__init__`: looping over the
    columns and their converters for every value was a fifth of a rebuild's time
    (profiled on the beslut view of a Lerum mandate period). The names come from the
    row classes, never from input.
    """
    found = _WRITERS.get(row_type)
    if found is None:
        namespace: dict[str, object] = {}
        parts = []
        for i, column in enumerate(columns(row_type)):
            convert = _TO_SQL[column.kind]
            if convert is None:
                parts.append(f"v[{column.name!r}]")
            else:
                namespace[f"c{i}"] = convert
                parts.append(f"(None if (x{i} := v[{column.name!r}]) is None else c{i}(x{i}))")
        found = eval(f"lambda v: ({', '.join(parts)},)", namespace)  # noqa: S307
        _WRITERS[row_type] = found
    return found


def _where(row_type: type[Row], where: Mapping[str, object]) -> dict[str, object]:
    """The conditions' values as SQLite stores them."""
    kind_of = {c.name: c.kind for c in columns(row_type)}

    def value(name: str, given: object) -> object:
        if isinstance(given, sql.Range):
            return given.converted(lambda v: _to_sql(kind_of[name], v))
        if isinstance(given, tuple | list | set | frozenset):
            return tuple(_to_sql(kind_of[name], v) for v in given)
        return _to_sql(kind_of[name], given)

    return {name: value(name, given) if name in kind_of else given for name, given in where.items()}


# SQLite's page cache while a view is rebuilt, in KiB (negative: a size, not pages). 64 MiB, not
# the 256 it was: since the held history is written in key order and the indexes are made at the
# end, the larger cache bought no time (alternating runs, 353 k and 1,0 M events: same CPU, wall
# within noise) and only grew the largest process with the store (241 -> 367 MB; now 161 -> 162).
# 32 MiB was 1.03-1.09x slower at 1,0 M events in three pairs, so it was not taken.
REBUILD_CACHE_KIB = -65_536


class _ImmediateTransaction(SQLiteTransaction):
    """The library's transaction, begun IMMEDIATE: the write lock is taken before the
    position is read, so a concurrent applier waits instead of failing on upgrade."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            # As the library raises what fails inside its transactions, so that a follower waits and
            # tries again (`Projector.follow`) instead of ending: the likely cause is the write lock,
            # held for seconds by another process rebuilding the view.
            raise OperationalError(error) from error
        return cursor


class SQLiteView(SQLiteTrackingRecorder, GovernanceView):
    writes_stored = True

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        kinds = {t: tuple(c.kind for c in columns(t)) for t in self.all_row_types}
        self._kinds: dict[type[Row], tuple[ColumnKind, ...]] = kinds

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        for row_type in self.all_row_types:
            statements += sql.create_table(sql.SQLITE, row_type)
        return statements

    def create_table(self) -> None:
        # A view opened after an upgrade added tables to it has them empty: it is rebuilt.
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            existing = {row[0] for row in curs.fetchall()}
        super().create_table()
        if "tracking" in existing and any(t.table not in existing for t in self.all_row_types):
            self.discard()

    @contextmanager
    def _write_transaction(self) -> Iterator[SQLiteCursor]:
        with self.datastore.get_connection(commit=True) as conn:
            # A view is disposable: in WAL mode NORMAL keeps it consistent and only
            # risks the last commits on power loss, and their tracking goes with them,
            # so they are applied again. FULL would wait for the disk on every page.
            conn.cursor().execute("PRAGMA synchronous=NORMAL")
            # Debian's SQLite zeroes every page it frees (SECURE_DELETE): a rebuild's drop of the
            # old tables wrote the whole view again (beslut, a Lerum mandate period: 200 MB). FAST
            # still zeroes deleted rows on the pages it writes anyway; the freed pages are reused
            # by the rows written next, and what they held is in the log in any case.
            conn.cursor().execute("PRAGMA secure_delete=FAST")
            with _ImmediateTransaction(conn, commit=True) as curs, curs:
                yield curs

    @contextmanager
    def rebuilding(self, *, held_rows: int = DEFAULT_LIMIT) -> Iterator[None]:
        with super().rebuilding(held_rows=held_rows):
            assert self._bulk is not None
            curs = self._bulk[0]
            curs.execute("PRAGMA cache_size")
            usual = curs.fetchone()[0]
            curs.execute(f"PRAGMA cache_size = {REBUILD_CACHE_KIB}")
            try:
                yield
            finally:
                curs.execute(f"PRAGMA cache_size = {int(usual)}")

    def _rebuild_begins(self, curs: SQLiteCursor) -> None:
        # The tables' indexes made once at the end, each from its table's rows sorted, instead of
        # a row at a time at random places as the rows come (the beslut view: 129,000 current and
        # 129,000 taken rows). Readers do not see it: they read the last commit until it ends.
        for row_type in self.all_row_types:
            for statement in sql.drop_indexes(sql.SQLITE, row_type):
                curs.execute(statement)

    def _rebuild_ends(self, curs: SQLiteCursor) -> None:
        for row_type in self.all_row_types:
            for statement in sql.create_indexes(sql.SQLITE, row_type):
                curs.execute(statement)

    def _write(self, curs: SQLiteCursor, batch: Batch) -> None:
        for row_type, rows in batch.inserts():
            self._insert_rows(curs, row_type, rows)
        for group in batch.updates():
            kind_of = {c.name: c.kind for c in columns(group.table)}
            order = (*group.set_columns, *group.increment_columns, *group.table.key)
            converters = [_TO_SQL[kind_of[name]] for name in order]
            statement = sql.update(sql.SQLITE, group.table, group.set_columns, group.increment_columns)
            curs.executemany(statement, _converted(group.params, converters))

    def _insert_rows(
        self, curs: SQLiteCursor, row_type: type[Row], rows: Sequence[dict[str, object]]
    ) -> None:
        curs.executemany(sql.insert(sql.SQLITE, row_type), map(_row_writer(row_type), rows))

    def _insert_stored(
        self, curs: SQLiteCursor, table: type[Row], rows: Sequence[tuple[object, ...]]
    ) -> None:
        # What `_row_writer` makes of a row's values is what the rows already are.
        curs.executemany(sql.insert(sql.SQLITE, table), rows)

    def _current_from_history(self, curs: SQLiteCursor, row_type: type[Row]) -> None:
        statement = sql.current_from_history(sql.SQLITE, row_type, history_type(row_type))
        curs.execute(statement, (OPEN.isoformat(), OPEN.isoformat()))

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
            sql.SQLITE,
            table,
            _where(table, where),
            order_by=order_by,
            limit=limit,
            offset=offset,
            only=names,
        )
        kind_of = {c.name: c.kind for c in columns(table)}
        with collector_paused(), self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return build_rows(into, names, curs.fetchall(), [_READ_MANY[kind_of[n]] for n in names])

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
        statement, params = sql.select(sql.SQLITE, table, _where(table, where), order_by=order_by, only=names)
        kind_of = {c.name: c.kind for c in columns(table)}
        readers = [_READ_MANY[kind_of[n]] for n in names]
        with collector_paused(), self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            # The library's cursor wraps sqlite3's, which reads a batch at a time. The collector
            # stays paused while the caller uses a batch (row_reading.py says why).
            while found := curs.sqlite_cursor.fetchmany(size):
                yield build_rows(into, names, found, readers)

    def _select_values(
        self,
        curs: SQLiteCursor,
        row_type: type[Row],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
        only: Sequence[str] | None = None,
    ) -> list[dict[str, object]]:
        statement, params = sql.select(
            sql.SQLITE,
            row_type,
            _where(row_type, where),
            order_by=order_by,
            limit=limit,
            offset=offset,
            only=only,
        )
        curs.execute(statement, params)
        kind_of = {c.name: c.kind for c in columns(row_type)}
        readers = [(i, n, _FROM_SQL[kind_of[n]]) for i, n in enumerate(only or kind_of)]
        # By position: a sqlite3.Row is slower to read by name, on every column of every row.
        return [
            {n: r[i] if read is None or r[i] is None else read(r[i]) for i, n, read in readers}
            for r in curs.fetchall()
        ]

    def _delete_history(
        self, curs: SQLiteCursor, table: type[Row], keys: Sequence[tuple[object, ...]]
    ) -> None:
        kind_of = {c.name: c.kind for c in columns(table)}
        converters = [_TO_SQL[kind_of[name]] for name in table.key]
        curs.executemany(sql.delete(sql.SQLITE, table), _converted(keys, converters))

    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        statement, params = sql.count(sql.SQLITE, row_type, _where(row_type, where))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return int(curs.fetchone()[0])

    def reset(self, application_name: str | None) -> None:
        with self._write_transaction() as curs:
            for row_type in self.all_row_types:
                curs.execute(sql.drop_table(sql.SQLITE, row_type))
            if application_name is None:
                curs.execute("DELETE FROM tracking")
            else:
                curs.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))
            for row_type in self.all_row_types:
                for statement in sql.create_table(sql.SQLITE, row_type):
                    curs.execute(statement)

    def _insert_tracking(self, c: SQLiteCursor, tracking: Tracking) -> None:
        super()._insert_tracking(c, tracking)

    def _max_tracking_id(self, application_name: str, c: SQLiteCursor) -> int | None:
        return super()._max_tracking_id(application_name, c)
