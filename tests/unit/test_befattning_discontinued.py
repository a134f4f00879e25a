"""Discontinuing an established position (`Governance.discontinue_befattning`): by whoever may
establish one where it stands, once nothing hangs on it from that day on; refusals in Swedish that
record nothing; gone from the positions below its parent from the day, not before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from unit.governance_world import (
    CHEF,
    DAY,
    MEDARBETARE,
    PROCUREMENT,
    SECTOR,
    World,
    governance,
    issue_to_director,
    person_of,
    revoke_directors_delegering,
    seed,
    send,
)
from unit.memory_lookups import positions_in_memory, ties_in_memory
from unit.positions_below_oracle import positions_below_by_walk

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import InvalidState, NotFound, NotPermitted, Refusal

GONE = date(2027, 6, 1)


def discontinue(app: Governance, actor: str, code: str, /, **fields: Any) -> Outcome:
    """Discontinue `code` from GONE as the holder of `actor`, what hangs on it read from views."""
    fields = {"person": person_of(actor), "reason": "Enheten läggs ned.", "discontinued_on": GONE, **fields}
    command = c.parse_command(c.DiscontinueBefattning, actor=actor, code=code, **fields)
    return app.discontinue_befattning(command, ties=ties_in_memory(app))


def refused(app: Governance, actor: str, code: str, /, **fields: Any) -> Refusal:
    before = app.head()
    with pytest.raises(Refusal) as refusal:
        discontinue(app, actor, code, **fields)
    assert app.head() == before
    return refusal.value


def vacate(
    app: Governance, code: str, by: str, *, last_day: date = GONE - timedelta(days=1), **more: Any
) -> None:
    """The world's holder of `code` holds it no longer after `last_day`."""
    fields = {"position": code, "appointee": person_of(code), "reason": "Slutar.", "decided_on": DAY}
    send(app, "end_forordnande", by, valid_until=last_day, **fields, **more)


class Clock:
    """A clock a test moves: when each command is recorded."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def uppdrag_to_chef(app: Governance, world: World) -> UUID:
    """The budget uppdrag broken down to the förskolechef through the director and the sector."""
    to_director = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=to_director, on=DAY)
    to_sector = send(app, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="Förskola",
                     parent_id=to_director, issued_on=DAY).id  # fmt: skip
    send(app, "accept_uppdrag", SECTOR, uppdrag_id=to_sector, on=DAY)
    return send(app, "issue_uppdrag", SECTOR, recipient=CHEF, title="Lokaler", parent_id=to_sector,
                issued_on=DAY).id  # fmt: skip


@pytest.fixture
def seeded() -> tuple[Governance, World]:
    app = governance()
    return app, seed(app)


@pytest.fixture
def app(seeded: tuple[Governance, World]) -> Governance:
    return seeded[0]


def test_a_discontinued_position_is_below_its_chef_before_the_day_it_is_discontinued_not_from_it() -> None:
    """The medarbetare, no longer held from the day, is discontinued by its chef: the positions below
    the chef (as the view and the walk of the log both say) no longer name it from that day, still do
    the day before, and as known before it was recorded."""
    clock = Clock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    app = governance(clock=clock)
    seed(app)
    vacate(app, MEDARBETARE, CHEF)
    clock.now = datetime(2027, 5, 3, 9, tzinfo=UTC)

    outcome = discontinue(app, CHEF, MEDARBETARE)

    view = positions_in_memory(app)
    before_recorded = date(2027, 5, 2)

    def below(on: date, known_on: date | None = None) -> list[str]:
        found = [p.id for p in app.positions_below(CHEF, on, known_on, established=view)]
        assert found == [p.id for p in positions_below_by_walk(app, CHEF, on, known_on)]
        return found

    assert outcome.recorded
    assert app.events_of(outcome.id)[-1].effective_on == GONE
    assert (below(GONE - timedelta(days=1)), below(GONE)) == ([MEDARBETARE], [])
    assert below(GONE, before_recorded) == [MEDARBETARE]


def test_a_discontinued_position_is_given_no_uppdrag(app: Governance) -> None:
    """Once discontinued, the position is named by no new command: an uppdrag to it is refused."""
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)

    with pytest.raises(InvalidState) as refusal:
        app.position(MEDARBETARE)
    assert refusal.value.rule == "avvecklad"


def test_a_position_with_a_position_below_it_is_discontinued_only_once_that_one_is_gone_by_the_day(
    app: Governance,
) -> None:
    """The chef keeps its medarbetare below it: refused, in Swedish, naming it; the medarbetare
    discontinued only later than the day still stands below it then; from the same day, allowed."""
    vacate(app, CHEF, SECTOR)
    vacate(app, MEDARBETARE, CHEF)

    first = refused(app, SECTOR, CHEF)
    discontinue(app, SECTOR, MEDARBETARE, discontinued_on=GONE + timedelta(days=30))
    second = refused(app, SECTOR, CHEF)

    assert (first.rule, second.rule) == ("befattningar_under", "befattningar_under")
    assert f"'{CHEF}' har befattningar under sig som inte är avvecklade den dagen: {MEDARBETARE}" in str(
        first
    )
    assert discontinue(app, SECTOR, CHEF, discontinued_on=GONE + timedelta(days=30)).recorded


def test_a_position_someone_holds_on_the_day_or_after_is_not_discontinued(app: Governance) -> None:
    """The medarbetare's holder still holds it on the day: refused, naming the holder; a term that
    ends the day before does not stand in the way."""
    held = refused(app, CHEF, MEDARBETARE)
    vacate(app, MEDARBETARE, CHEF, last_day=GONE)
    held_on_the_day = refused(app, CHEF, MEDARBETARE)
    vacate(app, MEDARBETARE, CHEF, correction="Slutade en dag tidigare.")

    assert (held.rule, held_on_the_day.rule) == ("innehas", "innehas")
    assert f"innehas den dagen eller senare av {person_of(MEDARBETARE)}" in str(held)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


def test_a_position_with_an_open_uppdrag_is_not_discontinued_until_it_is_withdrawn(
    seeded: tuple[Governance, World],
) -> None:
    """An uppdrag given to the chef and not finished keeps the chef: refused; withdrawn, allowed."""
    app, world = seeded
    uppdrag = uppdrag_to_chef(app, world)
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)
    vacate(app, CHEF, SECTOR)

    open_one = refused(app, SECTOR, CHEF)
    send(app, "withdraw_uppdrag", SECTOR, uppdrag_id=uppdrag, reason="Enheten läggs ned.", on=DAY)

    assert open_one.rule == "pagaende_uppdrag"
    assert f"'{CHEF}' har 1 pågående uppdrag" in str(open_one)
    assert discontinue(app, SECTOR, CHEF).recorded


def test_only_the_position_it_stands_under_or_one_above_that_discontinues_it(app: Governance) -> None:
    """As for establishing it: another sector is refused; the director, above its chef's sector, may."""
    vacate(app, MEDARBETARE, CHEF)

    other_sector = refused(app, "samhallsbyggnad", MEDARBETARE)

    assert isinstance(other_sector, NotPermitted)
    assert other_sector.rule == "organisation_ovanifran"
    assert "'samhallsbyggnad' står inte över 'chef-forskola'" in str(other_sector)
    assert discontinue(app, "kommundirektor", MEDARBETARE).recorded


def test_a_position_never_established_or_of_the_fixed_chain_is_not_discontinued(app: Governance) -> None:
    """An unknown code and a code of the styrmodell's fixed chain are refused, saying which it is."""
    unknown = refused(app, SECTOR, "chef-finns-inte")
    fixed = refused(app, "kommundirektor", SECTOR)

    assert isinstance(unknown, NotFound)
    assert unknown.rule == "okand_befattning"
    assert "'chef-finns-inte' finns inte" in str(unknown)
    assert isinstance(fixed, InvalidState)
    assert fixed.rule == "fast_befattning"


def test_a_discontinued_position_is_not_discontinued_again_and_a_retry_is_recorded_once(
    app: Governance,
) -> None:
    """The same command again (its id) is answered as already recorded; another is refused."""
    vacate(app, MEDARBETARE, CHEF)
    command_id = uuid4()
    first = discontinue(app, CHEF, MEDARBETARE, command_id=command_id)
    head = app.head()

    retried = discontinue(app, CHEF, MEDARBETARE, command_id=command_id)
    again = refused(app, CHEF, MEDARBETARE, reason="Igen.")

    assert (first.recorded, retried.recorded, app.head()) == (True, False, head)
    assert again.rule == "avvecklad"


def test_a_position_discontinued_from_a_later_day_is_acted_in_until_the_day_before(app: Governance) -> None:
    """Discontinued in advance, the medarbetare still reports an avvikelse on the last day it exists;
    from the day, a command in it, or naming it, is refused, saying from when it is gone."""
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)

    def report(on: date) -> Outcome:
        about = {"subject_kind": "budgetomrade", "subject_ref": "forskola", "category": "ekonomi"}
        return send(app, "report_avvikelse", MEDARBETARE, severity="avvikelse", description=f"Brist {on}.",
                    occurred_on=on, **about)  # fmt: skip

    last_day = report(GONE - timedelta(days=1))
    with pytest.raises(InvalidState) as acting:
        report(GONE)
    with pytest.raises(InvalidState) as appointing:
        send(app, "appoint", CHEF, position=MEDARBETARE, appointee="p-ny", valid_from=GONE, decided_on=GONE)

    assert last_day.recorded
    assert (acting.value.rule, appointing.value.rule) == ("avvecklad", "avvecklad")
    assert f"'{MEDARBETARE}' fanns inte 2027-06-01: den avvecklades från 2027-06-01" in str(acting.value)


def test_a_position_established_below_for_a_later_day_keeps_its_parent(app: Governance) -> None:
    """A position placed below the chef from a day after the chef would be gone stands in the way."""
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)
    vacate(app, CHEF, SECTOR)
    send(app, "establish_befattning", SECTOR, code="m-senare", name="Förskollärare", kind="medarbetare",
         parent=CHEF, established_on=GONE + timedelta(days=10))  # fmt: skip

    later = refused(app, SECTOR, CHEF)

    assert later.rule == "befattningar_under"
    assert "m-senare" in str(later)


def test_a_position_a_delegering_is_in_force_to_from_the_day_on_is_not_discontinued_until_revoked(
    seeded: tuple[Governance, World],
) -> None:
    """KS's delegering to the medarbetare keeps it: refused, naming the delegering and its matter;
    revoked from the day, allowed."""
    app, world = seeded
    vacate(app, MEDARBETARE, CHEF)
    delegering = send(app, "grant_delegering", "ks", delegates=[MEDARBETARE], matter=PROCUREMENT,
                      beslut_id=world.delegationsordning, valid_from=DAY).id  # fmt: skip

    in_force = refused(app, CHEF, MEDARBETARE)
    send(app, "revoke_delegering", "ks", delegering_id=delegering, reason="Ny ordning", valid_from=GONE)

    assert in_force.rule == "delegering_galler"
    says = f"'{MEDARBETARE}' har delegeringar som gäller den dagen eller senare: {delegering} ({PROCUREMENT})"
    assert says in str(in_force)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


def test_a_vidaredelegation_to_a_position_falls_with_the_delegering_it_rests_on(
    seeded: tuple[Governance, World],
) -> None:
    """The director's vidaredelegation to the medarbetare keeps it while KS's delegering to the
    director stands; revoked from the day, the vidaredelegation falls with it: allowed."""
    app, world = seeded
    vacate(app, MEDARBETARE, CHEF)
    vidare = send(app, "grant_delegering", "kommundirektor", delegates=[MEDARBETARE], matter=PROCUREMENT,
                  beslut_id=world.director_delegationsordning, parent_delegering_id=world.delegering,
                  valid_from=DAY).id  # fmt: skip

    resting = refused(app, CHEF, MEDARBETARE)
    revoke_directors_delegering(app, world, GONE)

    assert resting.rule == "delegering_galler"
    assert str(vidare) in str(resting)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


def test_a_position_an_avvikelse_is_open_at_is_not_discontinued_until_it_has_gone_on(
    app: Governance,
) -> None:
    """The medarbetare's avvikelse, held at the chef's level, keeps the chef: refused, naming it and
    its category; escalated to the sector, allowed."""
    about = {"subject_kind": "budgetomrade", "subject_ref": "forskola", "category": "ekonomi"}
    avvikelse = send(app, "report_avvikelse", MEDARBETARE, severity="avvikelse", description="Brist.",
                     occurred_on=DAY, **about).id  # fmt: skip
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)
    vacate(app, CHEF, SECTOR)

    held = refused(app, SECTOR, CHEF)
    send(app, "escalate_avvikelse", CHEF, avvikelse_id=avvikelse, on=DAY, reason="Vidare till sektorn.")

    assert held.rule == "oppna_avvikelser"
    assert f"'{CHEF}' har öppna avvikelser på sin nivå: {avvikelse} (ekonomi)" in str(held)
    assert discontinue(app, SECTOR, CHEF).recorded


def test_a_position_is_not_established_under_one_discontinued_from_a_later_day(app: Governance) -> None:
    """Below the medarbetare's chef, discontinued from GONE: established before GONE it would outlive
    the chef, refused naming the chef and the day; from GONE, the chef is gone then. Nothing recorded."""
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)
    vacate(app, CHEF, SECTOR)
    discontinue(app, SECTOR, CHEF)
    before = app.head()

    def establish(on: date) -> InvalidState:
        with pytest.raises(InvalidState) as refusal:
            send(app, "establish_befattning", SECTOR, code="m-ny", name="Förskollärare", kind="medarbetare",
                 parent=CHEF, established_on=on)  # fmt: skip
        return refusal.value

    outliving = establish(GONE - timedelta(days=1))
    after = establish(GONE)

    assert (outliving.rule, outliving.field) == ("overlever_befattningen", "parent")
    assert f"'{CHEF}' avvecklas från {GONE.isoformat()}" in str(outliving)
    assert after.rule == "avvecklad"
    assert app.head() == before


def test_a_position_discontinued_from_a_later_day_is_held_and_delegated_to_only_until_the_day_before(
    seeded: tuple[Governance, World],
) -> None:
    """A term without end, or one reaching the day, and a delegering (in force until revoked) to the
    medarbetare discontinued from GONE would outlive it: refused, naming the day, nothing recorded;
    a term ending the day before is recorded."""
    app, world = seeded
    vacate(app, MEDARBETARE, CHEF)
    discontinue(app, CHEF, MEDARBETARE)
    before = app.head()
    term = {"position": MEDARBETARE, "appointee": "p-ny", "valid_from": DAY, "decided_on": DAY}

    def outlived(method: str, actor: str, **fields: Any) -> InvalidState:
        with pytest.raises(InvalidState) as refusal:
            send(app, method, actor, **fields)
        return refusal.value

    open_term = outlived("appoint", CHEF, **term)
    to_the_day = outlived("appoint", CHEF, valid_until=GONE, **term)
    delegering = outlived("grant_delegering", "ks", delegates=[MEDARBETARE], matter=PROCUREMENT,
                          beslut_id=world.delegationsordning, valid_from=DAY)  # fmt: skip

    assert [r.rule for r in (open_term, to_the_day, delegering)] == ["overlever_befattningen"] * 3
    assert (open_term.field, delegering.field) == ("valid-until", "to")
    assert f"'{MEDARBETARE}' avvecklas från {GONE.isoformat()}; förordnandet skulle finnas kvar" in str(
        open_term
    )
    assert app.head() == before
    assert send(app, "appoint", CHEF, valid_until=GONE - timedelta(days=1), **term).recorded
