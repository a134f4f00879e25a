"""Finding what falls with a revoked delegering costs the same however many grants came before;
a styrdokument's derived documents are found through its view as well.

Measured by counting, not timing (as test_decisions_taken_cost): the log's notifications the
look-up reads, and SQLite's steps for its query (an index seek on parent_id, not a walk).
"""

from __future__ import annotations

from pathlib import Path

from integration.test_decisions_taken_cost import CountingReads, sqlite_steps
from unit.governance_world import DAY, PROCUREMENT, governance, revoke_directors_delegering, seed, send
from unit.styrdokument_world import RIKTLINJE_DAY, policy_and_riktlinje

from lerum_flow.application import Governance
from lerum_flow.projections import sql
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewChildren


def _other_grants(app: Governance, start: int, count: int) -> None:
    """Delegations to the kommundirektör under delegationsordningar of their own: more grants."""
    for number in range(start, start + count):
        ordning = send(
            app,
            "take_beslut",
            "ks",
            decided_by="ks",
            kind="delegationsordning",
            diarienummer=f"KS 2027/O{number}",
            paragraf=f"§ {number}",
            title=f"Delegationsordning {number}",
            decided_on=DAY,
        ).id
        send(
            app,
            "grant_delegering",
            "ks",
            delegates=["kommundirektor"],
            matter=PROCUREMENT,
            beslut_id=ordning,
            valid_from=DAY,
        )


def _query_steps(database: Path, parent: str) -> tuple[int, str]:
    statement, params = sql.select(sql.SQLITE, DelegeringRow, {"parent_id": (parent,)})
    steps, plan, found = sqlite_steps(database, statement, params)
    assert found == 1
    return steps, plan


def test_what_falls_with_a_revocation_is_found_by_index_however_many_grants_came_before(
    tmp_path: Path,
) -> None:
    """With 10 and with 50 other grants in the log, the view's look-up reads no notification once
    the view is current and its query takes as many steps through the parent_id index; it names
    what the walk of every grant names, which reads more with every grant."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    children = ViewChildren.delegeringar(settings)
    try:
        world = seed(app)
        revoke_directors_delegering(app, world, DAY)
        measured = []
        start = 0
        for more in (10, 40):
            _other_grants(app, start, more)
            start += more
            children([world.delegering])  # catches the view up with what is new
            reads = CountingReads(children.store.log.recorder)
            walk = CountingReads(app.recorder)
            found = app.falling_with(world.delegering, children=children)
            walked = app.falling_with(world.delegering)
            assert [d.id for d in found] == [d.id for d in walked] == [world.vidaredelegering]
            steps, plan = _query_steps(settings.sqlite_path("delegering_view"), str(world.delegering))
            measured.append((reads.read, steps, plan, walk.read))
        (small_reads, small_steps, plan, small_walk), (large_reads, large_steps, _, large_walk) = measured
        assert (small_reads, large_reads) == (0, 0)
        assert large_steps == small_steps
        assert "USING INDEX" in plan
        assert large_walk >= small_walk + 30  # the walk reads every grant, each time
    finally:
        children.close()
        app.close()


def test_a_styrdokuments_derived_documents_are_found_through_the_view_as_by_the_walk(
    tmp_path: Path,
) -> None:
    """The documents under a policy, found through the styrdokument view (reading no notification
    once it is current), are those the walk of every adoption finds."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"))
    derived = ViewChildren.styrdokument(settings)
    try:
        documents = policy_and_riktlinje(app)
        derived([documents.policy])  # catches the view up
        reads = CountingReads(derived.store.log.recorder)
        found = app.styrdokument_under(documents.policy, RIKTLINJE_DAY, children=derived)
        assert reads.read == 0
        walked = app.styrdokument_under(documents.policy, RIKTLINJE_DAY)
        assert [d.id for d in found] == [d.id for d in walked] == [documents.riktlinje]
        assert app.styrdokument_under(documents.riktlinje, RIKTLINJE_DAY, children=derived) == []
    finally:
        derived.close()
        app.close()
