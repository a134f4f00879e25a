"""The whole municipality's as-of read a batch at a time: the same rows in the same order as the
whole query, and memory that grows with the batch, not with the answer (issue 14, bounded memory)."""

from __future__ import annotations

import gc
import io
import json
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from lerum_flow.cli.output import Output
from lerum_flow.projections import postgres_view
from lerum_flow.projections.asof import AsOf, as_known
from lerum_flow.projections.beslut import BeslutProjection, BeslutRow
from lerum_flow.projections.bitemporal import Axes
from lerum_flow.projections.memory_view import MemoryView
from lerum_flow.projections.registers import BESLUT_ORDER, state_in_parts, state_on
from lerum_flow.projections.rows import Insert
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings

FIRST_DAY = date(2027, 1, 1)
LOG = "governance"


def _decision(number: int) -> BeslutRow:
    decided_on = FIRST_DAY + timedelta(days=number % 700)
    stamp = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    return BeslutRow(
        id=UUID(int=number + 1),
        decided_by=("kf", "ks", "kommundirektor")[number % 3],
        kind="beslut",
        diarienummer=f"KS {2027 + number % 4}/{number % 97:04d}",
        paragraf=f"§ {number % 13}",
        title=f"Beslut nummer {number} om åtgärder",
        matter="ekonomi",
        delegering_id=UUID(int=10**9 + number) if number % 5 == 0 else None,
        report_to="ks" if number % 5 == 0 else "",
        decided_on=decided_on,
        reported=False,
        reported_on=None,
        minutes_paragraf="",
        corrections=0,
        recorded_at=stamp,
        changed_at=stamp,
        secrecy="",
        version=1,
    )


@contextmanager
def _views_with_decisions(directory: Path, count: int, url: str | None = None) -> Iterator[ViewStore]:
    """Views of a store (SQLite files unless `url`) whose beslut view holds `count` decisions
    (rows written directly)."""
    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=directory, database_url=url or f"sqlite:///{directory / 'governance.db'}")
    store = ViewStore.open(settings)
    try:
        projection = store.projection(BeslutProjection)
        items = [
            (n + 1, [Insert(_decision(n))], Axes(_decision(n).decided_on, FIRST_DAY)) for n in range(count)
        ]
        projection.view.apply(items, Tracking(store.log.name, count), after=0)
        yield store
    finally:
        store.close()


def _as_of(store: ViewStore) -> AsOf:
    return AsOf(on=FIRST_DAY + timedelta(days=800), known_on=None)


def test_batches_give_the_query_rows_in_its_order(tmp_path: Path, database_url: str) -> None:
    with _views_with_decisions(tmp_path, 250, database_url) as store:
        history = as_known(store.views, _as_of(store))
        for reads in (store.views.beslut, history.beslut):
            whole = reads.query(BeslutRow, {}, order_by=BESLUT_ORDER)
            batches = list(reads.batches(BeslutRow, {}, order_by=BESLUT_ORDER, size=7))
            assert [b for batch in batches for b in batch] == whole
            assert {len(batch) for batch in batches[:-1]} == {7}
            assert len(whole) == 250


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "cursor"])
def test_a_read_left_after_its_first_batch_leaves_the_view_readable(
    tmp_path: Path, database_url: str, streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the answer is streamed where the driver can (libpq 17 and later), through a
    server-side cursor elsewhere: either way a read given up early ends its query, and the next
    read of the same view gives the whole answer."""
    monkeypatch.setattr(postgres_view, "STREAMS_IN_CHUNKS", streamed and postgres_view.STREAMS_IN_CHUNKS)
    with _views_with_decisions(tmp_path, 250, database_url) as store:
        history = as_known(store.views, _as_of(store)).beslut
        for _ in range(3):
            first = next(iter(history.batches(BeslutRow, {}, order_by=BESLUT_ORDER, size=7)))
            assert len(first) == 7
        batches = list(history.batches(BeslutRow, {}, order_by=BESLUT_ORDER, size=7))
        assert [b for batch in batches for b in batch] == history.query(BeslutRow, {}, order_by=BESLUT_ORDER)
        assert sum(len(batch) for batch in batches) == 250


def test_the_collector_is_paused_while_a_batch_is_used_and_runs_again_after_the_read(
    tmp_path: Path, database_url: str
) -> None:
    with _views_with_decisions(tmp_path, 20, database_url) as store:
        history = as_known(store.views, _as_of(store)).beslut
        enabled_while_used = [gc.isenabled() for _ in history.batches(BeslutRow, {}, size=6)]
        assert enabled_while_used == [False] * 4
        assert gc.isenabled()
        # A read left before its end is closed when it is let go: the collector runs again.
        for _ in history.batches(BeslutRow, {}, size=6):
            break
        assert gc.isenabled()


def test_a_memory_view_gives_its_rows_in_batches_as_its_query() -> None:
    view = MemoryView([BeslutRow])
    view.apply([(n + 1, [Insert(_decision(n))]) for n in range(30)], Tracking(LOG, 30), after=0)
    whole = view.query(BeslutRow, {}, order_by=BESLUT_ORDER)
    assert [b for batch in view.batches(BeslutRow, {}, order_by=BESLUT_ORDER, size=4) for b in batch] == whole


def test_the_state_in_parts_counts_and_reads_what_the_whole_state_holds(tmp_path: Path) -> None:
    with _views_with_decisions(tmp_path, 120) as store:
        asked = _as_of(store)
        views = as_known(store.views, asked)
        whole = state_on(views, asked.on)
        parts = state_in_parts(views, asked.on)
        assert [b for batch in parts.beslut(size=9) for b in batch] == whole.beslut
        assert parts.beslut_count() == len(whole.beslut)
        assert parts.beslut_count(unreported=True) == len(whole.unreported_beslut) == 24


def _peak_bytes_reading_in_batches(directory: Path, count: int) -> tuple[int, int]:
    """Peak traced memory reading the decisions in batches, and reading them whole."""
    with _views_with_decisions(directory, count) as store:
        asked = _as_of(store)
        parts = state_in_parts(as_known(store.views, asked), asked.on)
        tracemalloc.start()
        try:
            read = sum(len(batch) for batch in parts.beslut(size=100))
            in_batches = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
            whole = [b for batch in parts.beslut(size=100) for b in batch]
            at_once = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert read == len(whole) == count
        return in_batches, at_once


def test_reading_the_decisions_in_batches_holds_memory_flat_as_the_answer_grows(tmp_path: Path) -> None:
    small_batches, small_whole = _peak_bytes_reading_in_batches(tmp_path / "small", 500)
    large_batches, large_whole = _peak_bytes_reading_in_batches(tmp_path / "large", 2500)
    # Five times the answer: held whole, about five times the memory; read in batches, about the same.
    assert large_whole > 3 * small_whole
    assert large_batches < 1.5 * small_batches


@pytest.mark.parametrize(
    ("data", "lists"),
    [
        ({"a": 1, "uppdrag": None, "b": "å"}, {"uppdrag": [{"id": "x", "titel": "ö"}, {"id": "y"}]}),
        ({"uppdrag": None, "beslut": None, "kant_per": None}, {"uppdrag": [], "beslut": [1, 2, 3]}),
        ({"first": [1], "beslut": None}, {"beslut": ({"decided_on": str(n)} for n in range(3))}),
    ],
)
def test_a_streamed_json_document_is_byte_for_byte_the_whole_one(
    data: dict[str, object], lists: dict[str, object]
) -> None:
    materialized = {key: list(items) for key, items in lists.items()}  # type: ignore[call-overload]
    output = Output(as_json=True)
    whole, streamed = io.StringIO(), io.StringIO()
    with redirect_stdout(whole):
        output.json({**data, **materialized})
    with redirect_stdout(streamed):
        output.json_streamed(data, {key: iter(items) for key, items in materialized.items()})
    assert streamed.getvalue() == whole.getvalue()
    json.loads(streamed.getvalue())
