"""Nothing new outlives a position whose discontinuation from a later day is recorded: each command
that ties something to a position (an uppdrag to or from it, a revised due date, an avvikelse held at
its level, a styrdokument it owns or governs, a control it owns) is refused, in Swedish, naming the
position and the day, recording nothing; what ends before that day is recorded. One rule serves them
all (`RecordReads.check_not_outlived`); establishing below, förordnanden and delegeringar are in
test_befattning_discontinued.py."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from unit.governance_world import (
    CHEF,
    DAY,
    MEDARBETARE,
    SECTOR,
    World,
    governance,
    issue_to_director,
    person_of,
    refused,
    seed,
    send,
)
from unit.styrdokument_world import adopt_fields, decide, policy_and_riktlinje

from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal

GONE = date(2027, 6, 1)
LAST_DAY = GONE - timedelta(days=1)


def wind_down(app: Governance, gone: date = GONE) -> None:
    """The medarbetare and its chef, their holders' terms ended the day before, are discontinued
    from `gone`: both still exist on DAY, the medarbetare's holder and the chef's still act."""
    for code, by in ((MEDARBETARE, CHEF), (CHEF, SECTOR)):
        send(app, "end_forordnande", by, position=code, appointee=person_of(code), reason="Slutar.",
             decided_on=DAY, valid_until=gone - timedelta(days=1))  # fmt: skip
        send(app, "discontinue_befattning", by, code=code, reason="Enheten läggs ned.", discontinued_on=gone)


def assert_outlives(refusal: Refusal, code: str, field: str) -> None:
    assert (refusal.rule, refusal.field) == ("overlever_befattningen", field)
    assert f"Befattningen '{code}' avvecklas från {GONE.isoformat()};" in str(refusal)


@pytest.fixture
def seeded() -> tuple[Governance, World]:
    app = governance()
    world = seed(app)
    wind_down(app)
    return app, world


@pytest.fixture
def app(seeded: tuple[Governance, World]) -> Governance:
    return seeded[0]


def uppdrag_to_chef(app: Governance, world: World, due: date) -> UUID:
    """KS's budget uppdrag broken down through the director and the sector to the chef (accepted)."""
    to_director = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=to_director, on=DAY)
    to_sector = send(app, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="Förskola",
                     parent_id=to_director, issued_on=DAY).id  # fmt: skip
    send(app, "accept_uppdrag", SECTOR, uppdrag_id=to_sector, on=DAY)
    to_chef = send(app, "issue_uppdrag", SECTOR, recipient=CHEF, title="Lokaler", parent_id=to_sector,
                   issued_on=DAY, due=due).id  # fmt: skip
    send(app, "accept_uppdrag", CHEF, uppdrag_id=to_chef, on=DAY)
    return to_chef


def test_an_uppdrag_to_a_position_being_discontinued_must_be_due_before_the_day(
    seeded: tuple[Governance, World],
) -> None:
    """To the chef discontinued from GONE: without a due date, or due on GONE, refused naming the
    chef, the day and what to do; due the day before, issued."""
    app, world = seeded
    fields = {"recipient": CHEF, "title": "Lokaler", "issued_on": DAY}
    to_director = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=to_director, on=DAY)
    to_sector = send(app, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="Förskola",
                     parent_id=to_director, issued_on=DAY).id  # fmt: skip
    send(app, "accept_uppdrag", SECTOR, uppdrag_id=to_sector, on=DAY)

    open_ended = refused(app, "issue_uppdrag", SECTOR, parent_id=to_sector, **fields)
    on_the_day = refused(app, "issue_uppdrag", SECTOR, parent_id=to_sector, due=GONE, **fields)

    assert_outlives(open_ended, CHEF, "due")
    assert_outlives(on_the_day, CHEF, "due")
    remedy = "uppdraget skulle finnas kvar när den inte längre finns; det måste ha ett sista datum före dess"
    assert remedy in str(open_ended)
    assert send(app, "issue_uppdrag", SECTOR, parent_id=to_sector, due=LAST_DAY, **fields).recorded


def test_an_uppdrag_from_a_position_being_discontinued_must_be_due_before_the_day(
    seeded: tuple[Governance, World],
) -> None:
    """The chef, discontinued from GONE, breaks its uppdrag down to its medarbetare: its giver would
    be gone on GONE, refused naming the giver; due the day before, issued."""
    app, world = seeded
    to_chef = uppdrag_to_chef(app, world, LAST_DAY)
    fields = {"recipient": MEDARBETARE, "title": "Inventering", "parent_id": to_chef, "issued_on": DAY}

    refusal = refused(app, "issue_uppdrag", CHEF, due=GONE, **fields)

    assert_outlives(refusal, CHEF, "due")
    assert send(app, "issue_uppdrag", CHEF, due=LAST_DAY, **fields).recorded


def test_an_uppdrag_to_a_position_being_discontinued_is_not_revised_to_be_due_from_the_day(
    seeded: tuple[Governance, World],
) -> None:
    """Due the day before GONE, its due date moved to GONE is refused and nothing is recorded; moved
    earlier, or its title changed alone, it is revised."""
    app, world = seeded
    to_chef = uppdrag_to_chef(app, world, LAST_DAY)
    revision = {"uppdrag_id": to_chef, "on": DAY, "reason": "Ny tidplan."}

    refusal = refused(app, "revise_uppdrag", SECTOR, due=GONE, **revision)

    assert_outlives(refusal, CHEF, "due")
    assert send(app, "revise_uppdrag", SECTOR, due=LAST_DAY - timedelta(days=10), **revision).recorded
    assert send(app, "revise_uppdrag", SECTOR, title="Lokaler och inventarier", **revision).recorded


def test_an_avvikelse_is_not_reported_to_be_held_at_the_level_of_a_position_being_discontinued(
    app: Governance,
) -> None:
    """The medarbetare's avvikelse would be held at the chef's level, gone from GONE before anyone can
    close it: refused; a större avvikelse, held at KS, is reported."""
    fields = {"subject_kind": "budgetomrade", "subject_ref": "forskola", "category": "ekonomi",
              "description": "Brist.", "occurred_on": DAY}  # fmt: skip

    refusal = refused(app, "report_avvikelse", MEDARBETARE, severity="avvikelse", **fields)

    assert_outlives(refusal, CHEF, "severity")
    assert "en öppen avvikelse på dess nivå skulle finnas kvar" in str(refusal)
    assert send(app, "report_avvikelse", MEDARBETARE, severity="storre", **fields).recorded


def test_a_styrdokument_is_not_owned_by_nor_adopted_for_a_position_being_discontinued(
    app: Governance,
) -> None:
    """In force until repealed, a policy owned by the chef, or adopted for its part of the
    organisation, would outlive it: refused; owned by the sector, adopted. A document's owner is not
    changed to the chef either."""
    documents = policy_and_riktlinje(app)
    beslut = decide(app, "kf", DAY, "Lokalpolicy", number=20)
    revised_by = decide(app, "kf", DAY, "Ny ägare", number=21)

    owned = refused(app, "adopt_styrdokument", "kf", **adopt_fields(beslut, "policy", owner=CHEF))
    scoped = refused(app, "adopt_styrdokument", "kf", **adopt_fields(beslut, "policy", scope=CHEF))
    handed_over = refused(app, "revise_styrdokument", "kf", styrdokument_id=documents.policy,
                          beslut_id=revised_by, owner=CHEF, reason="Ny ägare.")  # fmt: skip

    assert_outlives(owned, CHEF, "owner")
    assert_outlives(scoped, CHEF, "scope")
    assert_outlives(handed_over, CHEF, "owner")
    assert send(app, "adopt_styrdokument", "kf", **adopt_fields(beslut, "policy", owner=SECTOR)).recorded


def plan_with_control(app: Governance, owner: str) -> UUID:
    """KS's internkontrollplan for 2027, drafted by the kommundirektör on DAY: one chosen risk, its
    control owned by `owner`."""
    plan = send(app, "open_internkontrollplan", "kommundirektor", organ="ks", year=2027, opened_on=DAY).id
    send(app, "identify_risk", "kommundirektor", plan_id=plan, title="Felaktiga utbetalningar", probability=3,
         consequence=4, on=DAY)  # fmt: skip
    send(app, "plan_control", "kommundirektor", **control_of(plan, owner))
    return plan


def control_of(plan: UUID, owner: str) -> dict[str, object]:
    return {"plan_id": plan, "risk": 1, "title": "Attestkontroll", "owner": owner, "method": "Stickprov",
            "frequency": "kvartal", "on": DAY}  # fmt: skip


@pytest.mark.parametrize(("gone", "recorded"), [(GONE, False), (date(2028, 1, 1), True)])
def test_a_control_is_owned_by_a_position_being_discontinued_only_if_it_stands_through_the_plans_year(
    gone: date, recorded: bool
) -> None:
    """A control of KS's plan for 2027 owned by the chef: refused while the chef is gone from within
    the year, nothing recorded; planned when the chef is discontinued from the first day after it."""
    app = governance()
    seed(app)
    wind_down(app, gone)
    plan = send(app, "open_internkontrollplan", "kommundirektor", organ="ks", year=2027, opened_on=DAY).id
    send(app, "identify_risk", "kommundirektor", plan_id=plan, title="Felaktiga utbetalningar", probability=3,
         consequence=4, on=DAY)  # fmt: skip

    if recorded:
        assert send(app, "plan_control", "kommundirektor", **control_of(plan, CHEF)).recorded
    else:
        refusal = refused(app, "plan_control", "kommundirektor", **control_of(plan, CHEF))
        assert_outlives(refusal, CHEF, "owner")
        assert "en kontroll den äger i planen för 2027 skulle finnas kvar" in str(refusal)


def test_a_brist_whose_avvikelse_would_be_held_at_a_position_being_discontinued_records_nothing() -> None:
    """The medarbetare's control, planned before its chef's discontinuation (from the day after the
    plan's year) was recorded, finds a brist: its avvikelse would be held at the chef's level, so
    neither the result nor the avvikelse is recorded; a större avvikelse, held at KS, is recorded
    with its result."""
    app = governance()
    seed(app)
    plan = plan_with_control(app, MEDARBETARE)
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", DAY, "Plan 2027"))
    after_the_year = date(2028, 1, 1)
    wind_down(app, after_the_year)
    result = {"plan_id": plan, "control": 1, "outcome": "brist", "comment": "Attest saknas.",
              "action": "Följ upp.", "performed_on": DAY + timedelta(days=1)}  # fmt: skip

    refusal = refused(app, "record_kontrollresultat", MEDARBETARE, **result)

    assert (refusal.rule, refusal.field) == ("overlever_befattningen", "severity")
    assert f"Befattningen '{CHEF}' avvecklas från {after_the_year.isoformat()};" in str(refusal)
    assert send(app, "record_kontrollresultat", MEDARBETARE, severity="storre", **result).recorded
