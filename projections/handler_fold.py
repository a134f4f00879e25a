"""A record's stored events folded through its projection's own handlers into the rows they make,
as the database stores them: what a rebuild record by record (`record_rebuild`) writes.

Why: decoding every event into ids, dates and times, building rows of them and turning each value
back into text for the database was most of a view's rebuild (profiled: the beslut view of a
Lerum mandate period). The stored JSON already holds each value in the text a view stores: a
date's and a time's `isoformat()`, an id's hex digits (`persistence.stored_as_text`). So each event is
made an instance of its class holding those texts (ids dashed, as `str(UUID)`), the projection's
handler makes its changes of it, and `apply_change` folds them, as a page would: the handlers stay
the one definition of what an event does to a view. A view's changes of another record's rows,
or a handler reading more of a value than its text, show in the tests comparing a rebuild by
record with the view that followed the log (`test_rebuild_by_record`), never silently here:
a change of another record's row is refused.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from lerum_flow.domain.in_force import RETROACTIVE
from lerum_flow.persistence import stored_as_text
from lerum_flow.projections.bitemporal import (
    Axes,
    IsoDays,
    Region,
    apply_change,
    history_type,
    known_on_stored,
)
from lerum_flow.projections.record_order import RecordFold, StoredEvent, StoredRows
from lerum_flow.projections.rows import Change, Insert, Row, column_names

Handler = Callable[[Any], Sequence[Change]]
# Set from the events table's columns, not the stored state.
_SET_BY_FOLD = ("originator_id", "originator_version")


# How a field's value is stored: as the view stores it (text, a number), or typed (an id, a date,
# a time: `persistence.stored_as_text`).
_Stored = Literal["plain", "typed"]
_Where = tuple[type[Row], tuple[object, ...]]


def handler_fold(handlers: Mapping[type[Any], Handler]) -> RecordFold | None:
    """The fold of a record's stored events through `handlers`; None when an event has a field
    whose stored value is not the text a view stores (then the view is rebuilt from the pages)."""
    routes: dict[str, _Route] = {}
    for event_class, handler in handlers.items():
        typed = _typed_fields(event_class)
        if typed is None:
            return None
        always = issubclass(event_class, RETROACTIVE)
        routes[get_topic(event_class)] = _Route(event_class, handler, always, typed)
    return _Fold(routes)


class _Route(NamedTuple):
    event_class: type[Any]
    handler: Handler
    # Counts on every day of business time (`bitemporal.axes_of`).
    always: bool
    # The fields stored as typed values: ids, dates and times.
    typed: tuple[str, ...]


def _typed_fields(event_class: type[Any]) -> tuple[str, ...] | None:
    """The names of the event's fields of an id's, a date's or a time's type; None if a field has a
    type whose stored value is not the text (or number) a view stores."""
    hints = get_type_hints(event_class)
    typed: list[str] = []
    for f in dataclasses.fields(event_class):
        if f.name in _SET_BY_FOLD:
            continue
        kind = _stored_kind(hints[f.name])
        if kind is None:
            return None
        if kind == "typed":
            typed.append(f.name)
    return tuple(typed)


def _stored_kind(annotation: Any) -> _Stored | None:
    """How a value of this type is stored; None if not as a view's text: of the one type besides
    None, or of a list's members (plain only)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return _stored_kind(members[0]) if len(members) == 1 else None
    if origin is list:
        (member,) = get_args(annotation)
        return "plain" if _stored_kind(member) == "plain" else None
    # Exactly these: a subclass (an enum, say) may have a transcoding of its own.
    if annotation in (str, int, bool):
        return "plain"
    if annotation in (date, datetime, UUID):
        return "typed"
    return None


class _Fold:
    """One projection's fold (`RecordFold`): each record's events, in order, into `StoredRows`."""

    def __init__(self, routes: dict[str, _Route]) -> None:
        self.routes = routes
        self._columns: dict[type[Row], Callable[[dict[str, object]], tuple[object, ...]]] = {}
        self._keys: dict[type[Row], Callable[[Row], tuple[object, ...]]] = {}
        self._iso = IsoDays()

    def __call__(self, record: Sequence[StoredEvent], rows: StoredRows) -> None:
        record_id = record[0].originator_id
        regions: dict[_Where, list[Region]] = {}
        # Rows without history: as they stand after the record's last event.
        current: dict[_Where, dict[str, object]] = {}
        for stored in record:
            event_class, handler, always, typed = self.routes[stored.topic]
            event = _event(event_class, typed, stored)
            effective = date.min if always else date.fromisoformat(event.effective_on)
            axes = Axes(effective, known_on_stored(event.timestamp))
            for change in handler(event):
                if isinstance(change, Insert):
                    table = type(change.row)
                    key = self._key_of(table)(change.row)
                else:
                    table, key = change.table, change.key
                if key[0] != record_id:
                    raise IntegrityError(f"{table.table}: {stored.topic} changes a row of another record")
                where = (table, key)
                if table.historic:
                    regions[where] = apply_change(regions.get(where, []), change, axes)
                else:
                    _change_current(current, where, change)
        iso = self._iso
        for where in sorted(regions, key=_table_and_key) if len(regions) > 1 else regions:
            values_of = self._values_of(where[0])
            history = rows.setdefault(history_type(where[0]), [])
            for r in regions[where]:
                history.append(
                    (
                        *values_of(r.values),
                        iso[r.held_from],
                        iso[r.held_until],
                        iso[r.known_from],
                        iso[r.known_until],
                    )
                )
        for where in sorted(current, key=_table_and_key) if len(current) > 1 else current:
            rows.setdefault(where[0], []).append(self._values_of(where[0])(current[where]))

    def _key_of(self, table: type[Row]) -> Callable[[Row], tuple[object, ...]]:
        """A row's key, picked in C."""
        found = self._keys.get(table)
        if found is None:
            pick = attrgetter(*table.key)
            found = self._keys[table] = pick if len(table.key) > 1 else (lambda row: (pick(row),))
        return found

    def _values_of(self, table: type[Row]) -> Callable[[dict[str, object]], tuple[object, ...]]:
        """A row's values in the order of its table's columns, picked in C (a row of a rebuild each)."""
        found = self._columns.get(table)
        if found is None:
            names = column_names(table)
            pick = itemgetter(*names)
            found = self._columns[table] = pick if len(names) > 1 else (lambda values: (pick(values),))
        return found


def _event(event_class: type[Any], typed: Sequence[str], stored: StoredEvent) -> Any:
    """The event as an instance of its class whose ids, dates and times are the text a view stores
    (as the library's mapper makes one: without running its constructor)."""
    fields = stored_as_text(stored.state, typed)
    fields["originator_id"] = stored.originator_id
    fields["originator_version"] = stored.originator_version
    event = object.__new__(event_class)
    event.__dict__.update(fields)
    return event


def _change_current(current: dict[_Where, dict[str, object]], where: _Where, change: Change) -> None:
    """A row without history changed as the view's SQL changes it: an insert of a key there is an
    error, an update of a row not there changes nothing."""
    if isinstance(change, Insert):
        if where in current:
            raise IntegrityError(f"{where[0].table}: key inserted twice")
        current[where] = dict(vars(change.row))
        return
    values = current.get(where)
    if values is None:
        return
    values.update(change.values)
    for name, amount in change.increments.items():
        values[name] = int(values[name]) + amount  # type: ignore[call-overload]


def _table_and_key(where: _Where) -> tuple[str, tuple[Any, ...]]:
    return (where[0].table, where[1])
