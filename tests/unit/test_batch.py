"""Governance.batch(): many commands saved in one transaction, as a bulk import does."""

from __future__ import annotations

import pytest
from unit.governance_world import DAY, World, event_count, governance, issue_to_director, seed, send

from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def test_commands_in_a_batch_are_saved_together_when_it_closes(app: Governance, world: World) -> None:
    """Nothing is in the store until the batch closes; then every command's events are."""
    before = event_count(app)
    with app.batch():
        uppdrag = issue_to_director(app, world).id
        send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
        assert event_count(app) == before
    assert event_count(app) == before + 2


def test_a_later_command_in_a_batch_sees_an_earlier_ones_effect(app: Governance, world: World) -> None:
    """An uppdrag issued in the batch can be accepted and reported in the same batch."""
    with app.batch():
        uppdrag = issue_to_director(app, world).id
        send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
        send(
            app,
            "report_uppdrag",
            "kommundirektor",
            uppdrag_id=uppdrag,
            on=DAY,
            assessment="uppfyllt",
            text="Klart",
        )
    assert [e.__class__.__name__ for e in app.events_of(uppdrag)] == ["Issued", "Accepted", "Reported"]


def test_a_refused_command_in_a_batch_records_nothing_and_the_rest_is_saved(
    app: Governance, world: World
) -> None:
    """A refusal inside a batch is answered like outside it; the other commands still land."""
    before = event_count(app)
    with app.batch():
        uppdrag = issue_to_director(app, world).id
        with pytest.raises(Refusal):
            send(app, "accept_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY)
    assert event_count(app) == before + 1


def test_an_exception_inside_a_batch_saves_none_of_it(app: Governance, world: World) -> None:
    """If the importer fails midway, the batch is dropped whole."""
    before = event_count(app)

    def import_that_fails() -> None:
        with app.batch():
            issue_to_director(app, world)
            raise RuntimeError("importen avbröts")

    with pytest.raises(RuntimeError):
        import_that_fails()
    assert event_count(app) == before


def test_a_batch_sent_twice_records_its_commands_once(app: Governance, world: World) -> None:
    """Re-running a batch after a failure is safe: its commands are recognised by their ids."""

    def run_batch() -> None:
        with app.batch():
            uppdrag = issue_to_director(app, world).id
            send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)

    run_batch()
    after_first = event_count(app)
    run_batch()
    assert event_count(app) == after_first
