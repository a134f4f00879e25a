"""The SQL of the view tables, written once for SQLite and PostgreSQL.

The two differ only in placeholders, column types, and how a table name is
qualified; everything else about a statement is generated from the row class.
Table and column names come from the row classes in this package, never from
input, which is why building statements from strings is safe here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lerum_flow.projections.rows import ColumnKind, Row, column_names, columns

# Rows per batch when a query's rows are read a batch at a time (a view's `batches`).
BATCH_ROWS = 1000


@dataclass(frozen=True)
class Dialect:
    placeholder: str
    types: Mapping[ColumnKind, str]
    schema: str = ""
    # What follows the columns of a table stored in its key's order (`Row.clustered`).
    clustered: str = ""

    def table(self, row_type: type[Row]) -> str:
        return self.qualified(row_type.table)

    def qualified(self, name: str) -> str:
        return f'"{self.schema}"."{name}"' if self.schema else f'"{name}"'


SQLITE = Dialect(
    placeholder="?",
    types={
        "text": "TEXT",
        "integer": "INTEGER",
        "boolean": "INTEGER",
        "date": "TEXT",
        "timestamp": "TEXT",
        "uuid": "TEXT",
    },
    clustered=" WITHOUT ROWID",
)


def postgres(schema: str) -> Dialect:
    return Dialect(
        placeholder="%s",
        types={
            "text": "text",
            "integer": "bigint",
            "boolean": "boolean",
            "date": "date",
            "timestamp": "timestamptz",
            "uuid": "uuid",
        },
        schema=schema,
    )


# Values of one `IN` condition per statement: below every database's limit of parameters (a level of
# a large municipality's tree holds hundreds of positions; the orphans name a decision per chain).
CHUNK = 500


def in_chunks(values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """`values` in tuples of at most CHUNK, each the value of one `IN` condition."""
    for start in range(0, len(values), CHUNK):
        yield tuple(values[start : start + CHUNK])


def create_table(dialect: Dialect, row_type: type[Row]) -> list[str]:
    cols = ", ".join(
        f'"{c.name}" {dialect.types[c.kind]}{"" if c.nullable else " NOT NULL"}' for c in columns(row_type)
    )
    key = ", ".join(f'"{name}"' for name in row_type.key)
    stored = dialect.clustered if row_type.clustered else ""
    statements = [
        f"CREATE TABLE IF NOT EXISTS {dialect.table(row_type)} ({cols}, PRIMARY KEY ({key})){stored}"
    ]
    return statements + create_indexes(dialect, row_type)


# PostgreSQL keeps the first 63 bytes of a name: a longer index name is cut here, so both stores,
# the DROP and a test asking for the index all name it as PostgreSQL does.
NAME_BYTES = 63


def _index_names(row_type: type[Row]) -> list[tuple[str, tuple[str, ...]]]:
    """Each index of the table: its name and its columns."""
    found = []
    for indexed in row_type.indexes:
        names = (indexed,) if isinstance(indexed, str) else indexed
        found.append((f"{row_type.table}_{'_'.join(names)}_idx"[:NAME_BYTES], names))
    if len({name for name, _ in found}) < len(found):
        raise ValueError(
            f"{row_type.table}: two indexes whose names are alike in their first {NAME_BYTES} bytes"
        )
    return found


def create_indexes(dialect: Dialect, row_type: type[Row]) -> list[str]:
    statements = []
    for index, names in _index_names(row_type):
        cols = ", ".join(f'"{n}"' for n in names)
        statements.append(f'CREATE INDEX IF NOT EXISTS "{index}" ON {dialect.table(row_type)} ({cols})')
    return statements


def drop_indexes(dialect: Dialect, row_type: type[Row]) -> list[str]:
    return [f"DROP INDEX IF EXISTS {dialect.qualified(index)}" for index, _ in _index_names(row_type)]


def drop_table(dialect: Dialect, row_type: type[Row]) -> str:
    return f"DROP TABLE IF EXISTS {dialect.table(row_type)}"


def insert(dialect: Dialect, row_type: type[Row]) -> str:
    names = column_names(row_type)
    cols = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join(dialect.placeholder for _ in names)
    return f"INSERT INTO {dialect.table(row_type)} ({cols}) VALUES ({marks})"  # noqa: S608


def update(
    dialect: Dialect, row_type: type[Row], set_columns: Sequence[str], increment_columns: Sequence[str]
) -> str:
    p = dialect.placeholder
    assignments = [f'"{n}" = {p}' for n in set_columns]
    assignments += [f'"{n}" = "{n}" + {p}' for n in increment_columns]
    where = " AND ".join(f'"{n}" = {p}' for n in row_type.key)
    return f"UPDATE {dialect.table(row_type)} SET {', '.join(assignments)} WHERE {where}"  # noqa: S608


def delete(dialect: Dialect, row_type: type[Row]) -> str:
    """Delete the row with the key given."""
    where = " AND ".join(f'"{n}" = {dialect.placeholder}' for n in row_type.key)
    return f"DELETE FROM {dialect.table(row_type)} WHERE {where}"  # noqa: S608


def current_from_history(dialect: Dialect, row_type: type[Row], history: type[Row]) -> str:
    """Insert into `row_type`'s table the rows of its history table (`history`, which has the
    same columns and the intervals) that hold from some day on, as known now: their
    `held_until` and `known_until` (both parameters) are the open end."""
    cols = ", ".join(f'"{n}"' for n in column_names(row_type))
    p = dialect.placeholder
    return (
        f"INSERT INTO {dialect.table(row_type)} ({cols}) SELECT {cols} "  # noqa: S608
        f'FROM {dialect.table(history)} WHERE "held_until" = {p} AND "known_until" = {p}'
    )


def copy_in(dialect: Dialect, row_type: type[Row]) -> str:
    """COPY of new rows into the table, its columns in field order (PostgreSQL)."""
    cols = ", ".join(f'"{n}"' for n in column_names(row_type))
    return f"COPY {dialect.table(row_type)} ({cols}) FROM STDIN"


def insert_unnest(dialect: Dialect, row_type: type[Row]) -> str:
    """One INSERT of many rows, each column passed as one array (PostgreSQL)."""
    cols = columns(row_type)
    names = ", ".join(f'"{c.name}"' for c in cols)
    arrays = ", ".join(f"{dialect.placeholder}::{dialect.types[c.kind]}[]" for c in cols)
    return f"INSERT INTO {dialect.table(row_type)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608


def update_unnest(
    dialect: Dialect, row_type: type[Row], set_columns: Sequence[str], increment_columns: Sequence[str]
) -> str:
    """One UPDATE of many rows from arrays of new values, increments and keys (PostgreSQL)."""
    kind_of = {c.name: c.kind for c in columns(row_type)}
    order = [*set_columns, *increment_columns, *row_type.key]
    aliases = [f"v{i}" for i in range(len(order))]
    arrays = ", ".join(f"{dialect.placeholder}::{dialect.types[kind_of[n]]}[]" for n in order)
    alias_of = dict(zip(order[: len(set_columns) + len(increment_columns)], aliases, strict=False))
    assignments = [f'"{n}" = v.{alias_of[n]}' for n in set_columns]
    assignments += [f'"{n}" = t."{n}" + v.{alias_of[n]}' for n in increment_columns]
    key_aliases = aliases[len(set_columns) + len(increment_columns) :]
    where = " AND ".join(f't."{n}" = v.{a}' for n, a in zip(row_type.key, key_aliases, strict=True))
    return (
        f"UPDATE {dialect.table(row_type)} AS t SET {', '.join(assignments)} "  # noqa: S608
        f"FROM unnest({arrays}) AS v({', '.join(aliases)}) WHERE {where}"
    )


@dataclass(frozen=True)
class Range:
    """A condition on one column: a value from `low` to `high` (None: open at that end), so
    `Range()` is any value but NULL.

    `low` is included unless `after_low`; `or_null` lets NULL match too (an open end date).
    """

    low: object = None
    high: object = None
    after_low: bool = False
    or_null: bool = False

    def converted(self, convert: Callable[[object], object]) -> Range:
        low = None if self.low is None else convert(self.low)
        high = None if self.high is None else convert(self.high)
        return replace(self, low=low, high=high)


def _conditions(
    dialect: Dialect, row_type: type[Row], where: Mapping[str, object]
) -> tuple[list[str], list[object]]:
    names = set(column_names(row_type))
    conditions: list[str] = []
    params: list[object] = []
    p = dialect.placeholder
    for name, value in where.items():
        if name not in names:
            raise ValueError(f"{row_type.table} has no column {name}")
        if isinstance(value, Range):
            parts = []
            if value.low is not None:
                parts.append(f'"{name}" {">" if value.after_low else ">="} {p}')
                params.append(value.low)
            if value.high is not None:
                parts.append(f'"{name}" <= {p}')
                params.append(value.high)
            condition = " AND ".join(parts) or f'"{name}" IS NOT NULL'
            conditions.append(f'({condition} OR "{name}" IS NULL)' if value.or_null else f"({condition})")
        elif isinstance(value, tuple | list | set | frozenset):
            values = list(value)
            if not values:
                conditions.append("1 = 0")
                continue
            conditions.append(f'"{name}" IN ({", ".join(p for _ in values)})')
            params.extend(values)
        elif value is None:
            conditions.append(f'"{name}" IS NULL')
        else:
            conditions.append(f'"{name}" = {p}')
            params.append(value)
    return conditions, params


def select(
    dialect: Dialect,
    row_type: type[Row],
    where: Mapping[str, object],
    *,
    order_by: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
    only: Sequence[str] | None = None,
) -> tuple[str, list[object]]:
    """Rows whose columns equal the given values (a tuple or list means: one of these; a Range:
    within it), in the order of `order_by` and then the key, perhaps one page of them; with
    `only`, just those columns."""
    conditions, params = _conditions(dialect, row_type, where)
    names = column_names(row_type)
    unknown = [n for n in (*order_by, *(only or ())) if n not in names]
    if unknown:
        raise ValueError(f"{row_type.table} has no column {unknown[0]}")
    cols = ", ".join(f'"{n}"' for n in (only or names))
    order = ", ".join(f'"{n}"' for n in (*order_by, *row_type.key))
    statement = f"SELECT {cols} FROM {dialect.table(row_type)}"  # noqa: S608
    if conditions:
        statement += " WHERE " + " AND ".join(conditions)
    statement += f" ORDER BY {order}"
    if limit is not None:
        statement += f" LIMIT {dialect.placeholder} OFFSET {dialect.placeholder}"
        params += [limit, offset]
    elif offset:
        raise ValueError("an offset needs a limit")
    return statement, params


def count(dialect: Dialect, row_type: type[Row], where: Mapping[str, object]) -> tuple[str, list[object]]:
    """How many rows `select` with the same conditions finds, unpaged."""
    conditions, params = _conditions(dialect, row_type, where)
    statement = f"SELECT count(*) AS n FROM {dialect.table(row_type)}"  # noqa: S608
    if conditions:
        statement += " WHERE " + " AND ".join(conditions)
    return statement, params
