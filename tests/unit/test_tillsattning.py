"""Who may appoint whom: the voters' choice through KF's sekreterare, organs by decision down the chain,
officials by the one above; and the register is taken into use once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import (
    appoint,
    event_count,
    governance,
    person_of,
    send,
    staffing_decisions,
)

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.inforande import INFORANDE_ID

DAY = date(2027, 3, 1)
TERM_ENDS = date(2030, 10, 14)
BEVIS = "Länsstyrelsen, bevis 2026-10-01 nr 7"


@dataclass(frozen=True)
class Case:
    name: str
    actor: str  # the acting position; its world holder acts, unless `person` is given
    position: str
    role: str = ""
    beslut: str | None = None  # whose staffing decision is cited: "kf" or "ks"
    bevis: str = ""
    valid_until: date | None = TERM_ENDS
    person: str | None = None
    refused: str | None = None  # the rule broken, or None when accepted
    more: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("kf's sekreterare records a member from the bevis", "kf", "kf", bevis=BEVIS),
    Case("an ersättare of kf from the bevis", "kf", "kf", role="ersattare", bevis=BEVIS),
    Case("a kf member without the bevis", "kf", "kf", refused="bevis_kravs"),
    Case(
        "a kf member recorded by a member, not the sekreterare",
        "kf",
        "kf",
        bevis=BEVIS,
        person="p-ledamot",
        refused="registreras_av_sekreteraren",
    ),
    Case("kf elects a member of ks", "kf", "ks", beslut="kf"),
    Case("kf elects without a decision", "kf", "ks", refused="beslut_kravs"),
    Case("kf elects citing ks's decision", "kf", "ks", beslut="ks", refused="beslut_av_tillsattaren"),
    Case("ks elects its own members", "ks", "ks", beslut="ks", refused="tillsatts_av"),
    Case("a bevis for ks", "kf", "ks", beslut="kf", bevis=BEVIS, refused="bevis_bara_for_fullmaktige"),
    Case("kf elects ks's chair", "kf", "ks-ordforande", beslut="kf"),
    Case("ks elects its own chair", "ks", "ks-ordforande", beslut="ks", refused="tillsatts_av"),
    Case("kf elects a revisor", "kf", "revisorer", beslut="kf"),
    Case("a revisor's role in ks", "kf", "ks", role="revisor", beslut="kf", refused="roll_for_befattningen"),
    Case(
        "an elected member without a last day",
        "kf",
        "ks",
        beslut="kf",
        valid_until=None,
        refused="mandattid_kravs",
    ),
    Case("ks appoints its sekreterare", "ks", "ks", role="sekreterare", beslut="ks", valid_until=None),
    Case("ks appoints the kommundirektör", "ks", "kommundirektor", beslut="ks", valid_until=None),
    Case("ks appoints a tillförordnad", "ks", "kommundirektor", role="tillforordnad", beslut="ks"),
    Case("the kommundirektör appoints a sektorschef", "kommundirektor", "larande", valid_until=None),
    Case("ks appoints a sektorschef", "ks", "larande", beslut="ks", refused="tillsatts_av"),
    Case("the revisorer appoint", "revisorer", "revisorer", beslut="kf", refused="revisorer_laser"),
    Case("a process appoints", "kf", "ks", beslut="kf", person="temporal:wf-1", refused="endast_person"),
    Case(
        "one who holds no position appoints",
        "kommundirektor",
        "larande",
        person="p-x",
        refused="ej_forordnad",
    ),
]


def staffing_beslut(app: Governance, organ: str | None) -> UUID | None:
    """The world's decision of `organ` on its förordnanden (KF's first, then KS's)."""
    return None if organ is None else dict(zip(("kf", "ks"), staffing_decisions(app), strict=False))[organ]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_forordnande_is_made_by_its_appointer_on_what_it_must_rest_on(case: Case) -> None:
    """Each case accepted, or refused by its rule with nothing recorded."""
    app = governance()
    appoint(app, "kf", "p-ledamot", on=date(2026, 10, 15), until=TERM_ENDS, holder=None)
    fields = {
        "position": case.position,
        "appointee": "p-ny",
        "role": case.role,
        "valid_from": DAY,
        "valid_until": case.valid_until,
        "decided_on": DAY,
        "beslut_id": staffing_beslut(app, case.beslut),
        "bevis": case.bevis,
        "person": case.person or person_of(case.actor),
    }
    before = event_count(app)
    if case.refused is not None:
        with pytest.raises(Refusal) as refusal:
            send(app, "appoint", case.actor, **fields)
        assert refusal.value.rule == case.refused, refusal.value.message
        assert event_count(app) == before
        return
    assert send(app, "appoint", case.actor, **fields).recorded
    assert [h.person for h in app.holders(case.position, DAY) if h.person == "p-ny"] == ["p-ny"]


def test_a_decision_taken_after_the_forordnande_cannot_carry_it() -> None:
    """The cited decision must have been taken by the day the förordnande was decided."""
    app = governance()
    later = send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="ovrigt",
        diarienummer="KF 2027/9",
        paragraf="§ 9",
        title="Val",
        decided_on=date(2027, 4, 1),
    ).id
    with pytest.raises(Refusal) as refusal:
        send(
            app,
            "appoint",
            "kf",
            position="ks",
            appointee="p-ny",
            valid_from=DAY,
            valid_until=TERM_ENDS,
            decided_on=DAY,
            beslut_id=later,
        )
    assert refusal.value.rule == "datumordning"


def test_a_second_term_may_not_overlap_the_first() -> None:
    """A förordnande is not edited: an overlapping one is refused until the first is ended."""
    app = governance()
    appoint(app, "ks", "p-ny", on=DAY, until=TERM_ENDS)
    with pytest.raises(Refusal) as refusal:
        appoint(app, "ks", "p-ny", role="ersattare", on=date(2028, 1, 1), until=TERM_ENDS)
    assert refusal.value.rule == "overlappande_forordnande"


def test_only_the_appointer_ends_a_forordnande_and_kf_ends_its_members_by_decision() -> None:
    """KS cannot release a member KF elected; KF's sekreterare records the release on KF's decision."""
    app = governance()
    appoint(app, "ks", "p-ny", on=DAY, until=TERM_ENDS)
    ending = {
        "position": "ks",
        "appointee": "p-ny",
        "valid_until": date(2028, 6, 30),
        "reason": "Avsägelse",
        "decided_on": date(2028, 6, 1),
    }
    with pytest.raises(Refusal, match="görs av 'kf'"):
        send(app, "end_forordnande", "ks", beslut_id=staffing_beslut(app, "ks"), **ending)
    with pytest.raises(Refusal) as without:
        send(app, "end_forordnande", "kf", **ending)
    assert without.value.rule == "beslut_kravs"
    assert send(app, "end_forordnande", "kf", beslut_id=staffing_beslut(app, "kf"), **ending).recorded
    with pytest.raises(Refusal) as again:
        send(
            app, "end_forordnande", "kf", beslut_id=staffing_beslut(app, "kf"), **ending | {"reason": "Igen"}
        )
    assert again.value.rule == "redan_avslutat"


def test_a_chef_ends_an_employment_by_their_own_act() -> None:
    """An official who appointed needs no decision to end it."""
    app = governance()
    assert send(
        app,
        "end_forordnande",
        "kommundirektor",
        position="larande",
        appointee=person_of("larande"),
        valid_until=date(2028, 8, 31),
        reason="Ny tjänst",
        decided_on=date(2028, 6, 1),
    ).recorded
    assert app.holding("larande", person_of("larande"), date(2028, 9, 1)) is None


def test_the_register_is_taken_into_use_once_and_nobody_acts_before() -> None:
    """On a fresh store no person may act; the introduction makes KF's first sekreterare, once."""
    app = governance(staffed=False)
    introduce = c.IntroduceRegister(actor="kf", person="p-it", appointee="p-kansli", valid_from=DAY)
    with pytest.raises(Refusal) as before:
        send(app, "take_beslut", "kf", person="p-kansli", decided_by="kf", kind="ovrigt", diarienummer="KF 1",
             paragraf="§ 1", title="T", decided_on=DAY)  # fmt: skip
    assert before.value.rule == "ej_forordnad"
    assert event_count(app) == 0

    first = app.introduce_register(introduce)
    again = app.introduce_register(introduce)
    events = event_count(app)
    with pytest.raises(Refusal) as second:
        app.introduce_register(introduce.model_copy(update={"appointee": "p-egen"}))

    assert (first.recorded, again.recorded) == (True, False)
    assert second.value.rule == "redan_infort"
    assert "p-it" in second.value.message
    assert event_count(app) == events == 2
    marker, appointment = app.events_of(INFORANDE_ID), app.events_of(first.id)
    assert len({e.command_id for e in [*marker, *appointment]}) == 2  # one command id an event
    assert str(app.holding("kf", "p-kansli", DAY).role) == "sekreterare"  # type: ignore[union-attr]


def test_the_register_is_introduced_only_in_fullmaktiges_name() -> None:
    """Its first förordnande is KF's sekreterare: not KS's, nor anyone's below."""
    app = governance(staffed=False)
    with pytest.raises(Refusal) as refusal:
        app.introduce_register(
            c.IntroduceRegister(actor="ks", person="p-it", appointee="p-k", valid_from=DAY)
        )
    assert refusal.value.rule == "inforande_av_sekreterare"
    assert event_count(app) == 0
