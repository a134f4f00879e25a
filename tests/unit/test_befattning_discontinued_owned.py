"""Discontinuing a position that still owns something (`Governance.discontinue_befattning`): a
styrdokument it owns or governs in force on the day or later, or a control it owns in an
internkontrollplan whose year reaches the day and is not yet reported, keeps it; refused in Swedish,
naming what remains, recording nothing. Read, as the command line reads them, from views."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from unit.governance_world import CHEF, DAY, MEDARBETARE, SECTOR, governance, seed, send
from unit.styrdokument_world import adopt_fields, decide
from unit.test_befattning_discontinued import GONE, discontinue, refused, vacate
from unit.test_befattning_outlived import plan_with_control

from lerum_flow.application import Governance


@pytest.fixture
def app() -> Governance:
    """The world, the medarbetare's holder's term ended the day before GONE: only what it owns keeps it."""
    app = governance()
    seed(app)
    vacate(app, MEDARBETARE, CHEF)
    return app


def discontinued_or_refused(app: Governance, gone: date, *, recorded: bool, rule: str) -> str:
    """The medarbetare discontinued from `gone` if `recorded`, else refused under `rule` recording
    nothing: the refusal's text ("" when recorded)."""
    if recorded:
        assert discontinue(app, CHEF, MEDARBETARE, discontinued_on=gone).recorded
        return ""
    refusal = refused(app, CHEF, MEDARBETARE, discontinued_on=gone)
    assert refusal.rule == rule
    return str(refusal)


def policy(app: Governance, **fields: str) -> UUID:
    """A policy adopted by KF on DAY, owned by the sector unless `fields` say otherwise."""
    beslut = decide(app, "kf", DAY, "Lokalpolicy", number=20)
    adopted = adopt_fields(beslut, "policy", title="Lokalpolicy", **{"owner": SECTOR, **fields})
    return send(app, "adopt_styrdokument", "kf", **adopted).id


def test_a_position_owning_a_styrdokument_in_force_is_discontinued_once_another_owns_it(
    app: Governance,
) -> None:
    """The policy owned by the medarbetare keeps it: refused, naming the policy, its title and that the
    position owns it; revised to be owned by the sector, the medarbetare is discontinued."""
    document = policy(app, owner=MEDARBETARE)

    owned = refused(app, CHEF, MEDARBETARE)
    new_owner = decide(app, "kf", DAY, "Ny ägare", number=21)
    send(app, "revise_styrdokument", "kf", styrdokument_id=document, beslut_id=new_owner, owner=SECTOR,
         reason="Ny ägare.")  # fmt: skip

    assert owned.rule == "styrdokument_galler"
    says = f"'{MEDARBETARE}' äger eller omfattas av styrdokument som gäller {GONE.isoformat()} eller senare: "
    assert f"{says}{document} ('Lokalpolicy', ägare)" in str(owned)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


@pytest.mark.parametrize(
    ("repealed_from", "recorded"),
    [(GONE + timedelta(days=1), False), (GONE, True), (GONE - timedelta(days=30), True)],
)
def test_a_position_a_styrdokument_governs_is_discontinued_only_if_the_document_is_repealed_by_the_day(
    app: Governance, repealed_from: date, recorded: bool
) -> None:
    """The policy adopted for the medarbetare's part of the organisation (and owned by it) keeps it while
    it still applies on the day: repealed from the day after, refused; from the day or before, allowed."""
    document = policy(app, owner=MEDARBETARE, scope=MEDARBETARE)
    repeal = decide(app, "kf", DAY, "Upphävande", number=22)
    send(app, "repeal_styrdokument", "kf", styrdokument_id=document, beslut_id=repeal,
         valid_until=repealed_from)  # fmt: skip

    if recorded:
        assert discontinue(app, CHEF, MEDARBETARE).recorded
        return
    governed = refused(app, CHEF, MEDARBETARE)
    assert governed.rule == "styrdokument_galler"
    assert f"{document} ('Lokalpolicy', ägare och räckvidd)" in str(governed)


def test_a_styrdokument_another_position_owns_does_not_keep_a_position(app: Governance) -> None:
    """The sector's policy is no tie of the medarbetare."""
    policy(app)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


@pytest.mark.parametrize(
    ("gone", "recorded"),
    [(GONE, False), (date(2027, 12, 31), False), (date(2028, 1, 1), True)],
)
def test_a_position_owning_a_control_is_discontinued_only_from_after_the_plans_year(
    app: Governance, gone: date, recorded: bool
) -> None:
    """A control of KS's plan for 2027 (a draft) owned by the medarbetare keeps it from any day of 2027,
    the plan's last day included: refused naming the plan's year, organ and the control; from the
    first day after the year, allowed."""
    plan = plan_with_control(app, MEDARBETARE)

    owing = discontinued_or_refused(app, gone, recorded=recorded, rule="agda_kontroller")
    if not recorded:
        says = f"'{MEDARBETARE}' äger kontroller i internkontrollplaner vars år når den dagen: "
        assert f"{says}{plan} (internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll')" in owing


def test_a_control_of_a_plan_whose_year_is_reported_is_owed_no_more(app: Governance) -> None:
    """Adopted, the plan keeps the medarbetare owning its control; once the year is reported (the plan
    closed, taking no more results), nothing is owed: the medarbetare is discontinued from GONE."""
    plan = plan_with_control(app, MEDARBETARE)
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", DAY, "Plan 2027"))
    adopted = refused(app, CHEF, MEDARBETARE)
    send(app, "report_internkontroll", "ks", plan_id=plan, period="delar", summary="Inga brister.",
         reported_on=date(2027, 10, 10))  # fmt: skip
    reported_in_part = refused(app, CHEF, MEDARBETARE)
    send(app, "report_internkontroll", "ks", plan_id=plan, period="helar", summary="Året utan brister.",
         reported_on=date(2028, 2, 10))  # fmt: skip

    assert (adopted.rule, reported_in_part.rule) == ("agda_kontroller", "agda_kontroller")
    assert discontinue(app, CHEF, MEDARBETARE).recorded


def test_a_control_another_position_owns_does_not_keep_a_position(app: Governance) -> None:
    """The sector's control in KS's plan for 2027 is no tie of the medarbetare."""
    plan_with_control(app, SECTOR)
    assert discontinue(app, CHEF, MEDARBETARE).recorded


HANDED = date(2027, 9, 1)
HANDED_ON = date(2027, 12, 1)


def hand(app: Governance, document: UUID, owner: str, valid_from: date, number: int) -> None:
    """KF's revision (decided on DAY) handing the policy to `owner` from `valid_from`."""
    beslut = decide(app, "kf", DAY, f"Ny ägare {number}", number=number)
    send(app, "revise_styrdokument", "kf", styrdokument_id=document, beslut_id=beslut, owner=owner,
         valid_from=valid_from, reason="Ny ägare.")  # fmt: skip


@pytest.mark.parametrize(
    ("gone", "recorded"),
    [(GONE, False), (HANDED - timedelta(days=1), False), (HANDED, True), (HANDED + timedelta(days=30), True)],
)
def test_a_position_owning_a_styrdokument_until_another_takes_it_over_is_discontinued_only_from_that_day(
    app: Governance, gone: date, recorded: bool
) -> None:
    """The medarbetare's policy, handed to the sector from HANDED, keeps it on every day before: refused
    naming the policy, the day and its last day as owner; from HANDED or later, discontinued."""
    document = policy(app, owner=MEDARBETARE)
    hand(app, document, SECTOR, HANDED, 21)

    owned = discontinued_or_refused(app, gone, recorded=recorded, rule="styrdokument_galler")
    if not recorded:
        says = f"'{MEDARBETARE}' äger eller omfattas av styrdokument som gäller {gone.isoformat()} eller "
        assert f"{says}senare: {document} ('Lokalpolicy', ägare till och med 2027-08-31)" in owned


@pytest.mark.parametrize(
    ("gone", "recorded"),
    [
        (GONE, False),
        (HANDED, False),
        (HANDED_ON - timedelta(days=1), False),
        (HANDED_ON, True),
    ],
)
def test_a_position_a_styrdokument_is_handed_to_from_a_later_day_keeps_it_while_it_owns_it(
    app: Governance, gone: date, recorded: bool
) -> None:
    """The sector's policy, handed to the medarbetare from HANDED and on to KS from HANDED_ON, keeps the
    medarbetare from any day before HANDED_ON, though neither the policy's owner today nor its last
    owner is the medarbetare: refused naming the days it owns it; from HANDED_ON, discontinued."""
    document = policy(app)
    hand(app, document, MEDARBETARE, HANDED, 21)
    hand(app, document, "ks", HANDED_ON, 22)

    owned = discontinued_or_refused(app, gone, recorded=recorded, rule="styrdokument_galler")
    if not recorded:
        first = f" från {HANDED.isoformat()}" if gone < HANDED else ""
        assert f"{document} ('Lokalpolicy', ägare{first} till och med 2027-11-30)" in owned


def test_a_position_a_styrdokument_is_handed_to_for_good_is_refused_naming_the_first_day_it_owns_it(
    app: Governance,
) -> None:
    """The sector's policy, handed to the medarbetare from HANDED, keeps it from GONE: refused naming
    HANDED as the medarbetare's first day as owner, nothing recorded."""
    document = policy(app)
    hand(app, document, MEDARBETARE, HANDED, 21)

    owned = refused(app, CHEF, MEDARBETARE)

    assert owned.rule == "styrdokument_galler"
    says = f"som gäller {GONE.isoformat()} eller senare: {document} ('Lokalpolicy', ägare från 2027-09-01); "
    assert says in str(owned)


def hand_control(app: Governance, plan: UUID, owner: str) -> None:
    """KS, by its decision on DAY, hands control 1 of its adopted plan over to `owner` from HANDED."""
    beslut = decide(app, "ks", DAY, "Ny kontrollägare", number=23)
    send(app, "hand_over_control", "ks", plan_id=plan, control=1, owner=owner, beslut_id=beslut,
         handed_over_on=HANDED)  # fmt: skip


def adopted_plan_with_control(app: Governance, owner: str) -> UUID:
    plan = plan_with_control(app, owner)
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", DAY, "Plan 2027"))
    return plan


@pytest.mark.parametrize(
    ("gone", "recorded"),
    [(GONE, False), (HANDED - timedelta(days=1), False), (HANDED, True), (date(2027, 12, 31), True)],
)
def test_a_position_that_handed_its_control_over_is_discontinued_from_the_hand_over_day(
    app: Governance, gone: date, recorded: bool
) -> None:
    """The medarbetare's control, handed to the sector from HANDED, keeps it on every day before:
    refused naming the control and its last day as owner; from HANDED on, within the plan's year,
    discontinued."""
    plan = adopted_plan_with_control(app, MEDARBETARE)
    hand_control(app, plan, SECTOR)

    owing = discontinued_or_refused(app, gone, recorded=recorded, rule="agda_kontroller")
    if not recorded:
        control = "internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll'"
        assert f"{plan} ({control}, ägare till och med 2027-08-31)" in owing


@pytest.mark.parametrize(
    ("gone", "recorded"),
    [(GONE, False), (HANDED, False), (date(2027, 12, 31), False), (date(2028, 1, 1), True)],
)
def test_a_position_a_control_is_handed_to_is_kept_by_it_as_its_owner_was(
    app: Governance, gone: date, recorded: bool
) -> None:
    """The sector's control, handed to the medarbetare from HANDED, keeps the medarbetare from any day
    of the plan's year, before the hand-over too (it would own it from HANDED): refused naming its
    first day as owner when later; from the day after the year, discontinued."""
    plan = adopted_plan_with_control(app, SECTOR)
    hand_control(app, plan, MEDARBETARE)

    owing = discontinued_or_refused(app, gone, recorded=recorded, rule="agda_kontroller")
    if not recorded:
        first = f", ägare från {HANDED.isoformat()}" if gone < HANDED else ""
        assert f"{plan} (internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll'{first})" in owing
