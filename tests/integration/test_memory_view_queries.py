"""The dict-backed view answers every kind of condition, order and page as the SQLite view does.

Random beslut rows (some without a delegation or a report day, so NULLs are compared and
ordered), written as the same changes to both views, then asked the same questions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from hypothesis import given, settings
from hypothesis import strategies as st

from lerum_flow.projections.beslut import BeslutProjection, BeslutRow
from lerum_flow.projections.memory_view import MemoryView
from lerum_flow.projections.rows import Change, Insert, Update
from lerum_flow.projections.sql import Range
from lerum_flow.projections.store import MEMORY_ENV, open_view
from lerum_flow.projections.view import GovernanceView

DAY = date(2027, 1, 1)
IDS = [UUID(int=i * 7919) for i in range(1, 9)]


def _row(i: int, delegated: int | None, reported: int | None, organ: int) -> BeslutRow:
    return BeslutRow(
        id=IDS[i],
        decided_by=("kf", "ks", "kommundirektor")[organ],
        kind="ovrigt",
        diarienummer=f"KS {i}",
        paragraf="",
        title=f"Beslut {i % 3}",
        matter="",
        delegering_id=None if delegated is None else IDS[delegated],
        report_to="",
        decided_on=DAY + timedelta(days=i % 4),
        reported=reported is not None,
        reported_on=None if reported is None else DAY + timedelta(days=reported),
        minutes_paragraf="",
        corrections=0,
        recorded_at=datetime(2027, 1, 1, 8, tzinfo=UTC),
        changed_at=datetime(2027, 1, 1, 8, tzinfo=UTC),
        secrecy="",
        version=1,
    )


rows = st.lists(
    st.builds(
        _row,
        i=st.integers(0, len(IDS) - 1),
        delegated=st.none() | st.integers(0, 3),
        reported=st.none() | st.integers(0, 5),
        organ=st.integers(0, 2),
    ),
    unique_by=lambda r: r.id,
    max_size=len(IDS),
)
# Updates may name rows that are not there: both views then change nothing.
updates = st.lists(
    st.builds(
        lambda i, day, by: Update(
            BeslutRow,
            (IDS[i],),
            {"reported_on": None if day is None else DAY + timedelta(days=day)},
            {"corrections": by},
        ),
        i=st.integers(0, len(IDS) - 1),
        day=st.none() | st.integers(0, 5),
        by=st.integers(0, 2),
    ),
    max_size=6,
)
QUESTIONS: list[dict[str, object]] = [
    {},
    {"delegering_id": None},
    {"delegering_id": Range()},
    {"delegering_id": tuple(IDS[:2])},
    {"delegering_id": ()},
    {"decided_by": "ks"},
    {"reported_on": Range(low=DAY + timedelta(days=1), high=DAY + timedelta(days=3))},
    {"reported_on": Range(low=DAY + timedelta(days=1), after_low=True, or_null=True)},
    {"decided_on": Range(high=DAY + timedelta(days=2)), "decided_by": ("kf", "kommundirektor")},
]
ORDERS = [(), ("reported_on",), ("delegering_id", "title"), ("title", "reported_on")]


def _views() -> tuple[GovernanceView, MemoryView]:
    in_sqlite = open_view(BeslutProjection, dict(MEMORY_ENV)).view
    in_sqlite.keeps_history = False
    return in_sqlite, MemoryView(BeslutProjection.sqlite_view.row_types)


def _apply(view: GovernanceView, pages: list[list[Change]]) -> None:
    for position, changes in enumerate(pages, start=1):
        view.apply([(position, changes)], Tracking("governance", position), after=position - 1)


@settings(max_examples=60, deadline=None)
@given(inserted=rows, changed=updates)
def test_the_dict_view_answers_every_question_as_the_sqlite_view(
    inserted: list[BeslutRow], changed: list[Update]
) -> None:
    in_sqlite, in_dicts = _views()
    try:
        pages: list[list[Change]] = [[Insert(r) for r in inserted], list(changed), list(changed)]
        for view in (in_sqlite, in_dicts):
            _apply(view, pages)
        assert in_dicts.dump() == in_sqlite.dump()
        for where in QUESTIONS:
            assert in_dicts.count(BeslutRow, where) == in_sqlite.count(BeslutRow, where), where
            for order in ORDERS:
                for limit, offset in [(None, 0), (2, 1)]:
                    asked = {"order_by": order, "limit": limit, "offset": offset}
                    expected = in_sqlite.query(BeslutRow, where, **asked)  # type: ignore[arg-type]
                    assert in_dicts.query(BeslutRow, where, **asked) == expected, (where, asked)  # type: ignore[arg-type]
    finally:
        in_sqlite.datastore.close()  # type: ignore[attr-defined]


def test_a_key_inserted_again_is_refused_and_an_unknown_column_named() -> None:
    view = MemoryView(BeslutProjection.sqlite_view.row_types)
    row = _row(0, None, None, 0)
    _apply(view, [[Insert(row)]])
    with pytest.raises(IntegrityError):
        view.apply([(2, [Insert(replace(row, title="Igen"))])], Tracking("governance", 2), after=1)
    with pytest.raises(ValueError, match="no column"):
        view.query(BeslutRow, {"ingen": 1})
    assert view.select(BeslutRow) == [row]
