"""View rows as frozen dataclasses, and the two changes a projection makes to them.

A row class is the single definition of a view table: its columns, their SQL
types (derived from the annotations), its key and its indexes. Projections
describe what an event does as `Insert` and `Update` changes; the SQLite and
PostgreSQL views turn those into SQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin, get_type_hints
from uuid import UUID

ColumnKind = Literal["text", "integer", "boolean", "date", "timestamp", "uuid"]

TRow = TypeVar("TRow", bound="Row")

# Checked in this order: bool is an int and datetime is a date.
_KINDS: tuple[tuple[type, ColumnKind], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (datetime, "timestamp"),
    (date, "date"),
    (UUID, "uuid"),
    (str, "text"),
)


class Row:
    """Base of every view row; subclasses are frozen dataclasses."""

    table: ClassVar[str]
    key: ClassVar[tuple[str, ...]] = ("id",)
    # A column's name, or several columns' names (one index on them together).
    indexes: ClassVar[tuple[str | tuple[str, ...], ...]] = ()
    # Whether the view keeps the table's history for as-of questions (bitemporal.py).
    historic: ClassVar[bool] = True
    # Stored in the order of its key, where the database can (SQLite's WITHOUT ROWID): one
    # tree to write instead of the table and its key's index.
    clustered: ClassVar[bool] = False


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    nullable: bool


_COLUMNS: dict[type[Row], tuple[Column, ...]] = {}


def columns(row_type: type[Row]) -> tuple[Column, ...]:
    """The table's columns in field order, typed from the dataclass annotations."""
    found = _COLUMNS.get(row_type)
    if found is None:
        hints = get_type_hints(row_type)
        fields = dataclasses.fields(row_type)  # type: ignore[arg-type]
        found = _COLUMNS[row_type] = tuple(_column(f.name, hints[f.name]) for f in fields)
    return found


def _column(name: str, annotation: Any) -> Column:
    nullable = False
    if get_origin(annotation) in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not NoneType]
        nullable = len(members) < len(get_args(annotation))
        if len(members) != 1:
            raise TypeError(f"Column {name}: one type (or it and None) only, not {annotation}")
        annotation = members[0]
    for python_type, kind in _KINDS:
        if isinstance(annotation, type) and issubclass(annotation, python_type):
            return Column(name, kind, nullable)
    raise TypeError(f"Column {name}: no SQL type for {annotation}")


def column_names(row_type: type[Row]) -> tuple[str, ...]:
    return tuple(c.name for c in columns(row_type))


@dataclass(frozen=True)
class Insert:
    """A new row; inserting a key twice is an error, never a silent overwrite."""

    row: Row


@dataclass(frozen=True)
class Update:
    """Set some columns and add to counters of the row with `key`.

    An update of a row that is not there changes nothing: in an as-of replay
    the row's creation may lie after the chosen date.
    """

    table: type[Row]
    key: tuple[object, ...]
    values: Mapping[str, object] = field(default_factory=dict)
    increments: Mapping[str, int] = field(default_factory=dict)


Change = Insert | Update


def row_values(row: Row) -> dict[str, object]:
    """The row's column values by name (a shallow copy, so it can be changed)."""
    return dict(vars(row))


def row_key(row_type: type[Row], values: Mapping[str, object]) -> tuple[object, ...]:
    key = row_type.key
    if len(key) == 1:  # most tables: spares building a generator for every row of a rebuild
        return (values[key[0]],)
    return tuple(values[name] for name in key)


def plain(row: Row) -> dict[str, object]:
    """The row as JSON-ready values: ids as strings, dates and times in ISO 8601."""
    result: dict[str, object] = {}
    for name, value in vars(row).items():
        if isinstance(value, UUID):
            result[name] = str(value)
        elif isinstance(value, date):
            result[name] = value.isoformat()
        else:
            result[name] = value
    return result
