"""The law's delegation rules as pure functions (KL 6 kap. 37-40 §§, 7 kap. 5-8 §§)."""

from __future__ import annotations

import dataclasses

import pytest

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.law import NEVER_DELEGABLE, DelegationRequest, Matter, check_delegation
from lerum_flow.domain.styrkedja import Position, PositionKind

KF = Position(id="kf", name="Kommunfullmäktige", kind=PositionKind.FULLMAKTIGE, parent=None)
KS = Position(id="ks", name="Kommunstyrelsen", kind=PositionKind.STYRELSE, parent="kf", chair="ks-ordforande")
CHAIR = Position(id="ks-ordforande", name="Ordförande", kind=PositionKind.FORTROENDEVALD, parent="ks")
DIRECTOR = Position(
    id="kommundirektor", name="Kommundirektör", kind=PositionKind.FORVALTNINGSCHEF, parent="ks"
)
SECTOR_HEAD = Position(
    id="sektorschef-a", name="Sektorschef", kind=PositionKind.SEKTORSCHEF, parent="kommundirektor"
)
CHEF = Position(id="chef-a", name="Chef", kind=PositionKind.CHEF, parent="sektorschef-a")

PROCUREMENT = Matter(code="upphandling", category="verkstallighet", holder="ks")

VALID = DelegationRequest(
    grantor=KS,
    delegates=(DIRECTOR,),
    matter=PROCUREMENT,
    urgent=False,
    grantor_holds_matter=True,
    grantor_is_above_delegate=True,
    through_delegation=False,
)


def _request(**changes: object) -> DelegationRequest:
    return dataclasses.replace(VALID, **changes)  # type: ignore[arg-type]


def test_an_organ_delegates_a_matter_it_holds_to_one_official() -> None:
    """The ordinary case passes and names the one delegate."""
    assert check_delegation(VALID) == DIRECTOR


@pytest.mark.parametrize("category", ["verkstallighet", "arende"])
def test_delegable_categories_are_accepted(category: str) -> None:
    """Execution and individual cases may be delegated."""
    assert check_delegation(_request(matter=Matter("x", category, "ks"))) == DIRECTOR


def test_a_delegation_is_never_given_jointly_to_several() -> None:
    """Decision-making power goes to exactly one delegate."""
    with pytest.raises(InvalidInput) as refusal:
        check_delegation(_request(delegates=(DIRECTOR, SECTOR_HEAD)))
    assert refusal.value.rule == "aldrig_gemensam_delegering"


def test_a_delegation_is_never_given_jointly_to_an_official_and_a_politician() -> None:
    """Officials and politicians together is still joint delegation."""
    with pytest.raises(InvalidInput) as refusal:
        check_delegation(_request(delegates=(DIRECTOR, CHAIR)))
    assert refusal.value.rule == "aldrig_gemensam_delegering"


def test_a_delegation_without_a_delegate_is_refused() -> None:
    """No recipient, no delegation."""
    with pytest.raises(InvalidInput) as refusal:
        check_delegation(_request(delegates=()))
    assert refusal.value.rule == "aldrig_gemensam_delegering"


@pytest.mark.parametrize("category", sorted(NEVER_DELEGABLE))
def test_a_never_delegable_category_is_refused(category: str) -> None:
    """Goals, direction, scope, quality, statements to KF and principled authority stay with the organ."""
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(_request(matter=Matter("omrade", category, "ks")))
    assert refusal.value.rule == "ej_delegerbart"


def test_the_never_delegable_categories_are_the_six_of_the_law() -> None:
    """KL 6 kap. 38 § lists exactly these matters."""
    assert (
        frozenset(
            {
                "mal",
                "inriktning",
                "omfattning",
                "kvalitet",
                "yttrande_till_fullmaktige",
                "principiell_myndighetsutovning",
            }
        )
        == NEVER_DELEGABLE
    )


def test_an_urgent_matter_may_be_delegated_to_the_chair() -> None:
    """The chair may decide urgent matters between meetings."""
    assert check_delegation(_request(delegates=(CHAIR,), urgent=True)) == CHAIR


def test_an_urgent_matter_is_not_delegated_to_anyone_but_the_chair() -> None:
    """Urgent delegation to the director is refused."""
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(_request(urgent=True))
    assert refusal.value.rule == "bradskande_endast_ordforande"


def test_a_grantor_cannot_delegate_a_matter_it_does_not_hold() -> None:
    """Only one's own decision-making power can be passed on."""
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(_request(grantor_holds_matter=False))
    assert refusal.value.rule == "kan_bara_delegera_egen_beslutanderatt"


def test_the_delegate_must_be_below_the_grantor() -> None:
    """Power flows down the chain only."""
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(_request(grantor_is_above_delegate=False))
    assert refusal.value.rule == "delegat_under_delegerande"


def test_an_official_cannot_delegate_without_having_received_delegation() -> None:
    """An official has no own decision-making power to pass on."""
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(_request(grantor=DIRECTOR, delegates=(SECTOR_HEAD,)))
    assert refusal.value.rule == "endast_organ_delegerar"


def test_a_forvaltningschef_may_subdelegate_to_an_employee() -> None:
    """Vidaredelegation by the director to a sektorschef is lawful."""
    request = _request(grantor=DIRECTOR, delegates=(SECTOR_HEAD,), through_delegation=True)
    assert check_delegation(request) == SECTOR_HEAD


def test_subdelegation_by_a_sektorschef_is_refused() -> None:
    """Only a förvaltningschef may delegate further (KL 7 kap. 6 §)."""
    request = _request(grantor=SECTOR_HEAD, delegates=(CHEF,), through_delegation=True)
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(request)
    assert refusal.value.rule == "vidaredelegation_endast_forvaltningschef"


def test_subdelegation_by_an_organ_is_refused() -> None:
    """Vidaredelegation is an official's act, not an organ's."""
    request = _request(grantor=KS, delegates=(DIRECTOR,), through_delegation=True)
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(request)
    assert refusal.value.rule == "vidaredelegation_endast_forvaltningschef"


def test_subdelegation_to_a_politician_is_refused() -> None:
    """Vidaredelegation goes to an employee only."""
    request = _request(grantor=DIRECTOR, delegates=(CHAIR,), through_delegation=True)
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(request)
    assert refusal.value.rule == "vidaredelegation_till_anstalld"


def test_an_urgent_matter_cannot_be_subdelegated() -> None:
    """Urgent matters go to the organ's chair, never down the line."""
    request = _request(grantor=DIRECTOR, delegates=(SECTOR_HEAD,), through_delegation=True, urgent=True)
    with pytest.raises(NotPermitted) as refusal:
        check_delegation(request)
    assert refusal.value.rule == "bradskande_endast_ordforande"


def test_fullmaktige_is_never_a_delegate() -> None:
    """KF holds all power; it is not delegated to."""
    with pytest.raises(InvalidInput) as refusal:
        check_delegation(_request(grantor=KS, delegates=(KF,)))
    assert refusal.value.rule == "ogiltig_delegat"
