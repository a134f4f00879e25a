"""Nämnder with their own förvaltningar and bolag under KS's uppsikt, in the test model Östervik
(tests/fixtures/styrmodell/sex_namnder.toml: six nämnder, two bolag, two delår, budget in November).

The årshjul plans each nämnd's verksamhetsplan after KF's budget and its reports to KS, each
bolag's reports to KS; KS asks a nämnd or bolag for a report under its uppsikt without standing
above it; a deviation held by a nämnd goes on to KS before KF.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from unit.governance_world import MEMORY, event_count, send, staff

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.plan_steps import answers
from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.styrmodell import Styrmodell, default_styrmodell, load_styrmodell, parse_styrmodell
from lerum_flow.styrmodell.reading import parse_toml
from lerum_flow.workflows.arshjul.cycle import owed
from lerum_flow.workflows.planning import plan_cycle

OSTERVIK = Path(__file__).parent.parent / "fixtures" / "styrmodell" / "sex_namnder.toml"
NAMNDER = ("un", "son", "sbn", "kfn", "mhn", "tn")
BOLAG = ("osterviksbostader", "ostervik-energi")
YEAR = 2028


@pytest.fixture(scope="module")
def ostervik() -> Styrmodell:
    return load_styrmodell(OSTERVIK)


def ostervik_governance(model: Styrmodell) -> Governance:
    app = Governance(model, env=dict(MEMORY))
    staff(app)
    return app


def taken(organ: str, kind: str, on: date, n: int = 1) -> BeslutTaget:
    return BeslutTaget(
        event_id=f"e-{organ}-{kind}-{n}",
        beslut_id=UUID(int=n),
        kind=kind,
        decided_by=organ,
        decided_on=on,
    )


def test_the_test_model_has_six_namnder_two_bolag_two_delar_a_november_budget_and_four_levels(
    ostervik: Styrmodell,
) -> None:
    chain = ostervik.styrkedja()
    assert sorted(p.id for p in chain if str(p.kind) == "namnd") == sorted(NAMNDER)
    assert sorted(p.id for p in chain if str(p.kind) == "bolag") == sorted(BOLAG)
    assert len(ostervik.kalender.interim_periods()) == 2
    assert ostervik.kalender.budget_senast.manad == 11
    assert len(ostervik.bedomningsskala) == 4
    # Each bolag has its VD under its board.
    assert {p.parent for p in chain if p.id.endswith("-vd")} == set(BOLAG)


def test_each_namnd_owes_its_verksamhetsplan_after_the_budget_and_its_reports_to_ks(
    ostervik: Styrmodell,
) -> None:
    plan = plan_cycle(ostervik, YEAR)
    steps = {s.key: s for s in plan.decisions}
    assert steps["budget"].deadline.on == date(YEAR - 1, 11, 25)
    for namnd in NAMNDER:
        verksamhetsplan = steps[f"{namnd}/verksamhetsplan"]
        assert (verksamhetsplan.kind, verksamhetsplan.organ) == ("verksamhetsplan", namnd)
        assert verksamhetsplan.after_budget
        assert verksamhetsplan.deadline.on == date(YEAR - 1, 12, 20)
        # The deviation is recorded by the nämnd's förvaltningschef, so it lands with the nämnd.
        assert verksamhetsplan.responsible == f"{namnd}-forvaltningschef"
        for report, kind, due in (
            ("delarsrapport", "delarsrapport", date(YEAR, 6, 20) - timedelta(days=14)),
            ("delarsrapport-2", "delarsrapport", date(YEAR, 10, 25) - timedelta(days=14)),
            ("arsredovisning", "arsredovisning", date(YEAR + 1, 4, 10) - timedelta(days=14)),
        ):
            step = steps[f"{namnd}/{report}"]
            assert (step.kind, step.organ, step.owed_to, step.deadline.on) == (kind, namnd, "ks", due)
    assert [r.deadline.on for r in plan.reports] == [
        date(YEAR, 6, 20),
        date(YEAR, 10, 25),
        date(YEAR + 1, 4, 10),
    ]


def test_a_bolag_owes_its_reports_to_ks_under_uppsikt_and_no_verksamhetsplan(ostervik: Styrmodell) -> None:
    plan = plan_cycle(ostervik, YEAR)
    for bolag in BOLAG:
        owed_by_bolag = [s for s in plan.decisions if s.organ == bolag]
        assert [s.kind for s in owed_by_bolag] == ["delarsrapport", "delarsrapport", "arsredovisning"]
        assert {s.owed_to for s in owed_by_bolag} == {"ks"}
        assert owed_by_bolag[0].deadline.on == date(YEAR, 6, 20) - timedelta(days=21)
        assert owed_by_bolag[0].responsible == f"{bolag}-vd"
    listed = [s for s in plan.dated_steps() if s.owed_by == "osterviksbostader"]
    assert listed[0].what == "Österviksbostäder AB:s delårsrapport 1 2028 till kommunstyrelsen"
    assert {s.owed_to for s in listed} == {"ks"}


def test_kf_owes_the_bolags_agardirektiv_for_the_year_when_the_model_sets_a_day(ostervik: Styrmodell) -> None:
    plan = plan_cycle(ostervik, YEAR)
    [step] = [s for s in plan.decisions if s.kind == "agardirektiv"]
    assert (step.organ, step.responsible, step.owed_to) == ("kf", "kf", "")
    assert step.deadline.on == date(YEAR - 1, 11, 25)
    assert step.name == f"Ägardirektiv {YEAR} för Österviksbostäder AB, Östervik Energi AB"
    listed = [s for s in plan.dated_steps() if s.what == step.name]
    assert [s.owed_by for s in listed] == ["kf"]


def test_a_bolag_table_without_an_agardirektiv_day_plans_no_agardirektiv_step() -> None:
    text = OSTERVIK.read_text(encoding="utf-8").replace("agardirektiv_senast = { manad = 11, dag = 25 }", "")
    without_day = parse_styrmodell(parse_toml(text))
    assert without_day.kalender.bolag is not None
    assert [s for s in plan_cycle(without_day, YEAR).decisions if s.kind == "agardirektiv"] == []
    assert [s.organ for s in plan_cycle(without_day, YEAR).decisions if s.owed_to == "ks"] != []


def test_a_model_without_namnder_or_bolag_tables_plans_no_organ_steps() -> None:
    plan = plan_cycle(default_styrmodell(), YEAR)
    assert all("/" not in s.key and not s.after_budget and not s.owed_to for s in plan.decisions)


def test_a_namnds_plan_adopted_before_the_budget_does_not_answer_its_step(ostervik: Styrmodell) -> None:
    plan = plan_cycle(ostervik, YEAR)
    step = next(s for s in plan.decisions if s.key == "un/verksamhetsplan")
    budget = taken("kf", "budget", date(YEAR - 1, 11, 18), 1)
    early = taken("un", "verksamhetsplan", date(YEAR - 1, 11, 10), 2)
    same_day = taken("un", "verksamhetsplan", date(YEAR - 1, 11, 18), 3)
    assert owed(plan, [early], step).not_before == step.deadline.on + timedelta(days=1)
    opened = owed(plan, [budget, early], step)
    assert opened.not_before == budget.decided_on
    assert not answers(early, opened)
    assert answers(same_day, opened)
    # A step not owed after the budget is as planned.
    ks_plan = next(s for s in plan.decisions if s.key == "verksamhetsplan")
    assert owed(plan, [budget], ks_plan) is ks_plan


def test_ks_asks_a_namnd_for_a_report_under_uppsikt_and_accepts_its_answer(ostervik: Styrmodell) -> None:
    app = ostervik_governance(ostervik)
    origin = send(
        app,
        "take_beslut",
        "ks",
        decided_by="ks",
        kind="uppfoljningsplan",
        diarienummer="KS 2027/1",
        paragraf="§ 1",
        title="Uppföljningsplan 2028",
        decided_on=date(2027, 12, 1),
    ).id
    asked = send(
        app,
        "issue_uppdrag",
        "ks",
        recipient="son",
        kind="uppsikt",
        title="Redovisa placeringskostnaderna",
        description="Under uppsikten",
        origin_beslut_id=origin,
        issued_on=date(2028, 2, 1),
        due=date(2028, 3, 31),
    ).id
    send(app, "accept_uppdrag", "son", uppdrag_id=asked, on=date(2028, 2, 2))
    send(
        app,
        "report_uppdrag",
        "son",
        uppdrag_id=asked,
        assessment="delvis",
        text="Över budget",
        period="2028-02",
        on=date(2028, 3, 1),
    )
    send(app, "accept_report", "ks", uppdrag_id=asked, comment="Mottagen", on=date(2028, 3, 2))
    send(
        app,
        "issue_uppdrag",
        "ks",
        recipient="ostervik-energi",
        kind="uppsikt",
        title="Redovisa elpriset",
        description="Under uppsikten",
        origin_beslut_id=origin,
        issued_on=date(2028, 2, 1),
    )


@pytest.mark.parametrize(
    ("actor", "recipient", "kind", "rule", "fragment"),
    [
        # KS is not above a nämnd: an ordinary uppdrag is refused, with the way that is open.
        ("ks", "son", "uppdrag", "givare_over_mottagare", "med 'kind' uppsikt"),
        ("ks", "osterviksbostader", "uppdrag", "givare_over_mottagare", "KL 6 kap. 1 §"),
        # Only KS has uppsikt, and only over nämnder and bolag outside its own organisation.
        ("son", "un", "uppsikt", "uppsikt_endast_styrelsen", "KL 6 kap. 1 §"),
        ("kf", "son", "uppsikt", "uppsikt_endast_styrelsen", "Bara kommunstyrelsen"),
        ("ks", "kommundirektor", "uppsikt", "uppsikt_over_namnd_eller_bolag", "vanligt uppdrag"),
        ("ks", "revisorer", "uppsikt", "uppsikt_over_namnd_eller_bolag", "KL 6 kap. 3 §"),
    ],
)
def test_an_uppdrag_across_the_chain_is_refused_and_records_nothing(
    ostervik: Styrmodell, actor: str, recipient: str, kind: str, rule: str, fragment: str
) -> None:
    app = ostervik_governance(ostervik)
    origin = send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="budget",
        diarienummer="KF 2027/1",
        paragraf="§ 1",
        title="Budget 2028",
        decided_on=date(2027, 11, 20),
    ).id
    before = event_count(app)
    with pytest.raises(Refusal) as refusal:
        send(
            app,
            "issue_uppdrag",
            actor,
            recipient=recipient,
            kind=kind,
            title="Redovisa",
            description="x",
            origin_beslut_id=origin,
            issued_on=date(2028, 2, 1),
        )
    assert refusal.value.rule == rule
    assert fragment in refusal.value.message
    assert event_count(app) == before


def test_a_deviation_held_by_a_namnd_goes_on_to_ks_before_kf(ostervik: Styrmodell) -> None:
    app = ostervik_governance(ostervik)
    assert [p.id for p in app.deviation_chain("un-forvaltningschef")] == ["un", "ks", "kf"]
    assert [p.id for p in app.deviation_chain("ostervik-energi")] == ["ks", "kf"]
    assert [p.id for p in app.ancestors("un-forvaltningschef")] == ["un", "kf"]
    reported = send(
        app,
        "report_avvikelse",
        "un-forvaltningschef",
        subject_kind="handelse",
        subject_ref="x",
        severity="mindre",
        category="ekonomi",
        description="Underskott",
        occurred_on=date(2028, 5, 2),
    )
    grave = send(
        app,
        "report_avvikelse",
        "un-forvaltningschef",
        subject_kind="handelse",
        subject_ref="y",
        severity="allvarlig",
        category="ekonomi",
        description="Stort underskott",
        occurred_on=date(2028, 5, 2),
    )
    assert app.repository.get(reported.id).level == "un"
    # Severity 'allvarlig' goes straight to the styrelse, which has uppsikt over the nämnd.
    assert app.repository.get(grave.id).level == "ks"
    send(
        app,
        "escalate_avvikelse",
        "un",
        avvikelse_id=reported.id,
        reason="Rör hela kommunen",
        on=date(2028, 5, 3),
    )
    escalated: Avvikelse = app.repository.get(reported.id)
    assert escalated.level == "ks"


def test_lerums_deviation_chain_is_its_chain_above() -> None:
    app = Governance(default_styrmodell(), env=dict(MEMORY))
    assert app.deviation_chain("larande") == app.ancestors("larande")
