"""A person acts in a position only on a day they held it: every command checks; a refusal records nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from unit.governance_world import appoint, event_count, governance, person_of, send

from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import NotPermitted, Refusal

TERM_STARTS = date(2027, 1, 1)
TERM_ENDS = date(2030, 12, 31)
LEFT_AFTER = date(2028, 3, 31)


def decide(app: Governance, organ: str, person: str, on: date) -> Outcome:
    """`person` records a decision of `organ` on `on` (a new one each day)."""
    return send(
        app,
        "take_beslut",
        organ,
        person=person,
        decided_by=organ,
        kind="ovrigt",
        diarienummer=f"{organ.upper()} {on.isoformat()}",
        paragraf="§ 1",
        title="Riktlinje",
        decided_on=on,
    )


def refused(app: Governance, organ: str, person: str, on: date) -> Refusal:
    before = event_count(app)
    with pytest.raises(Refusal) as refusal:
        decide(app, organ, person, on)
    assert event_count(app) == before, "a refused command recorded something"
    return refusal.value


@dataclass(frozen=True)
class Case:
    name: str
    role: str  # what p-anna holds in KS from TERM_STARTS (to TERM_ENDS)
    acts_as: str
    on: date
    accepted: bool
    says: str = ""  # what the refusal names besides person, position and day
    left_after: date | None = None  # her förordnande ended after this day


CASES = [
    Case("inside the term", "ledamot", "ks", date(2027, 6, 15), True),
    Case("on the first day", "ledamot", "ks", TERM_STARTS, True),
    Case("on the last day", "ledamot", "ks", TERM_ENDS, True),
    Case(
        "the day before the appointment", "ledamot", "ks", date(2026, 12, 31), False, "först från 2027-01-01"
    ),
    Case("after the term", "ledamot", "ks", date(2031, 1, 1), False, "till och med 2030-12-31"),
    Case("on the last day before leaving", "ledamot", "ks", LEFT_AFTER, True, left_after=LEFT_AFTER),
    Case(
        "after leaving early",
        "ledamot",
        "ks",
        date(2028, 4, 1),
        False,
        "till och med 2028-03-31",
        left_after=LEFT_AFTER,
    ),
    Case("as an ersättare standing in", "ersattare", "ks", date(2027, 6, 15), True),
    Case("as an ersättare after the term", "ersattare", "ks", date(2031, 1, 1), False, "till och med"),
    Case("as KS's ersättare in KF", "ersattare", "kf", date(2027, 6, 15), False, "inget förordnande"),
    Case("as KS's ledamot in KF", "ledamot", "kf", date(2027, 6, 15), False, "inget förordnande"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_person_acts_only_in_a_position_held_that_day(case: Case) -> None:
    """Accepted inside the term, refused before it, after it or after leaving, and in another position."""
    app = governance()
    appoint(app, "ks", "p-anna", role=case.role, on=TERM_STARTS, until=TERM_ENDS)
    if case.left_after is not None:
        send(
            app,
            "end_forordnande",
            "kf",
            position="ks",
            appointee="p-anna",
            valid_until=case.left_after,
            reason="Avsägelse",
            decided_on=case.left_after,
            beslut_id=decide(app, "kf", person_of("kf"), case.left_after).id,
        )

    if case.accepted:
        assert decide(app, case.acts_as, "p-anna", case.on).recorded
        return
    refusal = refused(app, case.acts_as, "p-anna", case.on)
    assert isinstance(refusal, NotPermitted)
    assert (refusal.field, refusal.rule) == ("person", "ej_forordnad")
    for named in ("p-anna", f"'{case.acts_as}'", case.on.isoformat(), case.says):
        assert named in refusal.message


def test_one_person_cannot_act_as_kf_ks_and_a_sektorschef_without_being_appointed() -> None:
    """What the trusted --as allowed before: the same person refused in each position, nothing recorded."""
    app = governance()
    before = event_count(app)
    for position in ("kf", "ks", "larande"):
        with pytest.raises(NotPermitted, match=f"p-x har inget förordnande som '{position}'"):
            send(
                app,
                "issue_uppdrag",
                position,
                person="p-x",
                recipient="kommundirektor" if position != "larande" else "chef-x",
                title="Något",
                issued_on=date(2027, 3, 1),
            )
    assert event_count(app) == before


def test_an_appointment_ended_on_its_first_day_was_never_held() -> None:
    """A förordnande recorded in error is ended from its first day: it never gave the right to act."""
    app = governance()
    appoint(app, "ks", "p-fel", on=TERM_STARTS, until=TERM_ENDS)
    send(
        app,
        "end_forordnande",
        "kf",
        position="ks",
        appointee="p-fel",
        valid_until=date(2026, 12, 31),
        reason="Rättelse: fel person registrerades.",
        decided_on=date(2027, 2, 1),
        beslut_id=decide(app, "kf", person_of("kf"), date(2027, 2, 1)).id,
    )
    assert "p-fel har inget förordnande som 'ks'" in refused(app, "ks", "p-fel", date(2027, 1, 15)).message


def test_a_re_elected_member_acts_in_both_terms_but_not_between_them() -> None:
    """A second term is a new event; the gap between the terms is not covered."""
    app = governance()
    appoint(app, "ks", "p-anna", on=TERM_STARTS, until=date(2027, 12, 31))
    appoint(app, "ks", "p-anna", on=date(2028, 2, 1), until=TERM_ENDS)
    assert decide(app, "ks", "p-anna", date(2027, 12, 31)).recorded
    assert decide(app, "ks", "p-anna", date(2028, 2, 1)).recorded
    assert "till och med 2027-12-31" in refused(app, "ks", "p-anna", date(2028, 1, 15)).message


def test_a_process_acts_without_a_forordnande() -> None:
    """A workflow carrying out a decision is no person: its commands are not checked against the register."""
    app = governance()
    assert decide(app, "ks", "temporal:Arshjul-1441-2028", date(2027, 3, 1)).recorded


def test_the_history_tells_the_capacity_a_person_acted_in() -> None:
    """An ersättare's act is shown as such; a process's act has no capacity."""
    app = governance()
    appoint(app, "ks", "p-ers", role="ersattare", on=TERM_STARTS, until=TERM_ENDS)
    by_ersattare = decide(app, "ks", "p-ers", date(2027, 6, 15))
    by_process = decide(app, "ks", "temporal:wf", date(2027, 6, 16))
    (entry,) = app.history(by_ersattare.id)
    (process,) = app.history(by_process.id)
    assert (str(app.acting_role(entry)), app.acting_role(process)) == ("ersattare", None)


def test_who_held_a_position_is_read_as_known_then() -> None:
    """The register answers who held KS on a day, with or without what was recorded since."""
    clock = Clock(datetime(2027, 1, 1, 9, tzinfo=UTC))
    app = governance(clock=clock)
    clock.now = datetime(2027, 5, 1, 9, tzinfo=UTC)
    appoint(app, "ks", "p-anna", on=TERM_STARTS, until=TERM_ENDS)
    known_in_april = datetime(2027, 5, 1, tzinfo=UTC)
    assert [h.person for h in app.holders("ks", date(2027, 6, 1))] == ["p-anna", person_of("ks")]
    assert [h.person for h in app.holders("ks", date(2027, 6, 1), known_until=known_in_april)] == [
        person_of("ks")
    ]


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now
