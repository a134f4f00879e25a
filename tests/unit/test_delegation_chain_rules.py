"""A delegated decision needs its whole chain in force and a kind its matter covers (issue 12).

Checked through the Governance application in memory: what the command path
refuses records nothing, and the auditor's replay (`audit authority`'s
function) gives the same answer for the same day, naming the same link.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import (
    DAY,
    PROCUREMENT,
    SECTOR,
    YEAR_START,
    World,
    governance,
    refused,
    revoke_directors_delegering,
    seed,
    send,
)

from lerum_flow.application import Governance
from lerum_flow.domain.beslut import Beslut
from lerum_flow.projections.asof import AsOf, replay
from lerum_flow.projections.authority import Authority, authority
from lerum_flow.styrmodell import default_styrmodell

REVOKED_ON = date(2027, 3, 1)
AFTER = date(2027, 4, 1)
HOLDERS = {area.kod: area.innehavare for area in default_styrmodell().beslutsomraden}


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def decision(by: str, under: UUID, on: date, *, kind: str = "ovrigt", key: str = "1") -> dict[str, Any]:
    return {
        "decided_by": by,
        "kind": kind,
        "diarienummer": f"KS 2027/D{key}",
        "title": "Avtal om skolskjuts",
        "decided_on": on,
        "delegering_id": under,
    }


@contextmanager
def audited(app: Governance, on: date) -> Iterator[list[Authority]]:
    """What `audit authority` answers for the sektorschef on `on`, replayed from the same log."""
    store = replay(app, AsOf(on))
    try:
        yield authority(store.views, SECTOR, on=on, holders=HOLDERS, root="kf")
    finally:
        store.close()


# --- the whole chain ------------------------------------------------------------------------


def test_a_vidaredelegation_falls_with_the_delegation_it_rests_on(app: Governance, world: World) -> None:
    """After KS revokes the director's procurement, the sektorschef's vidaredelegation carries nothing:
    refused, nothing recorded, and the refusal names the revoked link and its day."""
    revoke_directors_delegering(app, world, REVOKED_ON)
    refusal = refused(app, "take_beslut", SECTOR, **decision(SECTOR, world.vidaredelegering, AFTER))
    assert refusal.rule == "delegeringskedja"
    assert str(world.delegering) in refusal.message
    assert "återkallades från 2027-03-01" in refusal.message


def test_the_auditor_and_the_command_name_the_same_broken_link(app: Governance, world: World) -> None:
    """`audit authority` for the same day says the chain is broken, by the same link and words."""
    revoke_directors_delegering(app, world, REVOKED_ON)
    refusal = refused(app, "take_beslut", SECTOR, **decision(SECTOR, world.vidaredelegering, AFTER))
    with audited(app, AFTER) as found:
        [procurement] = [a for a in found if a.matter == PROCUREMENT]
    assert not procurement.valid
    assert procurement.broken is not None
    assert (procurement.broken.delegering_id, procurement.broken.message) == (
        world.delegering,
        refusal.message,
    )


def test_a_decision_before_the_revocation_stands_and_the_auditor_agrees(
    app: Governance, world: World
) -> None:
    """Revocation does not reach back: the day before, both say the chain holds."""
    revoke_directors_delegering(app, world, REVOKED_ON)
    day_before = date(2027, 2, 28)
    assert send(app, "take_beslut", SECTOR, **decision(SECTOR, world.vidaredelegering, day_before)).recorded
    with audited(app, day_before) as found:
        assert [a.valid for a in found if a.matter == PROCUREMENT] == [True]


def test_a_vidaredelegation_decided_before_it_begins_is_refused_naming_it(
    app: Governance, world: World
) -> None:
    """The delegate's own link not yet in force keeps its rule and says from when it holds."""
    refusal = refused(
        app, "take_beslut", SECTOR, **decision(SECTOR, world.vidaredelegering, date(2026, 12, 31))
    )
    assert refusal.rule == "delegering_i_kraft"
    assert str(world.vidaredelegering) in refusal.message
    assert "gäller från 2027-01-01" in refusal.message


def test_a_vidaredelegation_cannot_start_after_its_parent_ended(app: Governance, world: World) -> None:
    """The director cannot pass on procurement for days its own delegation no longer covers."""
    revoke_directors_delegering(app, world, REVOKED_ON)
    refusal = refused(
        app,
        "grant_delegering",
        "kommundirektor",
        delegates=["internt-stod"],
        matter=PROCUREMENT,
        beslut_id=world.director_delegationsordning,
        parent_delegering_id=world.delegering,
        valid_from=AFTER,
    )
    assert refusal.rule == "kan_bara_delegera_egen_beslutanderatt"


# --- what falls with a revocation --------------------------------------------------------------


def test_revoking_a_delegation_says_which_vidaredelegationer_fall_with_it(
    app: Governance, world: World
) -> None:
    """The sektorschef's vidaredelegation falls with the director's; none falls with it while in force."""
    assert app.falling_with(world.delegering) == []
    revoke_directors_delegering(app, world, REVOKED_ON)
    assert [d.id for d in app.falling_with(world.delegering)] == [world.vidaredelegering]


def test_a_vidaredelegation_ended_before_its_parent_does_not_fall_with_it(
    app: Governance, world: World
) -> None:
    """What the director revoked first already ended; it is not named again when KS revokes."""
    send(
        app,
        "revoke_delegering",
        "kommundirektor",
        delegering_id=world.vidaredelegering,
        reason="Omorganisation",
        valid_from=date(2027, 2, 1),
    )
    revoke_directors_delegering(app, world, REVOKED_ON)
    assert app.falling_with(world.delegering) == []


# --- the kinds a delegate may decide ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["budget", "vilja_och_mal", "reglemente", "ansvarsfrihet", "verksamhetsplan"]
)
def test_a_delegate_never_takes_a_decision_only_an_organ_takes(
    app: Governance, world: World, kind: str
) -> None:
    """Under a procurement delegation the director cannot adopt a budget or any other styrdokument."""
    refusal = refused(
        app, "take_beslut", "kommundirektor", **decision("kommundirektor", world.delegering, DAY, kind=kind)
    )
    assert refusal.rule == "endast_organ"
    assert kind in refusal.message


def test_the_director_records_its_vidaredelegation_under_its_delegation(
    app: Governance, world: World
) -> None:
    """A förvaltningschef's delegationsordning under its delegation is the one exception (KL 7 kap. 6 §)."""
    fields = decision("kommundirektor", world.delegering, DAY, kind="delegationsordning", key="V")
    beslut = app.get_record(send(app, "take_beslut", "kommundirektor", **fields).id)
    assert isinstance(beslut, Beslut)
    assert (beslut.kind, beslut.report_to) == ("delegationsordning", "ks")


def test_a_delegate_takes_only_the_kinds_its_matter_covers(app: Governance, world: World) -> None:
    """KS's uppföljningsplan may be delegated, but it covers only decisions of that kind, which only
    an organ takes: the director can decide nothing under it."""
    granted = send(
        app,
        "grant_delegering",
        "ks",
        delegates=["kommundirektor"],
        matter="uppfoljningsplan",
        beslut_id=world.delegationsordning,
        valid_from=YEAR_START,
    ).id
    other = refused(app, "take_beslut", "kommundirektor", **decision("kommundirektor", granted, DAY))
    assert other.rule == "beslutsslag_i_omradet"
    assert "uppfoljningsplan" in other.message
    own = refused(
        app,
        "take_beslut",
        "kommundirektor",
        **decision("kommundirektor", granted, DAY, kind="uppfoljningsplan", key="2"),
    )
    assert own.rule == "endast_organ"


# --- what fullmäktige keeps ------------------------------------------------------------------------


def test_kf_cannot_delegate_ansvarsfrihet_to_ks(app: Governance, world: World) -> None:
    """Årsredovisning and ansvarsfrihet are KF's alone (KL 5 kap. 1 § 7, 2 §): refused, nothing recorded."""
    reglemente = send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="reglemente",
        diarienummer="KF 2027/2",
        paragraf="§ 2",
        title="Reglemente för kommunstyrelsen",
        decided_on=YEAR_START,
    ).id
    refusal = refused(
        app,
        "grant_delegering",
        "kf",
        delegates=["ks"],
        matter="ansvarsfrihet",
        beslut_id=reglemente,
        valid_from=date(2027, 2, 1),
    )
    assert refusal.rule == "forbehallet_fullmaktige"
    assert "KL 5 kap. 1 § 7" in refusal.message
