"""A view held in dicts: for replays of a few records (one mandate and its chain), thrown away after.

Why: such a replay touches tens of rows, and giving it SQLite views cost most of
its time (measured on the Lerum mandate period: opening seven in-memory
databases and creating their tables, then a transaction, a tracking insert and
a position query per view per record). The projections write to this view
through the same `GovernanceView.apply` as to the others.

It answers as the SQLite view does: conditions and ordering compare the values
in the form SQLite stores them (`sqlite_view._where`, `_to_sql`), NULL first
in ascending order. A property of the as-of replay holds the two equal.
It keeps no history (`keeps_history`): nothing asks a throwaway view as of a day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import nullcontext
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from lerum_flow.projections import sql
from lerum_flow.projections.batch import Batch
from lerum_flow.projections.bitemporal import OPEN, history_type
from lerum_flow.projections.row_reading import build_rows
from lerum_flow.projections.rows import Row, TRow, column_names, columns, row_key
from lerum_flow.projections.sqlite_view import _to_sql, _where
from lerum_flow.projections.view import GovernanceView

Key = tuple[object, ...]


class MemoryView(GovernanceView):
    """The tables `row_types` as rows' values by key, and the positions by log name."""

    keeps_history = False

    def __init__(self, row_types: Sequence[type[Row]]) -> None:
        self._tables: dict[type[Row], dict[Key, dict[str, object]]] = {t: {} for t in row_types}
        self._positions: dict[str, int] = {}

    def dump(self) -> dict[str, list[Row]]:
        return {row_type.table: list(self.select(row_type)) for row_type in self._tables}

    def insert_tracking(self, tracking: Tracking) -> None:
        self._insert_tracking(None, tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        return self._positions.get(application_name)

    def _max_tracking_id(self, application_name: str, curs: Any) -> int | None:
        return self._positions.get(application_name)

    def _insert_tracking(self, curs: Any, tracking: Tracking) -> None:
        name, position = tracking.application_name, tracking.notification_id
        if self._positions.get(name, 0) >= position:
            raise IntegrityError(f"tracking {name} {position} recorded already")
        self._positions[name] = position

    def _write_transaction(self) -> nullcontext[None]:
        return nullcontext()

    def _write(self, curs: Any, batch: Batch) -> None:
        for row_type, rows in batch.inserts():
            self._insert_rows(curs, row_type, rows)
        for group in batch.updates():
            table = self._tables[group.table]
            set_count = len(group.set_columns)
            increment_end = set_count + len(group.increment_columns)
            for params in group.params:
                # A row that is not there is not changed (as SQL's UPDATE ... WHERE key).
                values = table.get(params[increment_end:])
                if values is None:
                    continue
                values.update(zip(group.set_columns, params[:set_count], strict=True))
                for name, amount in zip(
                    group.increment_columns, params[set_count:increment_end], strict=True
                ):
                    values[name] = int(values[name]) + int(amount)  # type: ignore[call-overload]

    def _insert_rows(self, curs: Any, row_type: type[Row], rows: Sequence[dict[str, object]]) -> None:
        table = self._tables[row_type]
        for values in rows:
            key = row_key(row_type, values)
            if key in table:
                raise IntegrityError(f"{row_type.table}: key {key} inserted twice")
            table[key] = dict(values)

    def _current_from_history(self, curs: Any, row_type: type[Row]) -> None:
        history = self._tables.get(history_type(row_type), {})
        names = column_names(row_type)
        open_rows = [v for v in history.values() if v["held_until"] == OPEN and v["known_until"] == OPEN]
        self._insert_rows(curs, row_type, [{n: v[n] for n in names} for v in open_rows])

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
        known = set(column_names(table))
        unknown = [n for n in (*order_by, *names) if n not in known]
        if unknown:
            raise ValueError(f"{table.table} has no column {unknown[0]}")
        if limit is None and offset:
            raise ValueError("an offset needs a limit")
        found = self._matching(table, where)
        kind_of = {c.name: c.kind for c in columns(table)}
        by = [(n, kind_of[n]) for n in (*order_by, *table.key)]
        found.sort(key=lambda values: tuple(_nulls_first(_to_sql(kind, values[n])) for n, kind in by))
        if limit is not None:
            found = found[offset : offset + limit]
        return build_rows(into, names, ([v[n] for n in names] for v in found), [None] * len(names))

    def batches_into(
        self,
        into: type[TRow],
        table: type[Row],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        size: int = sql.BATCH_ROWS,
    ) -> Iterator[list[TRow]]:
        # A throwaway view holds a few records: the whole answer is already in memory.
        found = self.query_into(into, table, where, order_by=order_by)
        for start in range(0, len(found), size):
            yield found[start : start + size]

    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        return len(self._matching(row_type, where))

    def reset(self, application_name: str | None) -> None:
        for table in self._tables.values():
            table.clear()
        if application_name is None:
            self._positions.clear()
        else:
            self._positions.pop(application_name, None)

    def _select_values(
        self, curs: Any, row_type: type[Row], where: Mapping[str, object]
    ) -> list[dict[str, object]]:
        return [dict(values) for values in self._matching(row_type, where)]

    def _delete_history(self, curs: Any, table: type[Row], keys: Sequence[Key]) -> None:
        rows = self._tables.get(table, {})
        for key in keys:
            rows.pop(tuple(key), None)

    def _matching(self, table: type[Row], where: Mapping[str, object]) -> list[dict[str, object]]:
        """The rows of `table` meeting `where`, compared as SQLite compares them (`sql.select`)."""
        known = column_names(table)
        for name in where:
            if name not in known:
                raise ValueError(f"{table.table} has no column {name}")
        kind_of = {c.name: c.kind for c in columns(table)}
        wanted = _where(table, where)
        rows = self._tables[table].values()
        return [v for v in rows if all(_meets(_to_sql(kind_of[n], v[n]), c) for n, c in wanted.items())]


def _meets(stored: object, condition: object) -> bool:
    """Whether a value (in SQLite's form) meets one condition of `sql.select`; NULL meets none but
    `IS NULL` and a range `or_null`."""
    if isinstance(condition, sql.Range):
        if stored is None:
            return condition.or_null
        low, high = condition.low, condition.high
        if low is not None and not (stored > low if condition.after_low else stored >= low):  # type: ignore[operator]
            return False
        return high is None or stored <= high  # type: ignore[operator]
    if isinstance(condition, tuple | list | set | frozenset):
        return stored is not None and stored in condition
    if condition is None:
        return stored is None
    return stored is not None and stored == condition


def _nulls_first(value: object) -> tuple[bool, object]:
    """A sort key for a value in SQLite's form: NULL before any value, as SQLite orders."""
    return (value is not None, value)
