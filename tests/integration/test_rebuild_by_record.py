"""The views rebuilt record by record from the stored JSON through their handlers (`record_rebuild`,
`handler_fold`: beslut, uppdrag, avvikelse) hold exactly the rows the handlers made following the
log page by page, at the same position."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from integration.conftest import Store
from integration.test_projections_history import generate_history
from unit.governance_world import governance, send

from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.beslut import BeslutProjection, BeslutRow, TakenRow
from lerum_flow.projections.bitemporal import history_type
from lerum_flow.projections.record_rebuild import can_rebuild_by_record
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import PROJECTIONS, ViewStore
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.settings import Settings

# A Lerum-shaped history of thousands of events: seconds, not milliseconds.
pytestmark = pytest.mark.slow


BY_RECORD = [p for p in PROJECTIONS if p.record_fold() is not None]


def _tables(views: ViewStore) -> tuple[dict[str, list[Row]], dict[str, int]]:
    """Every table of the views rebuilt by record, current rows and history; each view's position."""
    tables: dict[str, list[Row]] = {}
    positions: dict[str, int] = {}
    for projection in views.projections:
        if type(projection) not in BY_RECORD:
            continue
        view = projection.view
        for table in view.all_row_types:
            tables[table.table] = view.query(table, {})
        positions[projection.name] = view.position(views.log.name)
    return tables, positions


def _rebuilt_by_record_equals_followed(views: ViewStore) -> dict[str, list[Row]]:
    """Follow the log page by page through the handlers, rebuild by record, compare; the tables."""
    views.projector(page_size=500).catch_up()
    followed = _tables(views)
    for projection in views.projections:
        if type(projection) in BY_RECORD:
            assert can_rebuild_by_record(projection, views.log), projection.name
    views.projector().rebuild()
    assert _tables(views) == followed
    return followed[0]


def test_beslut_uppdrag_and_avvikelse_are_rebuilt_by_record() -> None:
    assert {p.name for p in BY_RECORD} >= {"beslut_view", "uppdrag_view", "avvikelse_view"}


def test_a_generated_history_rebuilt_by_record_equals_the_view_that_followed_the_log(store: Store) -> None:
    """Budget decisions, delegated decisions reported later and corrections, uppdrag reported on and
    revised, deviations escalated and closed, generated as the benchmarks generate Lerum: every row
    of the views, their taken and report rows and their history, the same."""
    generate_history(store.app, 8000)
    tables = _rebuilt_by_record_equals_followed(store.views)
    rows: list[Any] = tables[BeslutRow.table]
    assert any(r.reported for r in rows)
    assert any(r.delegering_id is None for r in rows)
    for row_type in (BeslutRow, UppdragRow, AvvikelseRow):
        assert len(tables[history_type(row_type).table]) > len(tables[row_type.table]) > 0
    assert tables[ReportRow.table]
    assert any(r.escalations for r in tables[AvvikelseRow.table])  # type: ignore[attr-defined]


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_decision_corrected_and_reported_late_across_midnight_rebuilt_by_record_equals_followed(
    database_url: str,
) -> None:
    """A delegated decision recorded at 23:30 UTC (the next day in Sweden), reported a month late
    and corrected after that, beside a tilläggsbudget: its history regions, split on both axes, and
    the budget's year and kind are those the handlers make."""
    settings = Settings(database_url=database_url)
    clock = _Clock(datetime(2027, 3, 1, 23, 30, tzinfo=UTC))
    app = governance(settings.eventsourcing_env("governance"), clock)
    views = ViewStore.open(settings, names=(BeslutProjection.name,))
    try:
        ordning = send(
            app,
            "take_beslut",
            "ks",
            decided_by="ks",
            kind="delegationsordning",
            diarienummer="KS 1",
            title="Delegationsordning",
            paragraf="§ 1",
            decided_on=date(2027, 1, 1),
        ).id
        delegering = send(
            app,
            "grant_delegering",
            "ks",
            delegates=["kommundirektor"],
            matter="upphandling",
            beslut_id=ordning,
            valid_from=date(2027, 1, 1),
        ).id
        beslut = send(
            app,
            "take_beslut",
            "kommundirektor",
            decided_by="kommundirektor",
            kind="ovrigt",
            diarienummer="KS 2",
            title="Avtal",
            decided_on=date(2027, 2, 20),
            delegering_id=delegering,
        ).id
        clock.now += timedelta(days=30)
        send(app, "report_beslut", "ks", beslut_id=beslut, reported_on=date(2027, 3, 25))
        clock.now += timedelta(days=3, hours=-23)
        send(
            app,
            "correct_beslut",
            "kommundirektor",
            beslut_id=beslut,
            diarienummer="KS 3",
            title="Avtal (rättat)",
            reason="Fel diarienummer.",
            corrected_on=date(2027, 4, 3),
        )
        send(
            app,
            "take_beslut",
            "kf",
            decided_by="kf",
            kind="budget",
            diarienummer="KF 2027/30",
            paragraf="§ 21",
            title="Tilläggsbudget 2027",
            decided_on=date(2027, 3, 20),
            budget_year=2027,
            budget_kind="tillaggsbudget",
        )
        tables = _rebuilt_by_record_equals_followed(views)
        regions = [r for r in tables[history_type(BeslutRow).table] if getattr(r, "id", None) == beslut]
        assert len(regions) > 3
        taken: list[Any] = tables[TakenRow.table]
        assert [(r.budget_year, r.budget_kind) for r in taken if r.budget_year] == [(2027, "tillaggsbudget")]
    finally:
        views.close()
        app.close()
