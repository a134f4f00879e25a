"""Every view row with the two intervals in which it held: business time and record time.

Why: the auditor asks "what held on T, as known on K" for the whole
municipality; replaying the log for each question costs a minute on a large
store. Each view keeps, beside its current rows, a history table whose rows
carry `held_from`/`held_until` (the days of business time, the day of the
asking included from, excluded until) and `known_from`/`known_until` (the days
of record time, likewise). A question is then one indexed query per table.

The replay (`asof.replay`) stays the definition. It folds, in log order,
the changes of the events that took effect by T (a correction: always) and
were recorded by the end of K. An event read in log order is the last of
every fold it joins, so its change applies, on top of what held before, to
exactly the region T >= its effective day, K >= its recorded day: the rows
overlapping that region are split at its edges and the part inside changed.
Nothing else moves, so a late record or a correction closes the intervals
it supersedes and opens new ones, and every (T, K) reads what the replay
would build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, make_dataclass
from datetime import date, datetime
from typing import Any, ClassVar, get_type_hints

from eventsourcing.persistence import IntegrityError

from lerum_flow.domain.in_force import RETROACTIVE
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.rows import Change, Insert, Row, TRow, row_values
from lerum_flow.projections.sql import BATCH_ROWS, Range

# A correction says what a recorded fact always was: it counts on every day of business time.

# The end of an interval that has not ended.
OPEN = date.max
AXES = ("held_from", "held_until", "known_from", "known_until")


@dataclass(frozen=True)
class Axes:
    """From which day of business time an event counts, and from which day of record time."""

    effective_on: date
    known_on: date


# What a change made without an event (a test's rows) counts as: always, and always known.
TIMELESS = Axes(date.min, date.min)


def axes_of(event: Any) -> Axes:
    """The event's days on the two axes, as `asof.AsOf.includes` reads them: known from the day
    (in the municipality's time) it was recorded, in effect from its effective day."""
    known = event.timestamp.astimezone(MUNICIPAL_TIME).date()
    effective = date.min if isinstance(event, RETROACTIVE) else event.effective_on
    return Axes(effective, known)


# The municipality's day of a UTC time, by the time's date and hour: its offset changes on the hour.
_DAY_OF_HOUR: dict[str, date] = {}


def known_on_stored(timestamp: str) -> date:
    """`axes_of`'s day of record time of an event recorded at `timestamp`, as stored (`isoformat()`):
    what a rebuild reading the stored events itself takes (`record_rebuild`)."""
    hour = timestamp[:13]
    day = _DAY_OF_HOUR.get(hour) if timestamp.endswith("+00:00") else None
    if day is None:
        day = datetime.fromisoformat(timestamp).astimezone(MUNICIPAL_TIME).date()
        if timestamp.endswith("+00:00"):
            _DAY_OF_HOUR[hour] = day
    return day


class IsoDays(dict[date, str]):
    """Each day's `isoformat()`, made once: a rebuild's folds write the same few thousand days four
    times a row."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


_HISTORY: dict[type[Row], type[Row]] = {}


def history_type(row_type: type[Row]) -> type[Row]:
    """The row class of `row_type`'s history table: its columns and the two intervals."""
    found = _HISTORY.get(row_type)
    if found is None:
        hints = get_type_hints(row_type)
        fields: list[Any] = [(f.name, hints[f.name]) for f in dataclasses.fields(row_type)]  # type: ignore[arg-type]
        fields += [(name, date) for name in AXES]
        namespace = {
            "table": f"{row_type.table}_history",
            "key": (*row_type.key, "held_from", "known_from"),
            # Only the key (a record's rows by its id first): a question about the whole municipality
            # reads most of the table anyway, and every further index is written in every rebuild;
            # a table asked about one person or position as of a day names its own.
            "indexes": getattr(row_type, "history_indexes", ()),
            # Written in a rebuild in the order rows are folded, not by key: one tree to write.
            "clustered": True,
            "current": row_type,
        }
        found = make_dataclass(
            f"{row_type.__name__}History", fields, bases=(Row,), frozen=True, namespace=namespace
        )
        _HISTORY[row_type] = found
    return found


def history_types_of(row_types: Sequence[type[Row]]) -> tuple[type[Row], ...]:
    """The history tables of a view whose current rows are `row_types`: one per historic table."""
    return tuple(history_type(t) for t in row_types if t.historic)


@dataclass(slots=True)
class Region:
    """A row's values over [held_from, held_until) × [known_from, known_until)."""

    held_from: date
    held_until: date
    known_from: date
    known_until: date
    values: dict[str, object]

    def identity(self) -> tuple[object, ...]:
        return (self.held_from, self.held_until, self.known_from, self.known_until, *self.values.items())


def apply_change(regions: list[Region], change: Change, axes: Axes) -> list[Region]:
    """One row's regions after an event read in log order made `change`, from `axes` on."""
    held, known = axes.effective_on, axes.known_on
    if isinstance(change, Insert):
        if regions:
            raise IntegrityError(f"{type(change.row).table}: key inserted twice")
        return [Region(held, OPEN, known, OPEN, row_values(change.row))]
    result: list[Region] = []
    for r in regions:
        if r.held_until <= held or r.known_until <= known:
            result.append(r)
            continue
        changed = dict(r.values)
        changed.update(change.values)
        for name, amount in change.increments.items():
            changed[name] = int(changed[name]) + amount  # type: ignore[call-overload]
        if changed == r.values:
            result.append(r)
            continue
        inside_from = max(r.held_from, held)
        if r.held_from < held:
            result.append(Region(r.held_from, held, r.known_from, r.known_until, r.values))
        if r.known_from < known:
            result.append(Region(inside_from, r.held_until, r.known_from, known, r.values))
        result.append(Region(inside_from, r.held_until, max(r.known_from, known), r.known_until, changed))
    return result


def change_table(change: Change) -> type[Row]:
    """The row class (the table) a change is to."""
    return type(change.row) if isinstance(change, Insert) else change.table


def change_key(change: Change) -> tuple[type[Row], tuple[object, ...]]:
    if isinstance(change, Insert):
        row_type = type(change.row)
        return row_type, tuple(getattr(change.row, name) for name in row_type.key)
    return change.table, change.key


def region_of(history_row: Mapping[str, object], row_type: type[Row]) -> Region:
    values = {name: history_row[name] for name in (f.name for f in dataclasses.fields(row_type))}  # type: ignore[arg-type]
    return Region(
        history_row["held_from"],  # type: ignore[arg-type]
        history_row["held_until"],  # type: ignore[arg-type]
        history_row["known_from"],  # type: ignore[arg-type]
        history_row["known_until"],  # type: ignore[arg-type]
        values,
    )


def history_values(region: Region) -> dict[str, object]:
    """The region as the values of a row of the history table."""
    return {
        **region.values,
        "held_from": region.held_from,
        "held_until": region.held_until,
        "known_from": region.known_from,
        "known_until": region.known_until,
    }


@dataclass(frozen=True)
class HistoryChanges:
    """What a page does to the history tables: rows to delete (by key) and rows to insert (as
    values by column, per history table)."""

    deletes: dict[type[Row], list[tuple[object, ...]]]
    inserts: dict[type[Row], list[dict[str, object]]]


# Reads, per key of `row_type`'s rows, the history rows still known after the day given.
HistoryLoader = Callable[
    [type[Row], set[tuple[object, ...]], date], Mapping[tuple[object, ...], list[dict[str, object]]]
]


def fold_page(events: Iterable[tuple[Sequence[Change], Axes]], load: HistoryLoader) -> HistoryChanges:
    """The history tables' changes for these events (in log order); `load` reads the rows they
    may change: those known after the earliest day the page's events were recorded."""
    events = list(events)
    if not events:
        return HistoryChanges({}, {})
    since = min(axes.known_on for _, axes in events)
    keys: dict[type[Row], set[tuple[object, ...]]] = {}
    # Each change of a table with history, with the row it changes (worked out once).
    located: list[tuple[list[tuple[tuple[type[Row], tuple[object, ...]], Change]], Axes]] = []
    for changes, axes in events:
        here: list[tuple[tuple[type[Row], tuple[object, ...]], Change]] = []
        for change in changes:
            row_type, key = change_key(change)
            if row_type.historic:
                keys.setdefault(row_type, set()).add(key)
                here.append(((row_type, key), change))
        located.append((here, axes))
    before: dict[tuple[type[Row], tuple[object, ...]], list[Region]] = {}
    for row_type, wanted in keys.items():
        loaded = load(row_type, wanted, since)
        for key in wanted:
            before[(row_type, key)] = [region_of(r, row_type) for r in loaded.get(key, [])]
    after = {k: list(v) for k, v in before.items()}
    for here, axes in located:
        for where, change in here:
            after[where] = apply_change(after[where], change, axes)
    deletes: dict[type[Row], list[tuple[object, ...]]] = {}
    inserts: dict[type[Row], list[dict[str, object]]] = {}
    for (row_type, key), regions in after.items():
        table = history_type(row_type)
        new_rows = inserts.setdefault(table, [])
        old_regions = before[(row_type, key)]
        if not old_regions:  # a new row (every row, in a rebuild): nothing to compare
            new_rows += [history_values(r) for r in regions]
            continue
        old = {r.identity(): r for r in old_regions}
        new = {r.identity(): r for r in regions}
        for identity, region in old.items():
            if identity not in new:
                deletes.setdefault(row_type, []).append((*key, region.held_from, region.known_from))
        new_rows += [history_values(r) for identity, r in new.items() if identity not in old]
    return HistoryChanges(deletes, inserts)


def as_of_conditions(on: date, known_on: date | None) -> dict[str, object]:
    """A history query's conditions for the rows that held on `on` as known by the end of `known_on`
    (None: as known now)."""
    return {
        "held_from": Range(high=on),
        "held_until": Range(low=on, after_low=True),
        **known_conditions(known_on),
    }


def known_conditions(known_on: date | None) -> dict[str, object]:
    """A history query's conditions for the rows known by the end of `known_on` (None: as known now),
    whichever days of business time they held."""
    if known_on is None:
        return {"known_until": OPEN}
    return {"known_from": Range(high=known_on), "known_until": Range(low=known_on, after_low=True)}


class HistoryReads:
    """A view read as of a day and as known on a day: the same `select`, `query` and `count` as
    the view's own, answered from its history tables."""

    reads_history: ClassVar[bool] = True

    def __init__(self, view: Any, on: date, known_on: date | None) -> None:
        self.view = view
        self.conditions = as_of_conditions(on, known_on)

    def select(self, row_type: type[TRow], **where: object) -> list[TRow]:
        return self.query(row_type, where)

    def query(
        self,
        row_type: type[TRow],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TRow]:
        found: list[TRow] = self.view.query_into(
            row_type,
            history_type(row_type),
            {**where, **self.conditions},
            order_by=order_by,
            limit=limit,
            offset=offset,
        )
        return found

    def batches(
        self,
        row_type: type[TRow],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        size: int = BATCH_ROWS,
    ) -> Iterator[list[TRow]]:
        found: Iterator[list[TRow]] = self.view.batches_into(
            row_type, history_type(row_type), {**where, **self.conditions}, order_by=order_by, size=size
        )
        return found

    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        return int(self.view.count(history_type(row_type), {**where, **self.conditions}))

    def dump(self) -> dict[str, list[Row]]:
        return {t.table: list(self.select(t)) for t in self.view.row_types if t.historic}
