"""The rules of förordnanden as pure functions: who appoints to which position, in which role, and
what a term covers."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from unit.domain_builders import stamp

from lerum_flow.domain.acting import check_holds_position
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.forordnande import Appointment, Basis, Forordnande, Role
from lerum_flow.domain.styrkedja import Styrkedja
from lerum_flow.domain.tillsattning import Appointer, appointer, role_for
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell, shipped_styrmodell_path

LERUM = default_styrmodell().styrkedja()
NORRVIK = load_styrmodell(shipped_styrmodell_path("norrvik")).styrkedja()


@pytest.mark.parametrize(
    ("chain", "position", "role", "expected"),
    [
        (LERUM, "kf", "", Appointer("kf", Basis.VALBEVIS, actor_role=Role.SEKRETERARE)),
        (LERUM, "kf", "ersattare", Appointer("kf", Basis.VALBEVIS, actor_role=Role.SEKRETERARE)),
        (LERUM, "kf", "sekreterare", Appointer("kf", Basis.BESLUT)),
        (LERUM, "ks", "", Appointer("kf", Basis.BESLUT)),
        (LERUM, "ks", "sekreterare", Appointer("ks", Basis.BESLUT)),
        (LERUM, "beredning-larande", "", Appointer("kf", Basis.BESLUT)),
        (LERUM, "revisorer", "", Appointer("kf", Basis.BESLUT)),
        (LERUM, "kf-ordforande", "", Appointer("kf", Basis.BESLUT)),
        (LERUM, "ks-ordforande", "ersattare", Appointer("kf", Basis.BESLUT)),
        (LERUM, "kommundirektor", "", Appointer("ks", Basis.BESLUT)),
        (LERUM, "larande", "tillforordnad", Appointer("kommundirektor", Basis.EGET)),
        (NORRVIK, "bun", "", Appointer("kf", Basis.BESLUT)),
        (NORRVIK, "bun-forvaltningschef", "", Appointer("bun", Basis.BESLUT)),
        (NORRVIK, "ks-au", "", Appointer("ks", Basis.BESLUT)),
    ],
)
def test_who_appoints_follows_the_chain(
    chain: Styrkedja, position: str, role: str, expected: Appointer
) -> None:
    """The voters' choice for KF; the organ above by decision; KF for every chair; the one above an
    official."""
    target = chain.position(position)
    assert appointer(target, role_for(target, role), chain.ancestors(position)) == expected


@pytest.mark.parametrize(
    ("position", "role", "usual"),
    [("kf", "", Role.LEDAMOT), ("revisorer", "", Role.REVISOR), ("kf-ordforande", "", Role.VALD),
     ("kommundirektor", "", Role.ANSTALLD), ("ks", "ersattare", Role.ERSATTARE)],
)  # fmt: skip
def test_a_position_is_held_in_its_usual_role_unless_one_is_named(
    position: str, role: str, usual: Role
) -> None:
    assert role_for(LERUM.position(position), role) is usual


@pytest.mark.parametrize(("position", "role"), [("ks", "anstalld"), ("kommundirektor", "ledamot"),
                                                ("revisorer", "ersattare"), ("ks", "kung")])  # fmt: skip
def test_a_role_the_position_cannot_be_held_in_is_refused(position: str, role: str) -> None:
    with pytest.raises(InvalidInput) as refusal:
        role_for(LERUM.position(position), role)
    assert (refusal.value.field, refusal.value.rule) == ("role", "roll_for_befattningen")


def _held(role: Role, start: date, last: date | None) -> Forordnande:
    appointment = Appointment(role, last, start, Basis.BESLUT, beslut_id=uuid4())
    return Forordnande.appoint(
        uuid4(), stamp("kf", on=start), position="ks", appointee="p-1", appointment=appointment
    )


def test_a_term_covers_its_first_and_last_day_only() -> None:
    record = _held(Role.LEDAMOT, date(2027, 1, 1), date(2030, 12, 31))
    days = (date(2026, 12, 31), date(2027, 1, 1), date(2030, 12, 31), date(2031, 1, 1))
    assert [record.held_on(day) is not None for day in days] == [False, True, True, False]


def test_the_refusal_says_whether_the_person_came_too_early_left_or_was_never_appointed() -> None:
    record = _held(Role.ANSTALLD, date(2027, 1, 1), None)
    record.end(
        stamp("ks", on=date(2028, 7, 1)), decided_on=date(2028, 6, 1), reason="Ny tjänst", beslut_id=None
    )
    messages = []
    for found, day in ((record, date(2026, 6, 1)), (record, date(2028, 7, 1)), (None, date(2027, 6, 1))):
        with pytest.raises(NotPermitted) as refusal:
            check_holds_position(found, position="ks", person="p-1", on=day)
        messages.append(refusal.value.message)
    assert "först från 2027-01-01" in messages[0]
    assert "till och med 2028-06-30" in messages[1]
    assert "har inget förordnande som 'ks'" in messages[2]


def test_an_elected_term_needs_a_last_day_and_an_end_needs_a_reason() -> None:
    with pytest.raises(InvalidInput, match="mandattid"):
        _held(Role.ERSATTARE, date(2027, 1, 1), None)
    record = _held(Role.ANSTALLD, date(2027, 1, 1), None)
    with pytest.raises(InvalidInput, match="skälet"):
        record.end(stamp("ks", on=date(2028, 1, 1)), decided_on=date(2028, 1, 1), reason=" ", beslut_id=None)
    with pytest.raises(InvalidInput, match="sista dagen"):
        record.end(stamp("ks", on=date(2026, 1, 1)), decided_on=date(2028, 1, 1), reason="R", beslut_id=None)


def test_a_new_term_waits_for_the_last_to_end() -> None:
    record = _held(Role.LEDAMOT, date(2027, 1, 1), date(2030, 12, 31))
    again = Appointment(Role.LEDAMOT, date(2034, 12, 31), date(2030, 11, 1), Basis.BESLUT)
    with pytest.raises(InvalidState):
        record.reappoint(stamp("kf", on=date(2030, 12, 31)), again)
    record.reappoint(stamp("kf", on=date(2031, 1, 1)), again)
    assert [t.valid_from for t in record.terms] == [date(2027, 1, 1), date(2031, 1, 1)]


def test_a_term_ended_ahead_stands_in_the_date_order_at_its_decisions_day() -> None:
    """Ended on 2027-03-01 after 2027-12-31, then on 2027-06-01 after 2027-09-30: the second is no
    correction, and the term holds up to 2027-09-30; one decided on 2027-02-01 is a correction."""
    record = _held(Role.ANSTALLD, date(2027, 1, 1), None)
    record.end(stamp("ks", on=date(2028, 1, 1)), decided_on=date(2027, 3, 1), reason="Avgång", beslut_id=None)

    record.end(
        stamp("ks", on=date(2027, 10, 1)), decided_on=date(2027, 6, 1), reason="Tidigare", beslut_id=None
    )

    assert [(t.valid_from, t.ends) for t in record.terms] == [(date(2027, 1, 1), date(2027, 10, 1))]
    assert record.last_effective_on == date(2027, 6, 1)
    with pytest.raises(InvalidInput) as refusal:
        record.end(stamp("ks", on=date(2027, 9, 1)), decided_on=date(2027, 2, 1), reason="R", beslut_id=None)
    assert (refusal.value.rule, refusal.value.field) == ("datumordning", "date")
