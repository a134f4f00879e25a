"""Projections as pure functions: events to row changes, pages folded into few statements,
and the as-of filter on both time axes. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError
from unit.domain_builders import delegated_beslut, issued_uppdrag, organ_beslut, reported_uppdrag, stamp

from lerum_flow.domain.beslut import Beslut
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.batch import Batch
from lerum_flow.projections.beslut import BeslutProjection
from lerum_flow.projections.rows import Column, Insert, Update, columns
from lerum_flow.projections.uppdrag import ReportRow, UppdragProjection, UppdragRow


def _events(aggregate: Any) -> list[Any]:
    return list(aggregate.collect_events())


def test_an_issued_uppdrag_becomes_one_new_row_with_its_first_status() -> None:
    """Issue inserts the uppdrag's row, status utfärdat, with its effective and recorded times."""
    [issued] = _events(issued_uppdrag())
    [change] = UppdragProjection.changes(issued)
    assert isinstance(change, Insert)
    assert isinstance(change.row, UppdragRow)
    assert (change.row.status, change.row.issued_on, change.row.issued_at) == (
        "utfardat",
        issued.effective_on,
        issued.timestamp,
    )


def test_a_report_updates_the_uppdrag_and_adds_a_report_row() -> None:
    """A report sets status and assessment, counts the report and keeps the report itself."""
    reported = _events(reported_uppdrag())[-1]
    update, insert = UppdragProjection.changes(reported)
    assert isinstance(update, Update)
    assert isinstance(insert, Insert)
    assert update.values["status"] == "rapporterat"
    assert update.increments == {"reports": 1}
    assert isinstance(insert.row, ReportRow)
    assert insert.row.assessment == "uppfyllt"


def test_events_of_other_aggregates_change_nothing_in_a_view() -> None:
    """The uppdrag projection ignores a decision's events."""
    [taken] = _events(delegated_beslut())
    assert UppdragProjection.changes(taken) == ()
    assert BeslutProjection.changes(taken) != ()


def test_columns_are_typed_from_the_row_annotations() -> None:
    """A row class is the table's definition: optional dates are nullable date columns."""
    by_name = {c.name: c for c in columns(UppdragRow)}
    assert by_name["due"] == Column("due", "date", nullable=True)
    assert by_name["id"] == Column("id", "uuid", nullable=False)
    assert by_name["issued_at"].kind == "timestamp"
    assert by_name["reports"].kind == "integer"


def test_a_page_applies_updates_of_its_own_new_rows_in_memory() -> None:
    """An uppdrag issued and accepted in one page is one insert with the later status."""
    uppdrag = issued_uppdrag()
    uppdrag.accept(stamp(uppdrag.recipient))
    batch = Batch()
    for event in _events(uppdrag):
        batch.add(UppdragProjection.changes(event))
    [(table, rows)] = list(batch.inserts())
    assert table is UppdragRow
    assert [r["status"] for r in rows] == ["mottaget"]
    assert list(batch.updates()) == []


def test_updates_of_an_older_row_are_merged_into_one_statement() -> None:
    """Two reports of a row from an earlier page become one update adding 2 to the counter."""
    key = (uuid4(),)
    batch = Batch()
    batch.add([Update(UppdragRow, key, {"status": "rapporterat"}, {"reports": 1})])
    batch.add([Update(UppdragRow, key, {"status": "rapport_godkand"}, {"reports": 1})])
    [group] = list(batch.updates())
    assert (group.set_columns, group.increment_columns) == (("status",), ("reports",))
    assert group.params == [("rapport_godkand", 2, *key)]


def test_a_key_inserted_twice_in_one_page_is_an_integrity_error() -> None:
    """A page never silently overwrites a row: applying an event twice must fail loudly."""
    [issued] = _events(issued_uppdrag())
    batch = Batch()
    batch.add(UppdragProjection.changes(issued))
    with pytest.raises(IntegrityError):
        batch.add(UppdragProjection.changes(issued))


def _stamped(*, effective: date, recorded: datetime) -> SimpleNamespace:
    """What the as-of filter reads of an event: its effective date and recorded time."""
    return SimpleNamespace(effective_on=effective, timestamp=recorded)


def test_as_of_excludes_what_takes_effect_after_the_day() -> None:
    """An event effective the day after is not part of the day's state; the day itself is."""
    as_of = AsOf(date(2027, 6, 30))
    recorded = datetime(2027, 1, 1, tzinfo=UTC)
    assert as_of.includes(_stamped(effective=date(2027, 6, 30), recorded=recorded))
    assert not as_of.includes(_stamped(effective=date(2027, 7, 1), recorded=recorded))


def test_as_of_includes_a_correction_made_after_the_day() -> None:
    """A correction says what a fact always was, so it counts whatever day it was made."""
    beslut = organ_beslut()
    beslut.correct(
        stamp("ks", on=date(2027, 9, 5)), diarienummer="KS 2027/9", paragraf="§ 1", title="B", reason="Fel."
    )
    correction = _events(beslut)[-1]
    assert isinstance(correction, Beslut.Corrected)
    assert AsOf(date(2027, 6, 30)).includes(correction)
    assert not AsOf(date(2027, 6, 30), known_on=correction.timestamp.date() - timedelta(days=1)).includes(
        correction
    )


def test_known_on_ends_at_midnight_in_sweden_not_in_utc() -> None:
    """Recorded at 22:30 UTC on 20 August is 00:30 on 21 August in Lerum: not known on the 20th."""
    late = _stamped(effective=date(2027, 6, 1), recorded=datetime(2027, 8, 20, 22, 30, tzinfo=UTC))
    early = _stamped(effective=date(2027, 6, 1), recorded=datetime(2027, 8, 20, 21, 30, tzinfo=UTC))
    as_of = AsOf(date(2027, 7, 1), known_on=date(2027, 8, 20))
    assert not as_of.includes(late)
    assert as_of.includes(early)
