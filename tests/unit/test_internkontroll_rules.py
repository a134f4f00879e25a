"""Internal control through the Governance application in memory: a plan's life, its invariants, a brist
opening one deviation, KS's assessment; and every refusal records nothing."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import SECTOR, YEAR_START, World, event_count, governance, refused, seed, send

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound, NotPermitted, Refusal
from lerum_flow.domain.internkontroll import Internkontrollplan, internkontrollplan_id
from lerum_flow.domain.kontrollperioder import controls_owed, period_ending_in
from lerum_flow.domain.values import Frekvens, InternkontrollplanStatus
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.styrmodell.internkontroll import internkontroll_year

YEAR = 2027
DRAFTED = date(2026, 11, 20)
ADOPTED = date(2027, 1, 20)
PERFORMED = date(2027, 3, 31)
PLAN = internkontrollplan_id("ks", YEAR)
OWNER_1, OWNER_2 = SECTOR, "internt-stod"


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def decide(app: Governance, organ: str, on: date, *, number: str = "1") -> UUID:
    return send(
        app,
        "take_beslut",
        organ,
        decided_by=organ,
        kind="ovrigt",
        diarienummer=f"{organ.upper()} {on.year}/{number}",
        paragraf=f"§ {number}",
        title="Internkontrollplan",
        decided_on=on,
    ).id


def on_delegation(app: Governance, world: World, on: date) -> UUID:
    """A decision the kommundirektör takes on `on` under KS's delegering: not KS's own."""
    return send(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer=f"KS {on.year}/77",
        title="Plan",
        decided_on=on,
        delegering_id=world.delegering,
    ).id


def drafted(app: Governance, *, chosen_without_control: bool = False) -> UUID:
    """KS's plan for 2027 by the kommundirektör: two chosen risks with a control each, one not chosen."""
    plan = send(app, "open_internkontrollplan", "kommundirektor", organ="ks", year=YEAR, opened_on=DRAFTED).id
    for title, probability, consequence, chosen in (
        ("Felaktiga utbetalningar", 3, 4, True),
        ("Jäv vid upphandling", 2, 4, True),
        ("Obehörig åtkomst", 1, 2, False),
    ):
        send(
            app,
            "identify_risk",
            "kommundirektor",
            plan_id=plan,
            title=title,
            probability=probability,
            consequence=consequence,
            chosen=chosen,
            on=DRAFTED,
        )
    controls = [(1, OWNER_1)] if chosen_without_control else [(1, OWNER_1), (2, OWNER_2)]
    for risk, owner in controls:
        send(app, "plan_control", "kommundirektor", **control(plan, risk=risk, owner=owner))
    return plan


def control(plan: UUID, *, risk: int, owner: str) -> dict[str, Any]:
    return {
        "plan_id": plan,
        "risk": risk,
        "title": f"Kontroll av risk {risk}",
        "owner": owner,
        "method": "Stickprov",
        "frequency": "kvartal",
        "on": DRAFTED,
    }


def adopted(app: Governance) -> UUID:
    plan = drafted(app)
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", ADOPTED))
    return plan


def brist(plan: UUID, **changes: Any) -> dict[str, Any]:
    return {
        "plan_id": plan,
        "control": 2,
        "outcome": "brist",
        "comment": "Två jävsdeklarationer saknas.",
        "action": "Påminn och följ upp.",
        "performed_on": PERFORMED,
        **changes,
    }


def plan_of(app: Governance) -> Internkontrollplan:
    plan = app.get_record(PLAN)
    assert isinstance(plan, Internkontrollplan)
    return plan


# --- a plan's life ----------------------------------------------------------------------


def test_a_plan_is_drafted_adopted_by_the_organs_decision_and_followed_through_the_year(
    app: Governance, world: World
) -> None:
    """Risks and controls are numbered as added; adoption dates from the decision; the year ends closed."""
    plan = adopted(app)
    send(app, "record_kontrollresultat", OWNER_1, plan_id=plan, control=1, outcome="utan_anmarkning",
         performed_on=PERFORMED)  # fmt: skip
    send(app, "report_internkontroll", "ks", plan_id=plan, period="delar", summary="Inga brister.",
         reported_on=date(2027, 10, 10))  # fmt: skip
    send(app, "report_internkontroll", "ks", plan_id=plan, period="helar", summary="Året utan brister.",
         reported_on=date(2028, 2, 10))  # fmt: skip

    found = plan_of(app)
    assert plan == PLAN
    assert found.risks == {1: True, 2: True, 3: False}
    assert {n: c.owner for n, c in found.controls.items()} == {1: OWNER_1, 2: OWNER_2}
    assert found.adopted_on == ADOPTED
    assert found.reported == {"delar": date(2027, 10, 10), "helar": date(2028, 2, 10)}
    assert found.status is InternkontrollplanStatus.CLOSED


def test_a_brist_opens_one_deviation_by_the_controls_owner_with_its_action(
    app: Governance, world: World
) -> None:
    """The deviation lands a level above the owner and the result names it; a retry opens no second one."""
    plan = adopted(app)
    before = event_count(app)
    outcome = send(app, "record_kontrollresultat", OWNER_2, **brist(plan))
    again = send(app, "record_kontrollresultat", OWNER_2, **brist(plan))

    assert outcome.recorded
    assert not again.recorded
    assert event_count(app) == before + 2  # the result and the deviation, once each
    [result] = [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ResultRecorded)]
    assert result.avvikelse_id is not None
    avvikelse = app.get_record(result.avvikelse_id)
    assert isinstance(avvikelse, Avvikelse)
    assert (avvikelse.reporter, avvikelse.level) == (OWNER_2, "kommundirektor")
    [reported] = app.events_of(result.avvikelse_id)
    assert isinstance(reported, Avvikelse.Reported)
    assert "Påminn och följ upp." in reported.description
    assert reported.effective_on == PERFORMED


def test_a_brist_retried_after_a_crash_between_the_two_saves_opens_its_deviation_then(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The result was saved, the deviation was not: the same command again records only the deviation."""
    plan = adopted(app)
    report = app.report_avvikelse

    def crash(cmd: Any) -> Any:
        raise ConnectionError("förbindelsen bröts")

    monkeypatch.setattr(app, "report_avvikelse", crash)
    with pytest.raises(ConnectionError):
        send(app, "record_kontrollresultat", OWNER_2, **brist(plan))
    monkeypatch.setattr(app, "report_avvikelse", report)
    after_crash = event_count(app)

    again = send(app, "record_kontrollresultat", OWNER_2, **brist(plan))

    assert not again.recorded
    assert event_count(app) == after_crash + 1
    [result] = [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ResultRecorded)]
    assert result.avvikelse_id is not None
    assert isinstance(app.get_record(result.avvikelse_id), Avvikelse)


def test_ks_assesses_the_whole_year_by_its_own_decision_once(app: Governance, world: World) -> None:
    """After the year, on the styrmodell's scale; a second, different assessment is refused."""
    beslut = decide(app, "ks", date(2028, 3, 20), number="9")
    fields = {"year": YEAR, "assessment": "delvis", "text": "En brist kvarstår.", "beslut_id": beslut}
    outcome = send(app, "assess_internkontroll", "ks", **fields)

    assert outcome.recorded
    refusal = refused(app, "assess_internkontroll", "ks", **{**fields, "assessment": "uppfyllt"})
    assert refusal.rule == "finns_redan"


def test_the_deadlines_of_a_year_come_from_the_styrmodell() -> None:
    """Lerum: the plan by 31 January, the delår with the delårsrapport, then 28 February and 31 March."""
    deadlines = internkontroll_year(default_styrmodell(), 2027)
    assert (deadlines.plan_by, deadlines.delar_from, deadlines.delar_by) == (
        date(2027, 1, 31),
        date(2027, 9, 1),
        date(2027, 10, 31),
    )
    assert (deadlines.helar_from, deadlines.helar_by, deadlines.assessment_by) == (
        date(2028, 1, 1),
        date(2028, 2, 28),
        date(2028, 3, 31),
    )


# --- refusals: each records nothing -------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "organ", "rule"),
    [
        ("kf", "kf", "antar_internkontrollplan"),  # fullmäktige is no organ that adopts one
        ("kommundirektor", "kommundirektor", "antar_internkontrollplan"),  # an official, no organ
        ("beredning-larande", "ks", "organet_eller_dess_forvaltning"),
        ("revisorer", "ks", "revisorer_laser"),
    ],
)
def test_a_plan_is_only_opened_for_an_organ_of_the_model_by_it_or_its_forvaltning(
    app: Governance, world: World, actor: str, organ: str, rule: str
) -> None:
    refusal = refused(app, "open_internkontrollplan", actor, organ=organ, year=YEAR, opened_on=DRAFTED)
    assert refusal.rule == rule


def test_a_plan_is_not_opened_after_its_year(app: Governance, world: World) -> None:
    refusal = refused(app, "open_internkontrollplan", "ks", organ="ks", year=2026, opened_on=date(2027, 1, 2))
    assert (refusal.rule, refusal.field) == ("plan_efter_aret", "date")


@pytest.mark.parametrize(
    ("probability", "consequence", "field"),
    [(0, 2, "probability"), (5, 2, "probability"), (2, 5, "consequence")],
)
def test_a_risk_off_the_models_scale_is_refused(
    app: Governance, world: World, probability: int, consequence: int, field: str
) -> None:
    plan = drafted(app)
    refusal = refused(
        app,
        "identify_risk",
        "kommundirektor",
        plan_id=plan,
        title="R",
        probability=probability,
        consequence=consequence,
        on=DRAFTED,
    )
    assert (refusal.rule, refusal.field) == ("riskskala", field)
    assert "1–4" in refusal.message


@pytest.mark.parametrize(
    ("risk", "owner", "error", "rule"),
    [
        (9, OWNER_1, NotFound, "okand_risk"),
        (3, OWNER_1, InvalidState, "risk_ej_vald"),
        (1, "kf-ordforande", NotPermitted, "agare_under_organet"),
        (1, "ingen-sadan", NotFound, "okand_befattning"),
    ],
)
def test_a_control_is_only_for_a_chosen_risk_and_owned_under_the_organ(
    app: Governance, world: World, risk: int, owner: str, error: type[Refusal], rule: str
) -> None:
    plan = drafted(app)
    refusal = refused(app, "plan_control", "kommundirektor", **control(plan, risk=risk, owner=owner))
    assert isinstance(refusal, error)
    assert refusal.rule == rule


def test_a_plan_with_a_chosen_risk_without_control_is_not_adopted(app: Governance, world: World) -> None:
    plan = drafted(app, chosen_without_control=True)
    refusal = refused(
        app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", ADOPTED)
    )
    assert refusal.rule == "kontroll_for_vald_risk"
    assert "2" in refusal.message


def test_a_plan_is_adopted_only_by_the_organ_through_its_own_decision(app: Governance, world: World) -> None:
    plan = drafted(app)
    ks_beslut = decide(app, "ks", ADOPTED)
    assert refused(
        app, "adopt_internkontrollplan", "kommundirektor", plan_id=plan, beslut_id=ks_beslut
    ).rule == ("organet_antar")
    refusal = refused(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=world.budget)
    assert (refusal.rule, refusal.field) == ("organets_eget_beslut", "beslut")
    delegated = on_delegation(app, world, ADOPTED)
    assert refused(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=delegated).rule == (
        "organets_eget_beslut"
    )


def test_an_adopted_plan_takes_no_new_risk_or_control(app: Governance, world: World) -> None:
    plan = adopted(app)
    risk = {"plan_id": plan, "title": "Sen risk", "probability": 2, "consequence": 2, "on": PERFORMED}
    assert refused(app, "identify_risk", "kommundirektor", **risk).rule == "endast_utkast"
    assert refused(app, "plan_control", "kommundirektor", **control(plan, risk=1, owner=OWNER_1)).rule == (
        "endast_utkast"
    )


def test_no_result_before_the_plan_is_adopted(app: Governance, world: World) -> None:
    plan = drafted(app)
    assert refused(app, "record_kontrollresultat", OWNER_2, **brist(plan)).rule == "inte_antagen"


@pytest.mark.parametrize(
    ("actor", "changes", "rule"),
    [
        ("kommundirektor", {}, "kontrollens_agare"),
        (OWNER_2, {"control": 7}, "okand_kontroll"),
        (OWNER_2, {"performed_on": date(2027, 1, 10)}, "under_planens_ar"),
        (OWNER_2, {"performed_on": date(2028, 1, 2)}, "under_planens_ar"),
        (OWNER_2, {"action": ""}, "brist_beskrivs"),
        (OWNER_2, {"comment": ""}, "brist_beskrivs"),
        (OWNER_2, {"outcome": "utan_anmarkning"}, "atgard_kraver_brist"),
        (OWNER_2, {"severity": "katastrof"}, "allvarlighetsgrad"),
        (OWNER_2, {"category": "okand"}, "avvikelsekategori"),
        ("revisorer", {}, "revisorer_laser"),
    ],
)
def test_a_result_is_refused_and_opens_no_deviation(
    app: Governance, world: World, actor: str, changes: dict[str, Any], rule: str
) -> None:
    """Refused whole: neither the result nor the deviation of a brist is recorded."""
    plan = adopted(app)
    refusal = refused(app, "record_kontrollresultat", actor, **brist(plan, **changes))
    assert refusal.rule == rule
    assert [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ResultRecorded)] == []


def test_a_control_has_one_result_a_day(app: Governance, world: World) -> None:
    plan = adopted(app)
    send(app, "record_kontrollresultat", OWNER_2, **brist(plan))
    refusal = refused(app, "record_kontrollresultat", OWNER_2, **brist(plan, comment="Annan iakttagelse."))
    assert (refusal.rule, refusal.field) == ("resultat_finns", "control")


@pytest.mark.parametrize(
    ("actor", "period", "on", "rule"),
    [
        ("ks", "delar", date(2027, 8, 31), "perioden_pagar"),  # the delårsperiod ends 31 August
        ("ks", "helar", date(2027, 12, 31), "perioden_pagar"),
        ("kommundirektor", "delar", date(2027, 10, 1), "organet_rapporterar"),
    ],
)
def test_results_are_reported_by_the_organ_once_the_period_has_ended(
    app: Governance, world: World, actor: str, period: str, on: date, rule: str
) -> None:
    plan = adopted(app)
    refusal = refused(
        app, "report_internkontroll", actor, plan_id=plan, period=period, summary="S", reported_on=on
    )
    assert refusal.rule == rule


def test_a_period_is_reported_once_and_the_year_end_closes_the_plan(app: Governance, world: World) -> None:
    plan = adopted(app)
    report = {"plan_id": plan, "summary": "S"}
    send(app, "report_internkontroll", "ks", period="delar", reported_on=date(2027, 10, 1), **report)
    again = refused(
        app, "report_internkontroll", "ks", period="delar", reported_on=date(2027, 10, 2), **report
    )
    assert again.rule == "redan_rapporterad"
    send(app, "report_internkontroll", "ks", period="helar", reported_on=date(2028, 2, 1), **report)
    late = refused(app, "record_kontrollresultat", OWNER_2, **brist(plan, performed_on=date(2027, 12, 1)))
    assert late.rule == "plan_avslutad"


@pytest.mark.parametrize(
    ("actor", "on", "assessment", "error", "rule"),
    [
        ("kf", date(2028, 3, 1), "uppfyllt", NotPermitted, "styrelsen_bedomer"),
        ("ks", date(2027, 12, 20), "uppfyllt", InvalidInput, "aret_pagar"),
        ("ks", date(2028, 3, 1), "godkand", InvalidInput, "bedomningsskala"),
    ],
)
def test_only_ks_assesses_a_year_after_it_on_the_models_scale(
    app: Governance, world: World, actor: str, on: date, assessment: str, error: type[Refusal], rule: str
) -> None:
    beslut = decide(app, actor, on, number="8")
    refusal = refused(
        app, "assess_internkontroll", actor, year=YEAR, assessment=assessment, text="T", beslut_id=beslut
    )
    assert isinstance(refusal, error)
    assert refusal.rule == rule


# --- controls owed a result ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "ending"),
    [
        (Frekvens.MANAD, list(range(1, 13))),
        (Frekvens.KVARTAL, [3, 6, 9, 12]),
        (Frekvens.TERTIAL, [4, 8, 12]),
        (Frekvens.HALVAR, [6, 12]),
        (Frekvens.AR, [12]),
    ],
)
def test_a_controls_periods_follow_its_frequency_and_cover_the_year(
    frequency: Frekvens, ending: list[int]
) -> None:
    periods = [p for month in range(1, 13) if (p := period_ending_in(frequency, YEAR, month)) is not None]
    assert [p.end.month for p in periods] == ending
    assert periods[0].start == date(YEAR, 1, 1)
    assert periods[-1].end == date(YEAR, 12, 31)
    assert all(a.end + timedelta(days=1) == b.start for a, b in itertools.pairwise(periods))


def test_a_quarterly_control_is_owed_a_result_in_each_quarter_without_one(
    app: Governance, world: World
) -> None:
    """Both controls are quarterly: control 1 performed in the first quarter, control 2 not; nothing is
    owed in a month that ends no quarter, and a closed year owes nothing more."""
    plan = adopted(app)
    send(app, "record_kontrollresultat", OWNER_1, plan_id=plan, control=1, outcome="utan_anmarkning",
         performed_on=PERFORMED)  # fmt: skip

    march = controls_owed(plan_of(app), 3)
    assert [(o.number, o.owner, o.period.start, o.period.end) for o in march] == [
        (2, OWNER_2, date(YEAR, 1, 1), date(YEAR, 3, 31))
    ]
    assert march[0].title == "Kontroll av risk 2"
    assert controls_owed(plan_of(app), 4) == []
    assert [o.number for o in controls_owed(plan_of(app), 6)] == [1, 2]

    send(app, "report_internkontroll", "ks", plan_id=plan, period="helar", summary="Året.",
         reported_on=date(2028, 2, 10))  # fmt: skip
    assert controls_owed(plan_of(app), 12) == []


def test_a_draft_owes_nothing_and_a_period_ended_before_adoption_is_not_owed(
    app: Governance, world: World
) -> None:
    drafted(app)
    assert controls_owed(plan_of(app), 3) == []
    send(app, "adopt_internkontrollplan", "ks", plan_id=PLAN, beslut_id=decide(app, "ks", date(YEAR, 4, 2)))
    assert controls_owed(plan_of(app), 3) == []
    assert [o.number for o in controls_owed(plan_of(app), 6)] == [1, 2]


# --- a control handed over -------------------------------------------------------------------

HANDED = date(2027, 6, 1)
HANDOVER_DECIDED = date(2027, 5, 20)


def handover(plan: UUID, beslut: UUID, **changes: Any) -> dict[str, Any]:
    """Control 2 (internt stöd's) handed to the sector from HANDED."""
    return {"plan_id": plan, "control": 2, "owner": OWNER_1, "beslut_id": beslut, "handed_over_on": HANDED,
            **changes}  # fmt: skip


def handed_over(app: Governance) -> UUID:
    """The adopted plan, its control 2 handed by KS's decision from internt stöd to the sector from HANDED."""
    plan = adopted(app)
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    assert send(app, "hand_over_control", "ks", **handover(plan, beslut)).recorded
    return plan


def test_a_control_handed_over_is_performed_by_its_old_owner_before_the_day_and_by_the_new_one_from_it(
    app: Governance, world: World
) -> None:
    """The day before the hand-over only internt stöd records its result (after the hand-over is
    recorded, as an ordinary result: the plan's dates have run to the decision's day), from the day only
    the sector; the wrong one is refused naming the owner of the day."""
    plan = handed_over(app)
    before, on_the_day = HANDED - timedelta(days=1), HANDED
    result = {"plan_id": plan, "control": 2, "outcome": "utan_anmarkning"}

    too_early = refused(app, "record_kontrollresultat", OWNER_1, **result, performed_on=before)
    assert send(app, "record_kontrollresultat", OWNER_2, **result, performed_on=before).recorded
    too_late = refused(app, "record_kontrollresultat", OWNER_2, **result, performed_on=on_the_day)
    assert send(app, "record_kontrollresultat", OWNER_1, **result, performed_on=on_the_day).recorded

    assert (too_early.rule, too_late.rule) == ("kontrollens_agare", "kontrollens_agare")
    assert f"Kontroll 2 utförs den {before.isoformat()} av {OWNER_2}, inte av '{OWNER_1}'." in str(too_early)
    assert f"Kontroll 2 utförs den {on_the_day.isoformat()} av {OWNER_1}, inte av '{OWNER_2}'." in str(
        too_late
    )
    control = plan_of(app).controls[2]
    assert (control.owner_on(before), control.owner_on(on_the_day), control.owner) == (
        OWNER_2,
        OWNER_1,
        OWNER_1,
    )


def test_a_hand_over_is_recorded_with_its_day_and_decision_once(app: Governance, world: World) -> None:
    """The event says the control, the new owner, the decision and its day, and counts from the
    hand-over's day; the same command again records nothing."""
    plan = adopted(app)
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    fields = handover(plan, beslut, command_id="11111111-1111-4111-8111-111111111111")
    assert send(app, "hand_over_control", "ks", **fields).recorded
    assert not send(app, "hand_over_control", "ks", **fields).recorded

    [event] = [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ControlHandedOver)]
    assert (event.control, event.owner, event.beslut_id, event.decided_on, event.effective_on) == (
        2,
        OWNER_1,
        beslut,
        HANDOVER_DECIDED,
        HANDED,
    )


def test_a_control_is_owed_by_its_owner_on_the_last_day_of_the_period(app: Governance, world: World) -> None:
    """Handed over from 1 June, the second quarter's control is owed by the sector, the first's (ended
    before the hand-over) by internt stöd."""
    handed_over(app)
    assert [(o.number, o.owner) for o in controls_owed(plan_of(app), 3)] == [(1, OWNER_1), (2, OWNER_2)]
    assert [(o.number, o.owner) for o in controls_owed(plan_of(app), 6)] == [(1, OWNER_1), (2, OWNER_1)]


def test_a_control_is_handed_over_only_by_the_organ_through_its_own_decision(
    app: Governance, world: World
) -> None:
    """As the plan is adopted: recorded as the organ, on its own decision, not one on delegation."""
    plan = adopted(app)
    ks_beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    as_director = refused(app, "hand_over_control", "kommundirektor", **handover(plan, ks_beslut))
    assert (as_director.rule, as_director.field) == ("organet_lamnar_over", "as")
    assert "En kontroll lämnas över av ks, inte av 'kommundirektor'." in str(as_director)
    kf_beslut = refused(app, "hand_over_control", "ks", **handover(plan, world.budget))
    assert (kf_beslut.rule, kf_beslut.field) == ("organets_eget_beslut", "beslut")
    delegated = refused(
        app, "hand_over_control", "ks", **handover(plan, on_delegation(app, world, HANDOVER_DECIDED))
    )
    assert delegated.rule == "organets_eget_beslut"
    assert "på delegation" in str(delegated)


@pytest.mark.parametrize(
    ("changes", "error", "rule", "field"),
    [
        ({"control": 7}, NotFound, "okand_kontroll", "control"),
        ({"owner": "kf-ordforande"}, NotPermitted, "agare_under_organet", "owner"),
        ({"owner": "ingen-sadan"}, NotFound, "okand_befattning", "owner"),
        ({"owner": OWNER_2}, InvalidState, "samma_agare", "owner"),
        ({"handed_over_on": date(2028, 1, 1)}, InvalidInput, "overlamnas_under_aret", "from"),
        ({"handed_over_on": HANDOVER_DECIDED - timedelta(days=1)}, InvalidInput, "efter_beslutet", "from"),
    ],
)
def test_a_hand_over_is_refused_and_records_nothing(
    app: Governance,
    world: World,
    changes: dict[str, Any],
    error: type[Refusal],
    rule: str,
    field: str,
) -> None:
    """An unknown control, an owner outside the organ's part of the organisation, unknown, or the one
    it already has that day, a day after the plan's year or before the decision: refused, in Swedish,
    naming the field."""
    plan = adopted(app)
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    refusal = refused(app, "hand_over_control", "ks", **handover(plan, beslut, **changes))
    assert isinstance(refusal, error)
    assert (refusal.rule, refusal.field) == (rule, field)


def test_a_control_is_not_handed_over_from_a_day_before_the_plan_was_adopted(
    app: Governance, world: World
) -> None:
    """The plan as adopted names the owners: a hand-over counts from adoption, within the plan's year."""
    plan = adopted(app)
    beslut = decide(app, "ks", DRAFTED, number="5")
    refusal = refused(
        app, "hand_over_control", "ks", **handover(plan, beslut, handed_over_on=ADOPTED - timedelta(days=1))
    )
    assert (refusal.rule, refusal.field) == ("overlamnas_under_aret", "from")
    assert f"{ADOPTED.isoformat()} till {YEAR}-12-31" in str(refusal)


def test_only_a_plan_in_force_has_its_controls_handed_over(app: Governance, world: World) -> None:
    """A draft is changed as a draft; a plan whose year is reported takes no more changes."""
    plan = drafted(app)
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    assert refused(app, "hand_over_control", "ks", **handover(plan, beslut)).rule == "inte_antagen"
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", ADOPTED))
    send(app, "report_internkontroll", "ks", plan_id=plan, period="helar", summary="Året.",
         reported_on=date(2028, 2, 10))  # fmt: skip
    assert refused(app, "hand_over_control", "ks", **handover(plan, beslut)).rule == "plan_avslutad"


def test_a_control_is_not_handed_over_from_a_day_before_a_result_its_owner_recorded(
    app: Governance, world: World
) -> None:
    """Internt stöd's result of 30 June stands as performed by the owner of its day: a hand-over from
    1 June is refused naming it; one from 1 July is recorded (a correction: KS decided on 20 May, before
    the result)."""
    plan = adopted(app)
    send(app, "record_kontrollresultat", OWNER_2, plan_id=plan, control=2, outcome="utan_anmarkning",
         performed_on=date(2027, 6, 30))  # fmt: skip
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")

    refusal = refused(app, "hand_over_control", "ks", **handover(plan, beslut))

    assert (refusal.rule, refusal.field) == ("resultat_efter_overlamningen", "from")
    assert "2027-06-30" in str(refusal)
    late = "Beslutet registrerades efter resultatet."
    assert send(
        app,
        "hand_over_control",
        "ks",
        **handover(plan, beslut, handed_over_on=date(2027, 7, 1), correction=late),
    ).recorded


def test_a_control_is_handed_over_only_to_a_position_there_on_the_day_and_through_the_year(
    app: Governance, world: World
) -> None:
    """A unit established from a later day than the hand-over, or discontinued before the plan's year
    ends, is refused as the control's new owner."""
    plan = adopted(app)
    beslut = decide(app, "ks", HANDOVER_DECIDED, number="5")
    for code, established_on in (("enhet-sen", date(2027, 8, 1)), ("enhet-kort", YEAR_START)):
        send(app, "establish_befattning", SECTOR, code=code, name="Enhet", kind="chef", parent=SECTOR,
             established_on=established_on)  # fmt: skip
    send(app, "discontinue_befattning", SECTOR, code="enhet-kort", reason="Omorganisation.",
         discontinued_on=date(2027, 10, 1))  # fmt: skip

    later = refused(app, "hand_over_control", "ks", **handover(plan, beslut, owner="enhet-sen"))
    gone = refused(app, "hand_over_control", "ks", **handover(plan, beslut, owner="enhet-kort"))

    assert (later.rule, later.field) == ("inte_inrattad_an", "owner")
    assert "den inrättades först från 2027-08-01" in str(later)
    assert (gone.rule, gone.field) == ("overlever_befattningen", "owner")
