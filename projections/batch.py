"""A page of changes folded into few statements: new rows per table, one update per old row.

Why: one SQL statement per change is the cost of a rebuild (a round trip per
statement on PostgreSQL). Within one transaction the order of changes to
different rows does not matter, so updates of rows inserted in the same page
are applied in memory, and updates of older rows are merged per row and sent
with executemany, grouped by the columns they touch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from eventsourcing.persistence import IntegrityError

from lerum_flow.projections.rows import Change, Insert, Row, Update, row_key, row_values


@dataclass
class _MergedUpdate:
    values: dict[str, object] = field(default_factory=dict)
    increments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UpdateGroup:
    """Updates of one table touching the same columns: one executemany."""

    table: type[Row]
    set_columns: tuple[str, ...]
    increment_columns: tuple[str, ...]
    # Per row: the set values, then the increments, then the key.
    params: list[tuple[object, ...]]


class Batch:
    def __init__(self) -> None:
        self._inserts: dict[type[Row], dict[tuple[object, ...], dict[str, object]]] = defaultdict(dict)
        self._updates: dict[type[Row], dict[tuple[object, ...], _MergedUpdate]] = defaultdict(dict)

    def add(self, changes: Iterable[Change]) -> None:
        for change in changes:
            if isinstance(change, Insert):
                self._insert(change)
            else:
                self._update(change)

    def _insert(self, change: Insert) -> None:
        self.insert_values(type(change.row), row_values(change.row))

    def insert_values(self, table: type[Row], values: dict[str, object]) -> None:
        """A new row of `table` given as its values by column (what a row class would hold)."""
        key = row_key(table, values)
        pending = self._inserts[table]
        if key in pending:
            raise IntegrityError(f"{table.table}: key {key} inserted twice")
        pending[key] = values

    def _update(self, change: Update) -> None:
        pending = self._inserts[change.table].get(change.key)
        if pending is not None:
            pending.update(change.values)
            for name, amount in change.increments.items():
                pending[name] = int(pending[name]) + amount  # type: ignore[call-overload]
            return
        merged = self._updates[change.table].setdefault(change.key, _MergedUpdate())
        if set(change.values) & set(merged.increments) or set(change.increments) & set(merged.values):
            # Setting and adding to one column cannot be merged without keeping order.
            raise ValueError(f"{change.table.table}: a column is both set and incremented")
        merged.values.update(change.values)
        for name, amount in change.increments.items():
            merged.increments[name] = merged.increments.get(name, 0) + amount

    def inserts(self) -> Iterator[tuple[type[Row], list[dict[str, object]]]]:
        for table, rows in self._inserts.items():
            if rows:
                yield table, list(rows.values())

    def updates(self) -> Iterator[UpdateGroup]:
        for table, by_key in self._updates.items():
            groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[object, ...]]] = {}
            for key, merged in by_key.items():
                set_columns = tuple(sorted(merged.values))
                increment_columns = tuple(sorted(merged.increments))
                params = (
                    *(merged.values[c] for c in set_columns),
                    *(merged.increments[c] for c in increment_columns),
                    *key,
                )
                groups.setdefault((set_columns, increment_columns), []).append(params)
            for (set_columns, increment_columns), params_list in groups.items():
                yield UpdateGroup(table, set_columns, increment_columns, params_list)
