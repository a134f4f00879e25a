"""A retried create is recognised even when the rules it passed no longer hold."""

from __future__ import annotations

import pytest
from unit.governance_world import DAY, World, event_count, governance, seed, send

from lerum_flow.application import Governance


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def test_a_retried_sub_uppdrag_is_recognised_after_its_parent_was_withdrawn(
    app: Governance, world: World
) -> None:
    """The parent is no longer in hand, yet resending the same breakdown answers 'already recorded'."""
    issue = {
        "recipient": "kommundirektor",
        "title": "Lokalplan",
        "parent_id": world.kf_uppdrag_to_ks,
        "issued_on": DAY,
    }
    first = send(app, "issue_uppdrag", "ks", **issue)
    send(app, "withdraw_uppdrag", "kf", uppdrag_id=world.kf_uppdrag_to_ks, on=DAY, reason="Ny budget")
    before = event_count(app)

    again = send(app, "issue_uppdrag", "ks", **issue)

    assert (again.id, again.recorded, event_count(app)) == (first.id, False, before)
