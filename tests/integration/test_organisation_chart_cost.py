"""The organisation on a day (`lerum-flow organisation list`) is read from the befattning and
förordnande views at a cost that does not grow with the log.

Measured by counting, not timing (as test_positions_below_cost): the log's notifications the read
takes, and SQLite's steps for every query it makes of the two views, each through an index.
"""

from __future__ import annotations

from pathlib import Path

from integration.test_decisions_taken_cost import CountingReads
from integration.test_positions_below_cost import DAY, CountingSteps, _establish_units, _more_history
from unit.governance_world import appoint, governance
from unit.positions_below_oracle import positions_below_by_walk

from lerum_flow.organisation_chart import organisation_on
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewHoldings, ViewPositions

CHEF = "chef-forskola"
NAMES = (BefattningProjection.name, ForordnandeProjection.name)


def test_the_organisation_under_a_chef_is_read_by_index_however_long_the_log(tmp_path: Path) -> None:
    """With 10 and with 50 other positions and förordnanden in the log, the chef and its medarbetare
    with their holders are read without a notification of the log, in as many SQLite steps, every
    query through an index; the positions are what the walk of the log says, the holders what the
    walk of every förordnande says."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    store = ViewStore.open(settings, names=NAMES)
    try:
        _establish_units(app)
        appoint(app, CHEF, on=DAY)
        appoint(app, "m-anna", on=DAY, held=(CHEF,))
        positions = ViewPositions(store.projection(BefattningProjection).view)
        holdings = ViewHoldings(store.projection(ForordnandeProjection).view)
        measured = []
        start = 0
        for more in (10, 40):
            _more_history(app, start, more)
            start += more
            store.projector(names=NAMES).catch_up()
            app.govern_on(DAY)
            reads = CountingReads(app.recorder)
            with (
                CountingSteps(
                    positions.view, settings.sqlite_path(BefattningProjection.name)
                ) as in_befattning,
                CountingSteps(
                    holdings.view, settings.sqlite_path(ForordnandeProjection.name)
                ) as in_forordnande,
            ):
                posts = organisation_on(
                    app, DAY, under="chef-forskola", positions=positions, holdings=holdings
                )
            plans = in_befattning.plans + in_forordnande.plans
            measured.append((reads.read, in_befattning.steps + in_forordnande.steps, plans))
            below = [p.id for p in positions_below_by_walk(app, "chef-forskola", DAY)]
            assert (
                [post.position.id for post in posts]
                == ["chef-forskola", *below]
                == ["chef-forskola", "m-anna"]
            )
            assert [h.person for h in posts[1].holders] == ["p-m-anna"]
            for post in posts:
                assert list(post.holders) == app.holders(post.position.id, DAY), post.position.id
        (small_reads, small_steps, plans), (large_reads, large_steps, _) = measured
        assert (small_reads, large_reads) == (0, 0)
        assert large_steps == small_steps
        assert plans
        assert all("USING" in plan and "SCAN" not in plan for plan in plans), plans
    finally:
        store.close()
        app.close()
