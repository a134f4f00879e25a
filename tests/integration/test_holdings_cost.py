"""Who holds a position is read from the förordnande view at a cost that does not grow with the
log, and a store made before the view gets it, filled, when migrated.

Measured by counting, not timing (as test_falling_with_cost): the log's notifications a look-up
reads, and SQLite's steps for its query (an index seek on the person, not a walk).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from integration.test_decisions_taken_cost import CountingReads, sqlite_steps
from unit.governance_world import governance, send

from lerum_flow.application import Governance
from lerum_flow.projections import sql
from lerum_flow.projections.bitemporal import as_of_conditions, history_type
from lerum_flow.projections.forordnande import ForordnandeProjection, ForordnandeRow
from lerum_flow.projections.store import ViewStore
from lerum_flow.schema import migrate
from lerum_flow.schema.versions import VERSION_TABLE
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewHoldings

DAY = date(2027, 3, 1)


def _appoint_others(app: Governance, start: int, count: int) -> None:
    """More förordnanden in the log: other people appointed, and ended, in a sector."""
    for number in range(start, start + count):
        person = f"p-annan-{number}"
        fields = {"position": "larande", "appointee": person, "decided_on": DAY}
        send(app, "appoint", "kommundirektor", valid_from=DAY, role="tillforordnad", **fields)
        send(app, "end_forordnande", "kommundirektor", valid_until=DAY, reason="Klart.", **fields)


def _query_steps(database: Path, person: str) -> tuple[int, str]:
    known = {k: v for k, v in as_of_conditions(DAY, None).items() if k.startswith("known")}
    where = {"appointee": person, **known}
    statement, params = sql.select(sql.SQLITE, history_type(ForordnandeRow), where)
    steps, plan, found = sqlite_steps(database, statement, params)
    assert found == 1
    return steps, plan


def test_who_a_person_is_is_found_by_index_however_many_appointments_came_before(tmp_path: Path) -> None:
    """With 10 and with 50 other förordnanden in the log, a person's positions read from the caught-up
    view read no notification and take as many steps through the index on the person; they are
    what the walk of every appointment says, which reads more with every one."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    store = ViewStore.open(settings, names=(ForordnandeProjection.name,))
    try:
        holdings = ViewHoldings(store.projection(ForordnandeProjection).view)
        measured = []
        start = 0
        for more in (10, 40):
            _appoint_others(app, start, more)
            start += more
            store.projector().catch_up()
            reads = CountingReads(store.log.recorder)
            walk = CountingReads(app.recorder)
            found = holdings.held_by("p-kommundirektor", DAY)
            walked = app.held_by("p-kommundirektor", DAY)
            assert found == walked
            assert [h.position for h in found] == ["kommundirektor"]
            steps, plan = _query_steps(settings.sqlite_path(ForordnandeProjection.name), "p-kommundirektor")
            measured.append((reads.read, steps, plan, walk.read))
        (small_reads, small_steps, plan, small_walk), (large_reads, large_steps, _, large_walk) = measured
        assert (small_reads, large_reads) == (0, 0)
        assert large_steps == small_steps
        assert "USING INDEX" in plan
        assert large_walk >= small_walk + 60  # the walk reads every appointment and end, each time
    finally:
        store.close()
        app.close()


def test_a_store_made_before_the_view_gets_it_filled_when_migrated(tmp_path: Path) -> None:
    """A store at the version before the förordnande view (no view, version 5 recorded) is migrated:
    the view is built from the log and names every term the walk names."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    migrate(settings)
    app = governance(settings.eventsourcing_env("governance"))
    try:
        _appoint_others(app, 0, 3)
        settings.sqlite_path(ForordnandeProjection.name).unlink(missing_ok=True)
        with closing(sqlite3.connect(settings.sqlite_path("governance"))) as connection, connection:
            connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number = 6")
        assert [m.number for m in migrate(settings)] == [6]
        store = ViewStore.open(settings, names=(ForordnandeProjection.name,))
        try:
            view = store.projection(ForordnandeProjection).view
            assert view.position(store.log.name) == store.projector().head()
            assert ViewHoldings(view).register() == list(app.register())
            assert ViewHoldings(view).holders("larande", DAY) == app.holders("larande", DAY)
            assert len(app.holders("larande", DAY)) == 4  # p-larande and the three appointed
        finally:
            store.close()
    finally:
        app.close()
