"""Rules that need the styrkedja, checked through the Governance application in memory."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import (
    CHEF,
    COMMAND_OF,
    DAY,
    MEDARBETARE,
    PROCUREMENT,
    SECTOR,
    YEAR_START,
    World,
    appoint,
    governance,
    issue_to_director,
    refused,
    revoke_directors_delegering,
    seed,
    send,
)

from lerum_flow.application import Governance
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound, NotPermitted, Refusal
from lerum_flow.domain.internkontroll import internkontrollplan_id
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import UppdragStatus


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def ks_uppdrag_to_director(app: Governance, world: World, *, accept: bool = True) -> UUID:
    uppdrag = issue_to_director(app, world, title="Verksamhetsplan 2027").id
    if accept:
        send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
    return uppdrag


def delegated_decision(app: Governance, world: World, *, by: str = "kommundirektor", on: date = DAY) -> UUID:
    delegering = world.delegering if by == "kommundirektor" else world.vidaredelegering
    return send(
        app,
        "take_beslut",
        by,
        decided_by=by,
        kind="ovrigt",
        diarienummer=f"KS 2027/{by}",
        title="Avtal om städning",
        decided_on=on,
        delegering_id=delegering,
    ).id


# --- revisorer ------------------------------------------------------------------


def revisor_commands(world: World) -> dict[str, dict[str, Any]]:
    """One otherwise plausible command of every kind, each sent as the revisorer."""
    on_uppdrag = {"uppdrag_id": world.kf_uppdrag_to_ks, "on": DAY}
    on_avvikelse = {"avvikelse_id": world.avvikelse, "on": DAY}
    on_plan = {"plan_id": internkontrollplan_id("ks", 2027)}
    return {
        "establish_befattning": {
            "code": "rev-chef",
            "name": "Chef",
            "kind": "chef",
            "parent": SECTOR,
            "established_on": DAY,
        },
        "discontinue_befattning": {"code": MEDARBETARE, "reason": "R", "discontinued_on": DAY},
        "take_beslut": {
            "decided_by": "revisorer",
            "kind": "ovrigt",
            "diarienummer": "R 1",
            "paragraf": "§ 1",
            "title": "Granskning",
            "decided_on": DAY,
        },
        "correct_beslut": {
            "beslut_id": world.budget,
            "diarienummer": "KF 1",
            "title": "B",
            "reason": "R",
            "corrected_on": DAY,
        },
        "report_beslut": {"beslut_id": world.director_delegationsordning, "reported_on": DAY},
        "grant_delegering": {
            "delegates": ["kommundirektor"],
            "matter": "personal",
            "beslut_id": world.delegationsordning,
            "valid_from": DAY,
        },
        "revoke_delegering": {"delegering_id": world.delegering, "reason": "R", "valid_from": DAY},
        "issue_uppdrag": {
            "recipient": "ks",
            "title": "Svara",
            "origin_beslut_id": world.budget,
            "issued_on": DAY,
        },
        "accept_uppdrag": on_uppdrag,
        "report_uppdrag": {**on_uppdrag, "assessment": "uppfyllt", "text": "T"},
        "accept_report": on_uppdrag,
        "return_report": {**on_uppdrag, "reason": "R"},
        "revise_uppdrag": {**on_uppdrag, "title": "Ny", "reason": "R"},
        "complete_uppdrag": on_uppdrag,
        "withdraw_uppdrag": {**on_uppdrag, "reason": "R"},
        "report_avvikelse": {
            "subject_kind": "handelse",
            "subject_ref": "x",
            "severity": "avvikelse",
            "category": "ekonomi",
            "description": "Brister",
            "occurred_on": DAY,
        },
        "assess_avvikelse": {**on_avvikelse, "severity": "storre", "reason": "R"},
        "acknowledge_avvikelse": on_avvikelse,
        "escalate_avvikelse": on_avvikelse,
        "decide_action": {**on_avvikelse, "action": "A"},
        "close_avvikelse": {**on_avvikelse, "resolution": "L"},
        "open_internkontrollplan": {"organ": "ks", "year": 2027, "opened_on": DAY},
        "identify_risk": {**on_plan, "title": "R", "probability": 1, "consequence": 1, "on": DAY},
        "plan_control": {
            **on_plan,
            "risk": 1,
            "title": "K",
            "owner": SECTOR,
            "method": "M",
            "frequency": "ar",
            "on": DAY,
        },
        "adopt_internkontrollplan": {**on_plan, "beslut_id": world.budget},
        "hand_over_control": {
            **on_plan,
            "control": 1,
            "owner": SECTOR,
            "beslut_id": world.budget,
            "handed_over_on": DAY,
        },
        "record_kontrollresultat": {
            **on_plan,
            "control": 1,
            "outcome": "utan_anmarkning",
            "performed_on": DAY,
        },
        "report_internkontroll": {**on_plan, "period": "delar", "summary": "S", "reported_on": DAY},
        "assess_internkontroll": {
            "year": 2026,
            "assessment": "uppfyllt",
            "text": "T",
            "beslut_id": world.budget,
        },
        "adopt_styrdokument": {
            "beslut_id": world.budget,
            "document_type": "budget",
            "title": "Budget",
            "owner": "ks",
        },
        "revise_styrdokument": {"styrdokument_id": world.budget, "beslut_id": world.budget, "reason": "R"},
        "review_styrdokument": {"styrdokument_id": world.budget, "beslut_id": world.budget},
        "repeal_styrdokument": {"styrdokument_id": world.budget, "beslut_id": world.budget},
        "introduce_register": {"appointee": "p-rev", "valid_from": DAY},
        "record_rapportutkast": {
            "report": "arsredovisning",
            "title": "Årsredovisning",
            "digest": "a" * 64,
            "log_position": 1,
            "as_of": DAY,
            "made_on": DAY,
        },
        "appoint": {"position": "revisorer", "appointee": "p-rev", "valid_from": DAY, "decided_on": DAY},
        "end_forordnande": {
            "position": "revisorer",
            "appointee": "p-revisorer",
            "valid_until": DAY,
            "reason": "R",
            "decided_on": DAY,
        },
    }


@pytest.mark.parametrize("method", sorted(COMMAND_OF))
def test_revisorer_cannot_record_anything(app: Governance, world: World, method: str) -> None:
    """The auditors review everything and decide nothing, whatever the command."""
    refusal = refused(app, method, "revisorer", **revisor_commands(world)[method])
    assert refusal.rule == "revisorer_laser"


# --- uppdrag through the chain -------------------------------------------------------


def test_an_uppdrag_goes_down_the_chain_from_kf_to_ks(app: Governance, world: World) -> None:
    """KF's budget uppdrag to KS was recorded and accepted."""
    uppdrag = app.get_record(world.kf_uppdrag_to_ks)
    assert isinstance(uppdrag, Uppdrag)
    assert (uppdrag.giver, uppdrag.recipient, uppdrag.status) == ("kf", "ks", UppdragStatus.ACCEPTED)


@pytest.mark.parametrize(
    ("giver", "recipient"),
    [("ks", "kf"), (SECTOR, "kommundirektor"), (SECTOR, "internt-stod"), (CHEF, SECTOR)],
)
def test_an_uppdrag_giver_must_be_above_the_recipient(
    app: Governance, world: World, giver: str, recipient: str
) -> None:
    """Upwards or sideways is refused."""
    refusal = refused(
        app,
        "issue_uppdrag",
        giver,
        recipient=recipient,
        title="T",
        origin_beslut_id=world.budget,
        issued_on=DAY,
    )
    assert refusal.rule == "givare_over_mottagare"


def test_an_uppdrag_to_an_unknown_position_is_refused(app: Governance, world: World) -> None:
    """The recipient must exist in the styrkedja."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "ks",
        recipient="ks-ordf",
        title="T",
        origin_beslut_id=world.budget,
        issued_on=DAY,
    )
    assert (refusal.rule, refusal.field) == ("okand_befattning", "to")


def test_a_root_uppdrag_without_a_decision_is_refused(app: Governance, world: World) -> None:
    """Every uppdrag traces back to a political decision."""
    refusal = refused(app, "issue_uppdrag", "ks", recipient="kommundirektor", title="T", issued_on=DAY)
    assert refusal.rule == "sparbarhet"


def test_a_root_uppdrag_cannot_trace_to_a_delegated_decision(app: Governance, world: World) -> None:
    """A delegate's decision is not a political organ's."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "kommundirektor",
        recipient=SECTOR,
        title="T",
        origin_beslut_id=world.director_delegationsordning,
        issued_on=DAY,
    )
    assert refusal.rule == "sparbarhet"


def test_a_root_uppdrag_cannot_trace_to_a_decision_of_an_organ_below_the_giver(
    app: Governance, world: World
) -> None:
    """KF cannot cite KS's decision as the origin of its uppdrag."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title="T",
        origin_beslut_id=world.delegationsordning,
        issued_on=DAY,
    )
    assert refusal.rule == "sparbarhet"


def test_a_root_uppdrag_may_trace_to_a_decision_of_an_organ_above_the_giver(
    app: Governance, world: World
) -> None:
    """The director may cite KF's budget directly."""
    outcome = send(
        app,
        "issue_uppdrag",
        "kommundirektor",
        recipient=SECTOR,
        title="Spara",
        origin_beslut_id=world.budget,
        issued_on=DAY,
    )
    assert outcome.recorded


def test_a_root_uppdrag_with_an_unknown_decision_is_refused(app: Governance, world: World) -> None:
    """The origin must exist."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title="T",
        origin_beslut_id=world.avvikelse,
        issued_on=DAY,
    )
    assert isinstance(refusal, NotFound)


def test_a_sub_uppdrag_inherits_the_parents_political_origin(app: Governance, world: World) -> None:
    """Breaking an uppdrag down keeps the trace to KF's budget."""
    uppdrag = app.get_record(ks_uppdrag_to_director(app, world))
    assert isinstance(uppdrag, Uppdrag)
    assert (uppdrag.origin_beslut_id, uppdrag.parent_id) == (world.budget, world.kf_uppdrag_to_ks)


def test_a_sub_uppdrag_is_given_only_by_the_parents_recipient(app: Governance, world: World) -> None:
    """Only the one who received an uppdrag breaks it down."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "kommundirektor",
        recipient=SECTOR,
        title="T",
        parent_id=world.kf_uppdrag_to_ks,
        issued_on=DAY,
    )
    assert refusal.rule == "nedbrytning_av_mottagaren"


def test_a_sub_uppdrag_is_refused_while_the_parent_is_not_accepted(app: Governance, world: World) -> None:
    """An uppdrag not yet taken on cannot be broken down."""
    parent = ks_uppdrag_to_director(app, world, accept=False)
    refusal = refused(
        app, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="T", parent_id=parent, issued_on=DAY
    )
    assert refusal.rule == "uppdragets_status"


def test_a_sub_uppdrag_is_refused_once_the_parent_is_withdrawn(app: Governance, world: World) -> None:
    """A withdrawn uppdrag has nothing left to break down."""
    parent = ks_uppdrag_to_director(app, world)
    send(app, "withdraw_uppdrag", "ks", uppdrag_id=parent, on=DAY, reason="Inaktuellt")
    refusal = refused(
        app, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="T", parent_id=parent, issued_on=DAY
    )
    assert refusal.rule == "uppdragets_status"


def test_a_sub_uppdrag_cannot_claim_another_political_origin(app: Governance, world: World) -> None:
    """The trace of a sub-uppdrag is its parent's."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title="T",
        parent_id=world.kf_uppdrag_to_ks,
        origin_beslut_id=world.delegationsordning,
        issued_on=DAY,
    )
    assert refusal.rule == "sparbarhet"


def test_a_mal_is_given_by_a_political_organ(app: Governance, world: World) -> None:
    """KF sets a goal for KS."""
    outcome = send(
        app,
        "issue_uppdrag",
        "kf",
        kind="mal",
        recipient="ks",
        title="Nöjdare medborgare",
        origin_beslut_id=world.budget,
        issued_on=date(2026, 6, 16),
    )
    assert outcome.recorded


def test_a_mal_from_an_official_is_refused(app: Governance, world: World) -> None:
    """Officials give uppdrag, not goals."""
    refusal = refused(
        app,
        "issue_uppdrag",
        "kommundirektor",
        kind="mal",
        recipient=SECTOR,
        title="Mål",
        origin_beslut_id=world.budget,
        issued_on=DAY,
    )
    assert refusal.rule == "mal_fran_politiskt_organ"


def test_an_uppdrag_reaches_a_medarbetare_through_the_whole_chain(app: Governance, world: World) -> None:
    """KF → KS → director → sektorschef → chef → medarbetare, each level breaking down its own."""
    parent = ks_uppdrag_to_director(app, world)
    for giver, recipient in (("kommundirektor", SECTOR), (SECTOR, CHEF), (CHEF, MEDARBETARE)):
        parent = send(
            app,
            "issue_uppdrag",
            giver,
            recipient=recipient,
            title=f"Del för {recipient}",
            parent_id=parent,
            issued_on=DAY,
        ).id
        send(app, "accept_uppdrag", recipient, uppdrag_id=parent, on=DAY)
    uppdrag = app.get_record(parent)
    assert isinstance(uppdrag, Uppdrag)
    assert (uppdrag.recipient, uppdrag.origin_beslut_id) == (MEDARBETARE, world.budget)


def test_an_assessment_outside_the_styrmodells_scale_is_refused(app: Governance, world: World) -> None:
    """Lerum's scale has uppfyllt, delvis and ej_uppfyllt; 'grön' is a colour, not an assessment."""
    uppdrag = ks_uppdrag_to_director(app, world)
    refusal = refused(
        app, "report_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY, assessment="grön", text="Bra"
    )
    assert refusal.rule == "bedomningsskala"


def test_revising_with_nothing_to_change_is_refused(app: Governance, world: World) -> None:
    """A revision names what changes."""
    uppdrag = ks_uppdrag_to_director(app, world)
    refusal = refused(app, "revise_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY, reason="Ingen")
    assert refusal.rule == "andring_kravs"


def test_revising_only_the_title_keeps_the_description(app: Governance, world: World) -> None:
    """A revision that does not mention the description must not record it as emptied."""
    uppdrag = send(
        app,
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title="Plan",
        description="Ta fram en plan för lokalförsörjning.",
        parent_id=world.kf_uppdrag_to_ks,
        issued_on=DAY,
    ).id
    send(app, "revise_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY, title="Lokalplan", reason="Tydligare titel")
    revised = app.events_of(uppdrag)[-1]
    assert isinstance(revised, Uppdrag.Revised)
    assert revised.description == "Ta fram en plan för lokalförsörjning."


def test_revising_the_due_date_to_before_the_issue_date_is_refused(app: Governance, world: World) -> None:
    """The rule 'due not before the issue date' holds for revisions as well as for issue."""
    uppdrag = ks_uppdrag_to_director(app, world)
    refusal = refused(
        app, "revise_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY, due=date(2027, 2, 1), reason="Brådskar"
    )
    assert refusal.field == "due"


def test_a_report_on_an_uppdrag_is_refused_from_anyone_but_the_recipient(
    app: Governance, world: World
) -> None:
    """KF cannot report on KS's behalf."""
    refusal = refused(
        app,
        "report_uppdrag",
        "kf",
        uppdrag_id=world.kf_uppdrag_to_ks,
        on=DAY,
        assessment="uppfyllt",
        text="Klart",
    )
    assert isinstance(refusal, NotPermitted)


def test_the_full_uppdrag_cycle_ends_completed(app: Governance, world: World) -> None:
    """Accept, report, return, report again, accept the report, complete."""
    uppdrag = ks_uppdrag_to_director(app, world)
    send(
        app,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="delvis",
        text="Halvvägs",
    )
    send(app, "return_report", "ks", uppdrag_id=uppdrag, on=DAY, reason="Saknar siffror")
    send(
        app,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="uppfyllt",
        text="Klart",
    )
    send(app, "accept_report", "ks", uppdrag_id=uppdrag, on=DAY)
    send(app, "complete_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY)
    record = app.get_record(uppdrag)
    assert isinstance(record, Uppdrag)
    assert record.status is UppdragStatus.COMPLETED


# --- befattningar ---------------------------------------------------------------------


def test_a_chef_is_established_under_a_sektorschef(app: Governance, world: World) -> None:
    """The seeded chef sits under lärande."""
    assert app.position(CHEF).parent == SECTOR


def test_a_medarbetare_is_established_under_a_chef(app: Governance, world: World) -> None:
    """The seeded medarbetare sits under the chef, and the chain above it reaches KF."""
    assert [p.id for p in app.ancestors(MEDARBETARE)] == [CHEF, SECTOR, "kommundirektor", "ks", "kf"]


def test_a_chef_under_ks_is_refused(app: Governance, world: World) -> None:
    """Managers are placed under officials, not directly under the board."""
    refusal = refused(
        app,
        "establish_befattning",
        "ks",
        code="chef-x",
        name="Chef",
        kind="chef",
        parent="ks",
        established_on=DAY,
    )
    assert refusal.rule == "placering_i_styrkedjan"


def test_a_position_is_established_only_from_above(app: Governance, world: World) -> None:
    """Another sector cannot add a chef under lärande."""
    refusal = refused(
        app,
        "establish_befattning",
        "internt-stod",
        code="chef-y",
        name="Chef",
        kind="chef",
        parent=SECTOR,
        established_on=DAY,
    )
    assert refusal.rule == "organisation_ovanifran"


def test_a_position_of_the_styrmodell_cannot_be_established_again(app: Governance, world: World) -> None:
    """The fixed chain comes from the styrmodell only."""
    refusal = refused(
        app,
        "establish_befattning",
        "ks",
        code="kommundirektor",
        name="KD",
        kind="chef",
        parent="kommundirektor",
        established_on=DAY,
    )
    assert refusal.rule == "befattning_finns"


@pytest.mark.parametrize("kind", ["sektorschef", "styrelse", "general"])
def test_only_chef_and_medarbetare_kinds_are_established(app: Governance, world: World, kind: str) -> None:
    """Other kinds belong to the styrmodell, unknown kinds to nobody."""
    refusal = refused(
        app,
        "establish_befattning",
        "kommundirektor",
        code="ny",
        name="Ny",
        kind=kind,
        parent="kommundirektor",
        established_on=DAY,
    )
    assert refusal.rule == "inrattningsbart_slag"


# --- beslut ---------------------------------------------------------------------------


def test_a_beslut_is_recorded_only_in_the_deciding_organs_name(app: Governance, world: World) -> None:
    """KS cannot record a decision as KF's."""
    refusal = refused(
        app,
        "take_beslut",
        "ks",
        decided_by="kf",
        kind="budget",
        diarienummer="KF 9",
        paragraf="§ 9",
        title="Budget",
        decided_on=DAY,
    )
    assert refusal.rule == "registreras_for_beslutsfattaren"


def test_a_document_is_adopted_only_by_the_organ_kind_the_styrmodell_names(
    app: Governance, world: World
) -> None:
    """The budget is KF's; KS cannot adopt it."""
    refusal = refused(
        app,
        "take_beslut",
        "ks",
        decided_by="ks",
        kind="budget",
        diarienummer="KS 9",
        paragraf="§ 9",
        title="Budget",
        decided_on=DAY,
    )
    assert refusal.rule == "antas_av"


def test_ks_may_adopt_a_riktlinje_recorded_as_an_ovrigt_beslut(app: Governance, world: World) -> None:
    """Lerum's styrmodell lets KS adopt riktlinjer and policys (beslutsslag 'ovrigt')."""
    outcome = send(
        app,
        "take_beslut",
        "ks",
        decided_by="ks",
        kind="ovrigt",
        diarienummer="KS 2027/50",
        paragraf="§ 30",
        title="Riktlinje för representation",
        decided_on=DAY,
    )
    assert outcome.recorded


def test_an_official_decides_only_under_delegation(app: Governance, world: World) -> None:
    """Without a delegering the director has no decision of its own to record."""
    refusal = refused(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/9",
        paragraf="§ 1",
        title="Avtal",
        decided_on=DAY,
    )
    assert refusal.rule == "organ_eller_delegat"


# --- delegering and anmälan -------------------------------------------------------------


def test_a_delegated_decision_is_reported_to_the_delegating_organ(app: Governance, world: World) -> None:
    """The director's decision under KS's delegering awaits KS's anmälan."""
    beslut = app.get_record(delegated_decision(app, world))
    assert isinstance(beslut, Beslut)
    assert (beslut.report_to, beslut.awaits_report, beslut.matter) == ("ks", True, PROCUREMENT)


def test_a_subdelegated_decision_is_reported_to_the_organ_at_the_top_of_the_chain(
    app: Governance, world: World
) -> None:
    """Under vidaredelegation the anmälan still goes to KS, not to the director."""
    beslut_id = delegated_decision(app, world, by=SECTOR)
    refusal = refused(app, "report_beslut", "kommundirektor", beslut_id=beslut_id, reported_on=DAY)
    assert refusal.rule == "anmals_till_delegerande_organ"
    assert send(app, "report_beslut", "ks", beslut_id=beslut_id, reported_on=DAY).recorded


def test_reporting_a_delegated_decision_closes_the_obligation(app: Governance, world: World) -> None:
    """Once anmäld, the decision no longer awaits a report."""
    beslut_id = delegated_decision(app, world)
    send(app, "report_beslut", "ks", beslut_id=beslut_id, minutes_paragraf="§ 44", reported_on=DAY)
    beslut = app.get_record(beslut_id)
    assert isinstance(beslut, Beslut)
    assert not beslut.awaits_report


def test_a_delegated_decision_is_not_reported_twice(app: Governance, world: World) -> None:
    """A second anmälan (a different command) is refused."""
    beslut_id = delegated_decision(app, world)
    send(app, "report_beslut", "ks", beslut_id=beslut_id, minutes_paragraf="§ 44", reported_on=DAY)
    refusal = refused(
        app, "report_beslut", "ks", beslut_id=beslut_id, minutes_paragraf="§ 45", reported_on=DAY
    )
    assert refusal.rule == "redan_anmalt"


def test_a_delegated_decision_before_the_delegering_took_effect_is_refused(
    app: Governance, world: World
) -> None:
    """The delegering was not in force yet."""
    refusal = refused(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2026/1",
        title="Tidigt",
        decided_on=date(2026, 12, 31),
        delegering_id=world.delegering,
    )
    assert refusal.rule == "delegering_i_kraft"


def test_a_delegated_decision_after_revocation_is_refused(app: Governance, world: World) -> None:
    """From the revocation's day the delegate can no longer decide."""
    revoke_directors_delegering(app, world, date(2027, 6, 1))
    refusal = refused(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/99",
        title="Sent",
        decided_on=date(2027, 6, 1),
        delegering_id=world.delegering,
    )
    assert refusal.rule == "delegering_i_kraft"


def test_a_decision_dated_before_the_revocation_is_still_valid(app: Governance, world: World) -> None:
    """Revocation does not reach back."""
    revoke_directors_delegering(app, world, date(2027, 6, 1))
    assert delegated_decision(app, world, on=date(2027, 5, 31))


def test_only_the_delegate_decides_under_a_delegering(app: Governance, world: World) -> None:
    """The sektorschef cannot use the director's delegering."""
    refusal = refused(
        app,
        "take_beslut",
        SECTOR,
        decided_by=SECTOR,
        kind="ovrigt",
        diarienummer="KS 2027/5",
        title="Avtal",
        decided_on=DAY,
        delegering_id=world.delegering,
    )
    assert refusal.rule == "delegat"


def test_a_delegated_decision_outside_the_delegated_matter_is_refused(app: Governance, world: World) -> None:
    """A procurement delegering does not cover personnel."""
    refusal = refused(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/6",
        title="Anställning",
        decided_on=DAY,
        matter="personal",
        delegering_id=world.delegering,
    )
    assert refusal.rule == "delegeringens_omrade"


def test_only_the_grantor_revokes_a_delegering(app: Governance, world: World) -> None:
    """The director cannot revoke what KS granted."""
    refusal = refused(
        app,
        "revoke_delegering",
        "kommundirektor",
        delegering_id=world.delegering,
        reason="Nej",
        valid_from=DAY,
    )
    assert refusal.rule == "endast_delegerande_aterkallar"


def test_a_delegering_is_not_revoked_twice(app: Governance, world: World) -> None:
    """The second revocation, a different command, is refused."""
    revoke_directors_delegering(app, world, DAY)
    refusal = refused(
        app,
        "revoke_delegering",
        "ks",
        delegering_id=world.delegering,
        reason="Igen",
        valid_from=date(2027, 4, 1),
    )
    assert refusal.rule == "redan_aterkallad"


def test_a_revocation_before_the_first_day_is_refused(app: Governance, world: World) -> None:
    """A delegering cannot end before it began."""
    refusal = refused(
        app,
        "revoke_delegering",
        "ks",
        delegering_id=world.delegering,
        reason="Ny ordning",
        valid_from=date(2026, 12, 1),
    )
    assert refusal.rule == "datumordning"


def test_the_delegering_in_force_is_found_per_date(app: Governance, world: World) -> None:
    """Before, during and after: the record answers who held procurement on a date."""
    revoke_directors_delegering(app, world, date(2027, 9, 1))
    delegering = app.get_record(world.delegering)
    assert isinstance(delegering, Delegering)
    days = (date(2026, 12, 31), YEAR_START, date(2027, 8, 31), date(2027, 9, 1))
    assert [delegering.in_force_on(d) for d in days] == [False, True, True, False]


def _grant(app: Governance, world: World, grantor: str = "ks", **fields: Any) -> Refusal:
    beslut_id = world.delegationsordning if grantor == "ks" else fields.pop("beslut_id")
    fields.setdefault("delegates", ["kommundirektor"])
    fields.setdefault("matter", "personal")
    return refused(app, "grant_delegering", grantor, beslut_id=beslut_id, valid_from=DAY, **fields)


def test_a_delegation_to_several_jointly_is_refused(app: Governance, world: World) -> None:
    """Never jointly to several officials."""
    assert _grant(app, world, delegates=["kommundirektor", SECTOR]).rule == "aldrig_gemensam_delegering"


def test_a_delegation_to_an_official_and_a_politician_jointly_is_refused(
    app: Governance, world: World
) -> None:
    """Never to officials and politicians together."""
    assert (
        _grant(app, world, delegates=["kommundirektor", "ks-ordforande"]).rule == "aldrig_gemensam_delegering"
    )


@pytest.mark.parametrize(
    ("grantor", "matter", "rule"),
    [
        ("kf", "vilja_och_mal", "forbehallet_fullmaktige"),
        ("kf", "budget", "forbehallet_fullmaktige"),
        ("kf", "reglemente", "forbehallet_fullmaktige"),
        ("kf", "ansvarsfrihet", "forbehallet_fullmaktige"),
        ("ks", "verksamhetsplan", "ej_delegerbart"),
        ("ks", "kvalitetskrav", "ej_delegerbart"),
        ("ks", "yttrande_till_kf", "ej_delegerbart"),
        ("ks", "principiell_myndighetsutovning", "ej_delegerbart"),
    ],
)
def test_a_never_delegable_matter_is_refused(
    app: Governance, world: World, grantor: str, matter: str, rule: str
) -> None:
    """Each of Lerum's areas reserved to KF (KL 5 kap. 1 §) or in a never-delegable category
    (KL 6 kap. 38 §) stays with its organ."""
    fields: dict[str, Any] = {
        "matter": matter,
        "delegates": ["ks"] if grantor == "kf" else ["kommundirektor"],
    }
    if grantor == "kf":
        fields["beslut_id"] = send(
            app,
            "take_beslut",
            "kf",
            decided_by="kf",
            kind="reglemente",
            diarienummer="KF 2026/7",
            paragraf="§ 7",
            title="Reglemente för KS",
            decided_on=DAY,
        ).id
    assert _grant(app, world, grantor, **fields).rule == rule


def test_an_urgent_matter_is_delegated_to_the_chair(app: Governance, world: World) -> None:
    """KS's chair may decide urgent matters."""
    outcome = send(
        app,
        "grant_delegering",
        "ks",
        delegates=["ks-ordforande"],
        matter="personal",
        urgent=True,
        beslut_id=world.delegationsordning,
        valid_from=DAY,
    )
    assert outcome.recorded


def test_an_urgent_matter_delegated_to_anyone_but_the_chair_is_refused(app: Governance, world: World) -> None:
    """Urgent delegation to the director is refused."""
    assert _grant(app, world, urgent=True).rule == "bradskande_endast_ordforande"


def test_a_matter_reserved_to_kf_cannot_be_delegated_by_ks(app: Governance, world: World) -> None:
    """KS cannot delegate KF's ansvarsprövning: it is KF's alone, and never delegable."""
    assert _grant(app, world, matter="ansvarsfrihet").rule == "forbehallet_fullmaktige"


def test_a_delegate_outside_the_grantors_line_is_refused(app: Governance, world: World) -> None:
    """KS cannot delegate to KF's chair."""
    assert _grant(app, world, delegates=["kf-ordforande"]).rule == "delegat_under_delegerande"


def test_a_delegation_must_rest_on_the_grantors_delegationsordning(app: Governance, world: World) -> None:
    """KF's budget is not KS's delegationsordning."""
    refusal = refused(
        app,
        "grant_delegering",
        "ks",
        delegates=["kommundirektor"],
        matter="personal",
        beslut_id=world.budget,
        valid_from=DAY,
    )
    assert refusal.rule == "delegationsbeslut"


def test_subdelegation_by_a_sektorschef_is_refused(app: Governance, world: World) -> None:
    """Only a förvaltningschef delegates further: a sektorschef cannot even take the
    delegationsordning a vidaredelegation would rest on (KL 7 kap. 6 §)."""
    refusal = refused(
        app,
        "take_beslut",
        SECTOR,
        decided_by=SECTOR,
        kind="delegationsordning",
        diarienummer="KS 2027/L1",
        title="Vidare",
        decided_on=DAY,
        delegering_id=world.vidaredelegering,
    )
    assert refusal.rule == "endast_organ"
    assert "förvaltningschef" in refusal.message


def test_subdelegation_of_a_matter_not_received_is_refused(app: Governance, world: World) -> None:
    """The director cannot pass on personnel matters it was never given."""
    refusal = _grant(
        app,
        world,
        "kommundirektor",
        beslut_id=world.director_delegationsordning,
        delegates=[SECTOR],
        matter="personal",
        parent_delegering_id=world.delegering,
    )
    assert refusal.rule == "kan_bara_delegera_egen_beslutanderatt"


def test_subdelegation_under_a_revoked_delegering_is_refused(app: Governance, world: World) -> None:
    """Nothing can be passed on from a delegering no longer in force."""
    revoke_directors_delegering(app, world, date(2027, 2, 1))
    refusal = _grant(
        app,
        world,
        "kommundirektor",
        beslut_id=world.director_delegationsordning,
        delegates=["internt-stod"],
        matter=PROCUREMENT,
        parent_delegering_id=world.delegering,
    )
    assert refusal.rule == "kan_bara_delegera_egen_beslutanderatt"


# --- avvikelse --------------------------------------------------------------------------


def test_a_deviation_goes_first_to_the_reporters_superior(app: Governance, world: World) -> None:
    """The sektorschef's deviation lands with the director."""
    assert app.get_record(world.avvikelse).level == "kommundirektor"  # type: ignore[attr-defined]


def test_a_major_deviation_goes_straight_to_ks(app: Governance, world: World) -> None:
    """Lerum's 'större avvikelse' skips to the board."""
    outcome = send(
        app,
        "report_avvikelse",
        CHEF,
        subject_kind="handelse",
        subject_ref="brand",
        severity="storre",
        category="sakerhet",
        description="Brand i förskolan.",
        occurred_on=DAY,
    )
    assert app.get_record(outcome.id).level == "ks"  # type: ignore[attr-defined]


def test_only_the_holding_level_acknowledges_in_the_application(app: Governance, world: World) -> None:
    """KS cannot acknowledge what lies with the director."""
    refusal = refused(app, "acknowledge_avvikelse", "ks", avvikelse_id=world.avvikelse, on=DAY)
    assert refusal.rule == "nivan_som_har_avvikelsen"


def test_a_second_acknowledgement_names_who_acknowledged_first(app: Governance, world: World) -> None:
    """Another person at the same level learns who already has it."""
    for person in ("p-karin", "p-lars"):
        appoint(app, "kommundirektor", person, role="tillforordnad")
    send(
        app, "acknowledge_avvikelse", "kommundirektor", person="p-karin", avvikelse_id=world.avvikelse, on=DAY
    )
    refusal = refused(
        app, "acknowledge_avvikelse", "kommundirektor", person="p-lars", avvikelse_id=world.avvikelse, on=DAY
    )
    assert refusal.rule == "redan_kvitterad"
    assert "p-karin" in refusal.message


def test_escalation_skipping_a_level_without_a_reason_is_refused(app: Governance, world: World) -> None:
    """Going from the director straight to KF passes KS by."""
    refusal = refused(
        app, "escalate_avvikelse", "kommundirektor", avvikelse_id=world.avvikelse, on=DAY, to_level="kf"
    )
    assert refusal.rule == "overhoppad_niva_kraver_skal"


def test_escalation_skipping_a_level_with_a_reason_is_recorded_with_the_skipped_level(
    app: Governance, world: World
) -> None:
    """The skipped level is kept in the event."""
    send(
        app,
        "escalate_avvikelse",
        "kommundirektor",
        avvikelse_id=world.avvikelse,
        on=DAY,
        to_level="kf",
        reason="Påverkar budgeten",
    )
    escalated = app.events_of(world.avvikelse)[-1]
    assert (escalated.to_level, escalated.skipped) == ("kf", ["ks"])  # type: ignore[attr-defined]


def test_escalation_downwards_or_sideways_is_refused(app: Governance, world: World) -> None:
    """A deviation only moves up."""
    refusal = refused(
        app,
        "escalate_avvikelse",
        "kommundirektor",
        avvikelse_id=world.avvikelse,
        on=DAY,
        to_level=SECTOR,
        reason="Tillbaka",
    )
    assert refusal.rule == "eskalera_uppat"


def test_escalation_beyond_kf_is_refused(app: Governance, world: World) -> None:
    """KF is the top of the chain."""
    send(
        app,
        "escalate_avvikelse",
        "kommundirektor",
        avvikelse_id=world.avvikelse,
        on=DAY,
        to_level="kf",
        reason="Påverkar budgeten",
    )
    refusal = refused(app, "escalate_avvikelse", "kf", avvikelse_id=world.avvikelse, on=DAY)
    assert refusal.rule == "hogsta_niva"


def test_a_closed_deviation_refuses_further_commands_in_the_application(
    app: Governance, world: World
) -> None:
    """After closing, even the holder cannot reopen it by acknowledging."""
    appoint(app, "kommundirektor", "p-ny", role="tillforordnad")
    send(app, "acknowledge_avvikelse", "kommundirektor", avvikelse_id=world.avvikelse, on=DAY)
    send(app, "close_avvikelse", "kommundirektor", avvikelse_id=world.avvikelse, on=DAY, resolution="Löst")
    for method, extra in (
        ("acknowledge_avvikelse", {}),
        ("escalate_avvikelse", {}),
        ("decide_action", {"action": "Mer"}),
        ("close_avvikelse", {"resolution": "Igen"}),
        ("assess_avvikelse", {"severity": "storre", "reason": "Värre"}),
    ):
        # Another person than before, so no command repeats an earlier one (that would be a retry).
        refusal = refused(
            app, method, "kommundirektor", person="p-ny", avvikelse_id=world.avvikelse, on=DAY, **extra
        )
        assert isinstance(refusal, InvalidState)


def test_a_deviation_about_an_uppdrag_must_name_an_existing_uppdrag(app: Governance, world: World) -> None:
    """The reference is an uppdrag's id."""
    refusal = refused(
        app,
        "report_avvikelse",
        SECTOR,
        subject_kind="uppdrag",
        subject_ref="inte-ett-id",
        severity="avvikelse",
        category="ekonomi",
        description="x",
        occurred_on=DAY,
    )
    assert isinstance(refusal, InvalidInput)
    refusal = refused(
        app,
        "report_avvikelse",
        SECTOR,
        subject_kind="uppdrag",
        subject_ref=str(world.budget),
        severity="avvikelse",
        category="ekonomi",
        description="x",
        occurred_on=DAY,
    )
    assert isinstance(refusal, NotFound)


@pytest.mark.parametrize(("field", "value"), [("severity", "katastrof"), ("category", "väder")])
def test_a_deviation_outside_the_styrmodells_codes_is_refused(
    app: Governance, world: World, field: str, value: str
) -> None:
    """Severity and category come from the styrmodell."""
    fields = {"severity": "avvikelse", "category": "ekonomi", field: value}
    refusal = refused(
        app,
        "report_avvikelse",
        SECTOR,
        subject_kind="handelse",
        subject_ref="x",
        description="x",
        occurred_on=DAY,
        **fields,
    )
    assert refusal.field == field
