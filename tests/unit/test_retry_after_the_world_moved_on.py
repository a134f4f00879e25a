"""A retried create is recognised even when the rules it passed no longer hold."""

from __future__ import annotations

import pytest
from unit.governance_world import (
    CHEF,
    DAY,
    PROCUREMENT,
    SECTOR,
    YEAR_START,
    World,
    event_count,
    governance,
    revoke_directors_delegering,
    seed,
    send,
)

from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal


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


# The seed's commands made under KS's delegation to the kommundirektör: the director's own
# delegationsordning (a beslut on delegation) and the sub-delegation made under it.
UNDER_THE_DELEGATION = {
    "take_beslut": lambda w: (
        "kommundirektor",
        {
            "decided_by": "kommundirektor",
            "kind": "delegationsordning",
            "diarienummer": "KS 2027/3",
            "title": "Vidaredelegation av upphandling",
            "decided_on": YEAR_START,
            "delegering_id": w.delegering,
        },
    ),
    "grant_delegering": lambda w: (
        "kommundirektor",
        {
            "delegates": [SECTOR],
            "matter": PROCUREMENT,
            "beslut_id": w.director_delegationsordning,
            "parent_delegering_id": w.delegering,
            "valid_from": YEAR_START,
        },
    ),
}


@pytest.mark.parametrize("in_batch", [False, True], ids=["alone", "in-batch"])
@pytest.mark.parametrize("method", sorted(UNDER_THE_DELEGATION))
def test_a_retry_made_under_a_since_revoked_delegation_is_recognised(
    app: Governance, world: World, method: str, in_batch: bool
) -> None:
    """Revoked from its first day, the delegation no longer allows what was done under it:
    resending the same command still answers 'already recorded' (its rules refuse it now,
    and the record is looked up before that refusal is given), and records nothing."""
    actor, fields = UNDER_THE_DELEGATION[method](world)
    revoke_directors_delegering(app, world, YEAR_START)
    before = event_count(app)
    if in_batch:
        with app.batch():
            again = send(app, method, actor, **fields)
    else:
        again = send(app, method, actor, **fields)
    expected = world.director_delegationsordning if method == "take_beslut" else world.vidaredelegering
    assert (again.id, again.recorded, event_count(app)) == (expected, False, before)


@pytest.mark.parametrize("method", sorted(UNDER_THE_DELEGATION))
def test_a_new_command_under_a_revoked_delegation_is_still_refused(
    app: Governance, world: World, method: str
) -> None:
    """The lookup made before a refusal answers retries only: anything new is refused."""
    actor, fields = UNDER_THE_DELEGATION[method](world)
    if method == "take_beslut":
        fields |= {"diarienummer": "KS 2027/4", "title": "Ännu en vidaredelegation"}
    else:
        fields |= {"delegates": [CHEF]}
    revoke_directors_delegering(app, world, YEAR_START)
    before = event_count(app)
    with pytest.raises(Refusal):
        send(app, method, actor, **fields)
    assert event_count(app) == before
