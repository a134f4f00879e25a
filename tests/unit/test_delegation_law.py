"""The law's rules on delegation as pure functions (KL 5 kap. 1-2 §§, 6 kap. 37-39 §§, 7 kap. 5-6 §§),
and on uppdrag down the chain beside KS's uppsikt (KL 6 kap. 1 och 3 §§).

Every rule the engine encodes from kommunallagen has a row here: the
paragraph, the rule's code, a case the law accepts and one it refuses, both run
through the domain's pure functions, as every command does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from unit.domain_builders import organ_beslut

from lerum_flow.domain import delegated, law
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegated import DelegatedDecision, check_delegated_decision, check_granting_beslut
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.kommunallag import KL_2017, KOMMUNALLAGAR, kommunallag_on, newest_kommunallag
from lerum_flow.domain.law import DelegationRequest, Matter, check_delegation
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.tracing import check_may_issue
from lerum_flow.domain.values import UppdragKind

KF = Position("kf", "Kommunfullmäktige", PositionKind.FULLMAKTIGE, None, chair="kf-ordforande")
KS = Position("ks", "Kommunstyrelsen", PositionKind.STYRELSE, "kf", chair="ks-ordforande")
CHAIR = Position("ks-ordforande", "Ordförande", PositionKind.FORTROENDEVALD, "ks")
DIRECTOR = Position("kommundirektor", "Kommundirektör", PositionKind.FORVALTNINGSCHEF, "ks")
SECTOR = Position("larande", "Sektorschef", PositionKind.SEKTORSCHEF, "kommundirektor")
CHEF = Position("chef-a", "Chef", PositionKind.CHEF, "larande")

DAY = date(2027, 3, 1)
PROCUREMENT = Matter("upphandling", "arende", "ks")
FOLLOW_UP_PLAN = Matter("uppfoljningsplan", "arende", "ks", frozenset({"uppfoljningsplan"}))
KF_CASES = Matter("kf_arenden", "arende", "kf")


def _matter_of(kinds: str, category: str = "arende") -> Matter:
    return Matter("omrade", category, "kf", frozenset(kinds.split()))


GRANT = DelegationRequest(
    grantor=KS,
    delegates=(DIRECTOR,),
    matter=PROCUREMENT,
    urgent=False,
    grantor_holds_matter=True,
    grantor_is_above_delegate=True,
    through_delegation=False,
    valid_from=DAY,
)


def grant(**changes: object) -> Callable[[], object]:
    request = dataclasses.replace(GRANT, **changes)  # type: ignore[arg-type]
    return lambda: check_delegation(request)


def granted_by(beslut: Beslut) -> Callable[[], object]:
    """KS's delegation resting on `beslut`."""
    return lambda: check_granting_beslut(KS, beslut)


def subgrant(**changes: object) -> Callable[[], object]:
    return grant(**{"grantor": DIRECTOR, "delegates": (SECTOR,), "through_delegation": True, **changes})


@dataclass(frozen=True)
class Link:
    """A delegation as the chain rule reads it."""

    granted_by: str
    delegate: str
    valid_from: date = date(2027, 1, 1)
    valid_until: date | None = None
    matter: str = PROCUREMENT.code
    parent_id: UUID | None = None
    id: UUID = dataclasses.field(default_factory=uuid4)


TO_DIRECTOR = Link("ks", "kommundirektor")
TO_SECTOR = Link("kommundirektor", "larande", parent_id=TO_DIRECTOR.id)
REVOKED_TO_DIRECTOR = dataclasses.replace(TO_DIRECTOR, valid_until=date(2027, 2, 1))


def decide(
    chain: Sequence[Link] = (TO_DIRECTOR,),
    by: Position = DIRECTOR,
    on: date = DAY,
    kind: str = "ovrigt",
    matter: str = "",
    covers: Matter = PROCUREMENT,
) -> Callable[[], object]:
    decision = DelegatedDecision(chain, by, on, matter, kind)
    return lambda: check_delegated_decision(decision, lambda _code: covers)


NAMND = Position("son", "Socialnämnden", PositionKind.NAMND, "kf", chair="son-ordforande")
BOLAG = Position("bostader", "Bostadsbolaget", PositionKind.BOLAG, "kf")


def issue(giver: Position, recipient: Position, kind: str, *, above: bool) -> Callable[[], object]:
    """An uppdrag (or a request under uppsikt) from `giver` to `recipient`, `above` if it stands above."""
    return lambda: check_may_issue(giver, recipient, UppdragKind(kind), giver_is_above=above, law=KL_2017)


@dataclass(frozen=True)
class Row:
    paragraph: str
    rule: str
    accepted: Callable[[], object]
    refused: Callable[[], object]


ROWS = [
    # KL 6 kap. 1 och 3 §§: KS has uppsikt over the nämnder and bolag under KF, not command.
    Row("6 kap. 1 §", "givare_over_mottagare", issue(KS, DIRECTOR, "uppdrag", above=True),
        issue(KS, NAMND, "uppdrag", above=False)),
    Row("6 kap. 1 §", "uppsikt_endast_styrelsen", issue(KS, NAMND, "uppsikt", above=False),
        issue(KF, NAMND, "uppsikt", above=True)),
    Row("6 kap. 3 §", "uppsikt_over_namnd_eller_bolag", issue(KS, BOLAG, "uppsikt", above=False),
        issue(KS, DIRECTOR, "uppsikt", above=True)),
    # KL 5 kap. 1-2 §§: what fullmäktige keeps, and to whom it delegates.
    Row("5 kap. 1 § 1, 2 §", "forbehallet_fullmaktige", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("vilja_och_mal"))),
    Row("5 kap. 1 § 2, 2 §", "forbehallet_fullmaktige", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("budget"))),
    Row("5 kap. 1 § 3, 2 §", "forbehallet_fullmaktige", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("reglemente"))),
    Row("5 kap. 1 § 7, 2 §", "forbehallet_fullmaktige", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("ovrigt ansvarsfrihet"))),
    Row("5 kap. 1 § 7, 2 §", "forbehallet_fullmaktige", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("arsredovisning"))),
    Row("5 kap. 1 § 4-6, 8-9, 2 §", "forbehallet_fullmaktige",
        grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(KS,), matter=_matter_of("ovrigt", "fullmaktige"))),
    Row("5 kap. 2 §", "fullmaktige_delegerar_till_namnd", grant(grantor=KF, delegates=(KS,), matter=KF_CASES),
        grant(grantor=KF, delegates=(DIRECTOR,), matter=KF_CASES)),
    # KL 6 kap. 37-39 §§: a nämnd delegates what it holds, to one, below it; never its core.
    Row("6 kap. 37 §", "aldrig_gemensam_delegering", grant(), grant(delegates=(DIRECTOR, CHAIR))),
    Row("6 kap. 37 §", "aldrig_gemensam_delegering", grant(), grant(delegates=(DIRECTOR, SECTOR))),
    Row("6 kap. 37 §", "aldrig_gemensam_delegering", grant(), grant(delegates=())),
    Row("6 kap. 37 §", "kan_bara_delegera_egen_beslutanderatt", grant(), grant(grantor_holds_matter=False)),
    Row("6 kap. 37 §", "delegat_under_delegerande", grant(), grant(grantor_is_above_delegate=False)),
    Row("6 kap. 37 §", "endast_organ_delegerar", grant(), grant(grantor=DIRECTOR, delegates=(SECTOR,))),
    Row("6 kap. 37 §", "ogiltig_delegat", grant(), grant(delegates=(KF,))),
    *(
        Row("6 kap. 38 §", "ej_delegerbart", grant(), grant(matter=Matter("omrade", category, "ks")))
        for category in sorted(law.NEVER_DELEGABLE)
    ),
    Row("6 kap. 37 §", "delegationsbeslut", granted_by(organ_beslut("ks", "delegationsordning")),
        granted_by(organ_beslut("kf", "budget"))),
    Row("6 kap. 39 §", "bradskande_endast_ordforande", grant(urgent=True, delegates=(CHAIR,)),
        grant(urgent=True)),
    # KL 7 kap. 5-6 §§: vidaredelegation, by a förvaltningschef, to an employee, never urgent.
    Row("7 kap. 6 §", "vidaredelegation_endast_forvaltningschef", subgrant(),
        subgrant(grantor=SECTOR, delegates=(CHEF,))),
    Row("7 kap. 6 §", "vidaredelegation_till_anstalld", subgrant(), subgrant(delegates=(CHAIR,))),
    Row("6 kap. 39 §, 7 kap. 6 §", "bradskande_endast_ordforande", subgrant(), subgrant(urgent=True)),
    # A decision on delegation: by the delegate, carried by its whole chain that day, in its matter.
    Row("6 kap. 37 §, 7 kap. 5 §", "delegat", decide(), decide(by=SECTOR)),
    Row("6 kap. 37 §, 7 kap. 5 §", "delegering_i_kraft", decide(), decide(on=date(2026, 12, 31))),
    Row("6 kap. 37 §, 7 kap. 5 §", "delegering_i_kraft", decide(on=date(2027, 1, 31)),
        decide(chain=(REVOKED_TO_DIRECTOR,))),
    Row("7 kap. 6 §", "delegeringskedja", decide(chain=(TO_SECTOR, TO_DIRECTOR), by=SECTOR),
        decide(chain=(TO_SECTOR, REVOKED_TO_DIRECTOR), by=SECTOR)),
    Row("7 kap. 6 §", "delegeringskedja", decide(chain=(TO_SECTOR, TO_DIRECTOR), by=SECTOR),
        decide(chain=(TO_SECTOR,), by=SECTOR)),
    Row("7 kap. 6 §", "delegeringskedja", decide(chain=(TO_SECTOR, TO_DIRECTOR), by=SECTOR),
        decide(chain=(TO_SECTOR, dataclasses.replace(TO_DIRECTOR, delegate="samhallsbyggnad")), by=SECTOR)),
    Row("6 kap. 37 §", "delegeringens_omrade", decide(matter="upphandling"), decide(matter="personal")),
    Row("6 kap. 37 §", "beslutsslag_i_omradet", decide(), decide(covers=FOLLOW_UP_PLAN)),
    Row("5 kap. 1 § 2", "endast_organ", decide(), decide(kind="budget")),
    Row("6 kap. 37 §, 7 kap. 6 §", "endast_organ", decide(kind="delegationsordning"),
        decide(chain=(TO_SECTOR, TO_DIRECTOR), by=SECTOR, kind="delegationsordning")),
]  # fmt: skip
IDS = [f"{row.paragraph}:{row.rule}:{index}" for index, row in enumerate(ROWS)]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_law_accepts_the_lawful_case(row: Row) -> None:
    """The accepted case of each rule passes every rule."""
    row.accepted()


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_law_refuses_the_unlawful_case_by_its_rule(row: Row) -> None:
    """The refused case of each rule is refused, by that rule and no other."""
    with pytest.raises(Refusal) as refusal:
        row.refused()
    assert refusal.value.rule == row.rule


def test_an_organ_delegates_a_matter_it_holds_to_its_one_delegate() -> None:
    """The ordinary case names the one delegate; execution and individual cases may be delegated."""
    assert check_delegation(GRANT) == DIRECTOR
    for category in ("verkstallighet", "arende"):
        assert grant(matter=Matter("x", category, "ks"))() == DIRECTOR


def test_the_never_delegable_categories_are_the_six_of_6_kap_38_paragraph() -> None:
    """KL 6 kap. 38 § lists exactly these matters."""
    expected = {"mal", "inriktning", "omfattning", "kvalitet", "yttrande_till_fullmaktige"}
    assert expected | {"principiell_myndighetsutovning"} == law.NEVER_DELEGABLE


def test_every_rule_of_the_law_has_a_row() -> None:
    """No rule of the law's modules goes untested: each code they raise is in the table."""
    sources = [Path(module.__file__ or "") for module in (law, delegated)]
    raised = {code for path in sources for code in re.findall(r'rule="([a-z_]+)"', path.read_text())}
    uppsikt = {"givare_over_mottagare", "uppsikt_endast_styrelsen", "uppsikt_over_namnd_eller_bolag"}
    assert raised | {"delegering_i_kraft", "delegeringskedja"} | uppsikt == {row.rule for row in ROWS}


def test_fullmaktige_keeps_the_nine_matters_of_5_kap_1_paragraph() -> None:
    """SFS 2017:725, in force from 2018-01-01, names nine matters; the engine keeps all nine."""
    assert (KL_2017.sfs, KL_2017.in_force_from) == ("2017:725", date(2018, 1, 1))
    assert [m.ground.paragraph for m in KL_2017.reserved_to_fullmaktige] == [
        f"5 kap. 1 § {point}" for point in range(1, 10)
    ]


def test_the_law_of_a_day_is_the_version_in_force_that_day() -> None:
    """Versions are ordered by their first day; a day before the first is judged by the oldest."""
    assert [law.in_force_from for law in KOMMUNALLAGAR] == sorted(law.in_force_from for law in KOMMUNALLAGAR)
    assert kommunallag_on(date(2027, 1, 1)) is newest_kommunallag() is KL_2017
    assert kommunallag_on(date(2017, 12, 31)) is KOMMUNALLAGAR[0]
