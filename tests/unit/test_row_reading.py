"""Rows read in bulk are the same rows their dataclass builds, and the collector is left as it was."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.row_reading import Reader, build_rows, collector_paused, uuid_from_text
from lerum_flow.projections.rows import column_names, row_values


def test_an_id_read_from_its_text_equals_and_hashes_as_the_uuid_it_was() -> None:
    for _ in range(100):
        original = uuid4()
        read = uuid_from_text(str(original))
        assert (read, hash(read), str(read), read.version) == (original, hash(original), str(original), 4)
        assert {read: 1}[original] == 1


def _read(value: object) -> Reader:
    if isinstance(value, UUID):
        return uuid_from_text
    if isinstance(value, datetime):
        return datetime.fromisoformat
    return date.fromisoformat if isinstance(value, date) else None


def test_rows_built_from_columns_equal_rows_built_by_their_dataclass() -> None:
    parent, now = uuid4(), datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    expected = [
        DelegeringRow(
            id=uuid4(),
            granted_by="kommunstyrelsen",
            delegate=f"delegat {i}",
            matter="personal",
            urgent=i == 1,
            beslut_id=uuid4(),
            parent_id=None if i == 0 else parent,
            conditions="",
            valid_from=date(2027, 1, i + 1),
            valid_until=None,
            revocation_reason="",
            revoked_by_beslut_id=None,
            granted_at=now,
            changed_at=now,
            version=i + 1,
        )
        for i in range(3)
    ]
    names = column_names(DelegeringRow)
    # As SQLite returns them: ids, days and times as text, read back by their columns' readers.
    stored = [[str(v) if isinstance(v, UUID | date) else v for v in row_values(r).values()] for r in expected]
    readers = [_read(v) for v in row_values(expected[1]).values()]
    built = build_rows(DelegeringRow, names, stored, readers)
    assert built == expected
    assert [row_values(r) for r in built] == [row_values(r) for r in expected]
    assert build_rows(DelegeringRow, names, [], readers) == []
    # An id that several rows of a batch name (not their own key) is read once, shared as the value it is.
    assert built[1].parent_id is built[2].parent_id
    assert built[1].id is not built[2].id


def test_the_collector_runs_again_after_a_bulk_read_unless_it_was_off() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
