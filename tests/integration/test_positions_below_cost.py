"""The positions below one are read from the befattning view at a cost that does not grow with the
log, and a store made before the view gets it, filled, when migrated.

Measured by counting, not timing (as test_holdings_cost): the log's notifications a look-up reads,
and SQLite's steps for every query it makes of the view (index seeks by code and by parent).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from integration.test_decisions_taken_cost import CountingReads, sqlite_steps
from unit.governance_world import STAFFED_FROM, governance, send
from unit.positions_below_oracle import positions_below_by_walk

from lerum_flow.application import Governance
from lerum_flow.projections import sql
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.sqlite_view import _where
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.view import GovernanceView
from lerum_flow.schema import migrate
from lerum_flow.schema.versions import VERSION_TABLE
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewPositions

DAY = date(2027, 3, 1)


def _establish_units(app: Governance) -> None:
    """A chef under the sector for lärande, with a medarbetare under the chef."""
    send(app, "establish_befattning", "larande", code="chef-forskola", name="Förskolechef", kind="chef",
         parent="larande", established_on=STAFFED_FROM)  # fmt: skip
    send(app, "establish_befattning", "larande", code="m-anna", name="Förskollärare", kind="medarbetare",
         parent="chef-forskola", established_on=STAFFED_FROM)  # fmt: skip


def _more_history(app: Governance, start: int, count: int) -> None:
    """More events in the log: positions established under another sector, and people appointed to
    the sector for lärande, and ended."""
    for number in range(start, start + count):
        send(app, "establish_befattning", "samhallsbyggnad", code=f"m-annan-{number}", name="Handläggare",
             kind="medarbetare", parent="samhallsbyggnad", established_on=STAFFED_FROM)  # fmt: skip
        fields = {"position": "larande", "appointee": f"p-annan-{number}", "decided_on": DAY}
        send(app, "appoint", "kommundirektor", valid_from=DAY, role="tillforordnad", **fields)
        send(app, "end_forordnande", "kommundirektor", valid_until=DAY, reason="Klart.", **fields)


class CountingSteps:
    """SQLite's steps for every query a view answers while it is counted (each run again on the
    view's file with a progress handler), and each query's plan."""

    def __init__(self, view: GovernanceView, database: Path) -> None:
        self.steps = 0
        self.plans: list[str] = []
        self._view: Any = view
        self._database = database

    def __enter__(self) -> CountingSteps:
        self._query_into = self._view.query_into
        self._view.query_into = self
        return self

    def __exit__(self, *exc: object) -> None:
        del self._view.query_into  # the class's method again

    def __call__(self, into: Any, table: Any, where: Mapping[str, object], **kwargs: Any) -> Any:
        found = self._query_into(into, table, where, **kwargs)
        statement, params = sql.select(sql.SQLITE, table, _where(table, where), **kwargs)
        steps, plan, rows = sqlite_steps(self._database, statement, params)
        assert rows == len(found)
        self.steps += steps
        self.plans.append(plan)
        return found


def test_the_positions_below_a_sector_are_found_by_index_however_long_the_log(tmp_path: Path) -> None:
    """With 10 and with 50 other positions (and förordnanden) in the log, the positions below the
    sector read from the caught-up view read no notification and take as many SQLite steps, each
    query through an index; they are what the walk of the log says, which reads every position."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    store = ViewStore.open(settings, names=(BefattningProjection.name,))
    try:
        _establish_units(app)
        view = store.projection(BefattningProjection).view
        positions = ViewPositions(view)
        measured = []
        start = 0
        for more in (10, 40):
            _more_history(app, start, more)
            start += more
            store.projector().catch_up()
            reads = CountingReads(app.recorder)
            with CountingSteps(view, settings.sqlite_path(BefattningProjection.name)) as steps:
                found = app.positions_below("larande", DAY, established=positions)
            looked_up = (reads.read, steps.steps, steps.plans)
            walk = CountingReads(app.recorder)
            assert found == positions_below_by_walk(app, "larande", DAY)
            assert [p.id for p in found] == ["chef-forskola", "m-anna"]
            measured.append((*looked_up, walk.read))
        (small_reads, small_steps, plans, small_walk), (large_reads, large_steps, _, large_walk) = measured
        assert (small_reads, large_reads) == (0, 0)
        assert large_steps == small_steps
        assert len(plans) == 4  # the codes of the fixed chain, then one level at a time, the last empty
        assert all("USING INDEX" in plan for plan in plans)
        assert large_walk >= small_walk + 40  # the walk reads every position established, each time
    finally:
        store.close()
        app.close()


def test_a_store_made_before_the_view_gets_it_filled_when_migrated(tmp_path: Path) -> None:
    """A store at the version before the befattning view (no view, version 6 recorded) is migrated:
    the view is built from the log and names every position the walk names."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    migrate(settings)
    app = governance(settings.eventsourcing_env("governance"))
    try:
        _establish_units(app)
        settings.sqlite_path(BefattningProjection.name).unlink(missing_ok=True)
        with closing(sqlite3.connect(settings.sqlite_path("governance"))) as connection, connection:
            connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number = 7")
        assert [m.number for m in migrate(settings)] == [7]
        store = ViewStore.open(settings, names=(BefattningProjection.name,))
        try:
            view = store.projection(BefattningProjection).view
            assert view.position(store.log.name) == store.projector().head()
            positions = ViewPositions(view)
            for code in ("kommundirektor", "larande", "chef-forskola"):
                found = app.positions_below(code, DAY, established=positions)
                assert found == positions_below_by_walk(app, code, DAY), code
            below = [p.id for p in app.positions_below("larande", DAY, established=positions)]
            assert below == ["chef-forskola", "m-anna"]
        finally:
            store.close()
    finally:
        app.close()
