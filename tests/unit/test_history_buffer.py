"""A rebuild's history held in memory ends in the same history rows as pages applied one by one,
however few rows it may hold (a row written out and changed again is read back)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from hypothesis import given, settings
from hypothesis import strategies as st

from lerum_flow.projections.bitemporal import Axes, HistoryChanges, fold_page, history_type
from lerum_flow.projections.history_buffer import HistoryBuffer
from lerum_flow.projections.rows import Change, Insert, Row, Update, row_key

DAY = date(2027, 1, 1)


@dataclass(frozen=True)
class ThingRow(Row):
    table: ClassVar[str] = "thing_view"

    id: int
    state: str
    count: int


class Table:
    """A history table in memory: rows by key, as a view's table holds them."""

    def __init__(self) -> None:
        self.rows: dict[tuple[object, ...], dict[str, object]] = {}

    def load(
        self, row_type: type[Row], keys: set[tuple[object, ...]], since: date
    ) -> Mapping[tuple[object, ...], list[dict[str, object]]]:
        found: dict[tuple[object, ...], list[dict[str, object]]] = {}
        for values in self.rows.values():
            key = row_key(row_type, values)
            if key in keys and values["known_until"] > since:  # type: ignore[operator]
                found.setdefault(key, []).append(values)
        return found

    def write(self, changes: HistoryChanges) -> None:
        for row_type, keys in changes.deletes.items():
            for key in keys:
                del self.rows[key]
            assert history_type(row_type) is history_type(ThingRow)
        for table, rows in changes.inserts.items():
            for values in rows:
                key = row_key(table, values)
                assert key not in self.rows, key
                self.rows[key] = values


events = st.lists(
    st.tuples(
        st.integers(0, 3),  # which row
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 40),  # effective day
        st.integers(0, 40),  # recorded day
    ),
    min_size=1,
    max_size=30,
)


def _changes(picked: list[tuple[int, str, int, int]]) -> list[tuple[list[Change], Axes]]:
    made: set[int] = set()
    result: list[tuple[list[Change], Axes]] = []
    recorded = 0
    for ident, state, effective, later in picked:
        recorded = max(recorded, later)  # record time runs forward in log order, as in the log
        axes = Axes(DAY + timedelta(days=effective), DAY + timedelta(days=recorded))
        if ident in made:
            change: Change = Update(ThingRow, (ident,), {"state": state}, {"count": 1})
        else:
            made.add(ident)
            change = Insert(ThingRow(id=ident, state=state, count=0))
        result.append(([change], axes))
    return result


@settings(max_examples=200, deadline=None)
@given(picked=events, limit=st.integers(1, 3), page=st.integers(1, 4))
def test_the_held_history_ends_as_the_pages_applied_one_by_one(
    picked: list[tuple[int, str, int, int]], limit: int, page: int
) -> None:
    changes = _changes(picked)
    by_pages = Table()
    for start in range(0, len(changes), page):
        by_pages.write(fold_page(changes[start : start + page], by_pages.load))
    held = Table()
    buffer = HistoryBuffer(limit=limit)
    for start in range(0, len(changes), page):
        held.write(buffer.add(changes[start : start + page], held.load))
        assert len(buffer) <= max(limit, page)
    held.write(HistoryChanges({}, buffer.flush()))
    assert held.rows == by_pages.rows


@given(picked=events, limit=st.integers(1, 3))
def test_rows_written_together_come_in_the_order_of_their_keys(
    picked: list[tuple[int, str, int, int]], limit: int
) -> None:
    """Appended to the history table's B-tree in its key's order, never split into it at random."""
    buffer = HistoryBuffer(limit=limit)
    written_early = buffer.add(_changes(picked), Table().load).inserts
    for inserts in (written_early, buffer.flush()):
        for rows in inserts.values():
            ids = [int(str(values["id"])) for values in rows]
            assert ids == sorted(ids)
