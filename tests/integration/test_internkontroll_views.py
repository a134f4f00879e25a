"""The internkontroll view and the revisorer's replay of it, on SQLite and PostgreSQL: plans, their
results and the deviations their brister opened, as they stood on a day and as known on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from unit.governance_world import send, staff

from lerum_flow.application import Governance
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.values import AvvikelseStatus, InternkontrollplanStatus
from lerum_flow.projections.asof import AsOf, as_known, replay, replay_records
from lerum_flow.projections.internkontroll_register import InternkontrollRegister, internkontroll_register
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.registers import state_on
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

ADOPTED = date(2027, 1, 20)
CLEAN = date(2027, 3, 31)
BRIST = date(2027, 6, 30)
# The brist is recorded on 1 July; what was known on 30 June does not hold it.
BRIST_RECORDED = datetime(2027, 7, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Year:
    settings: Settings
    plan: UUID
    beslut: UUID
    avvikelse: UUID


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def year(database_url: str) -> Year:
    """KS's plan for 2027: drafted, adopted in January, a clean control in March, a brist in June."""
    settings = Settings(database_url=database_url)
    clock = Clock()
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"), clock=clock)
    staff(app)
    plan = send(
        app, "open_internkontrollplan", "kommundirektor", organ="ks", year=2027, opened_on=date(2026, 11, 20)
    )
    for risk in (1, 2):
        send(app, "identify_risk", "kommundirektor", plan_id=plan.id, title=f"Risk {risk}",
             probability=risk + 1, consequence=3, on=date(2026, 11, 20))  # fmt: skip
        send(app, "plan_control", "kommundirektor", plan_id=plan.id, risk=risk, title=f"Kontroll {risk}",
             owner="larande", method="Stickprov", frequency="halvar", on=date(2026, 11, 20))  # fmt: skip
    clock.now = datetime(2027, 1, 21, 9, tzinfo=UTC)
    beslut = send(app, "take_beslut", "ks", decided_by="ks", kind="ovrigt", diarienummer="KS 2027/3",
                  paragraf="§ 3", title="Internkontrollplan 2027", decided_on=ADOPTED).id  # fmt: skip
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan.id, beslut_id=beslut)
    clock.now = datetime(2027, 4, 1, 9, tzinfo=UTC)
    send(app, "record_kontrollresultat", "larande", plan_id=plan.id, control=1, outcome="utan_anmarkning",
         performed_on=CLEAN)  # fmt: skip
    clock.now = BRIST_RECORDED
    send(app, "record_kontrollresultat", "larande", plan_id=plan.id, control=2, outcome="brist",
         comment="Attest saknas.", action="Rutin för attest.", performed_on=BRIST)  # fmt: skip
    [avvikelse] = [
        e.avvikelse_id
        for e in app.events_of(plan.id)
        if isinstance(e, Internkontrollplan.ResultRecorded) and e.avvikelse_id is not None
    ]
    app.close()
    return Year(settings, plan.id, beslut, avvikelse)


def replayed(year: Year, as_of: AsOf) -> InternkontrollRegister:
    log = GovernanceLog(year.settings.eventsourcing_env("governance"))
    store = replay(log, as_of)
    try:
        return state_on(store.views, as_of.on).internkontroll
    finally:
        store.close()
        log.close()


def test_the_live_view_holds_the_plan_its_controls_results_and_the_deviation(year: Year) -> None:
    store = ViewStore.open(year.settings)
    try:
        store.projector().catch_up()
        register = internkontroll_register(store.views, year=2027)
    finally:
        store.close()
    [entry] = register.plans
    assert (entry.plan.status, entry.plan.adopted_on, entry.plan.beslut_id) == (
        InternkontrollplanStatus.ADOPTED,
        ADOPTED,
        year.beslut,
    )
    assert (entry.plan.risks, entry.plan.controls, entry.plan.results, entry.plan.deficiencies) == (
        2,
        2,
        2,
        1,
    )
    assert [(c.number, c.results, c.deficiencies, c.last_performed_on) for c in entry.controls] == [
        (1, 1, 0, CLEAN),
        (2, 1, 1, BRIST),
    ]
    assert [r.risk_value for r in entry.risks] == [6, 9]
    [clean, brist] = entry.results
    assert (clean.result.outcome, clean.avvikelse) == ("utan_anmarkning", None)
    assert brist.avvikelse is not None
    assert (brist.avvikelse.id, brist.avvikelse.level) == (year.avvikelse, "kommundirektor")
    assert brist.avvikelse.status == AvvikelseStatus.REPORTED


def test_as_of_a_day_the_plan_stands_as_it_did_with_only_the_results_in_effect_then(year: Year) -> None:
    before_the_plan = replayed(year, AsOf(date(2027, 1, 19)))
    [drafted] = before_the_plan.plans
    assert (drafted.plan.status, drafted.plan.adopted_on) == (InternkontrollplanStatus.DRAFT, None)

    spring = replayed(year, AsOf(date(2027, 5, 1)))
    assert [r.result.control for r in spring.plans[0].results] == [1]
    assert spring.avvikelse_ids == []

    summer = replayed(year, AsOf(date(2027, 7, 15)))
    assert summer.avvikelse_ids == [year.avvikelse]
    assert summer.plans[0].results[1].avvikelse is not None


def test_as_known_before_the_brist_was_recorded_the_revisorer_see_no_deviation(year: Year) -> None:
    known_then = replayed(year, AsOf(date(2027, 6, 30), known_on=date(2027, 6, 30)))
    assert [r.result.control for r in known_then.plans[0].results] == [1]


def test_the_replay_of_one_plan_brings_its_decision_and_the_deviation_it_opened(year: Year) -> None:
    log = GovernanceLog(year.settings.eventsourcing_env("governance"))
    store = replay_records(log, AsOf(date(2027, 12, 31)), [year.plan])
    try:
        state = state_on(store.views, date(2027, 12, 31))
    finally:
        store.close()
        log.close()
    assert [b.id for b in state.beslut] == [year.beslut]
    assert [a.id for a in state.avvikelser] == [year.avvikelse]
    assert state.internkontroll.avvikelse_ids == [year.avvikelse]


HANDED = date(2027, 8, 1)
HANDOVER_RECORDED = datetime(2027, 7, 2, 9, tzinfo=UTC)


def handed_over(year: Year) -> UUID:
    """KS decides on 2 July to hand control 1 over from the sector to internt stöd from 1 August: the
    decision's id."""
    clock = Clock()
    clock.now = HANDOVER_RECORDED
    app = Governance(default_styrmodell(), env=year.settings.eventsourcing_env("governance"), clock=clock)
    try:
        beslut = send(app, "take_beslut", "ks", decided_by="ks", kind="ovrigt", diarienummer="KS 2027/40",
                      paragraf="§ 40", title="Ny ägare", decided_on=HANDOVER_RECORDED.date()).id  # fmt: skip
        send(app, "hand_over_control", "ks", plan_id=year.plan, control=1, owner="internt-stod",
             beslut_id=beslut, handed_over_on=HANDED)  # fmt: skip
    finally:
        app.close()
    return beslut


def owners(register: InternkontrollRegister) -> list[tuple[int, str]]:
    return [(c.number, c.owner) for c in register.plans[0].controls]


@pytest.mark.parametrize(
    ("as_of", "owner"),
    [
        (AsOf(date(2027, 7, 31)), "larande"),
        (AsOf(HANDED), "internt-stod"),
        # Known before the hand-over was recorded, the sector owned it on that day too.
        (AsOf(date(2027, 8, 15), known_on=date(2027, 7, 1)), "larande"),
    ],
)
def test_a_control_handed_over_shows_the_owner_of_the_day_asked_about(
    year: Year, as_of: AsOf, owner: str
) -> None:
    """The live view holds the latest owner; the register as of a day, replayed or read from the view's
    history, the owner of that day as known then."""
    handed_over(year)
    store = ViewStore.open(year.settings)
    try:
        store.projector().catch_up()
        live = internkontroll_register(store.views, year=2027)
        from_history = internkontroll_register(as_known(store.views, as_of), year=2027)
    finally:
        store.close()

    assert owners(live) == [(1, "internt-stod"), (2, "larande")]
    assert owners(replayed(year, as_of)) == [(1, owner), (2, "larande")]
    assert owners(from_history) == [(1, owner), (2, "larande")]


def test_a_hand_over_is_listed_with_its_decision_and_the_replay_of_its_plan_brings_the_decision(
    year: Year,
) -> None:
    """The register lists the hand-over (control, new owner, day, decision) once it is in effect; the
    revisorer's replay of the plan alone brings the decision that handed the control over too."""
    beslut = handed_over(year)
    store = ViewStore.open(year.settings)
    try:
        store.projector().catch_up()
        live = internkontroll_register(store.views, year=2027)
        before = internkontroll_register(as_known(store.views, AsOf(date(2027, 7, 31))), year=2027)
    finally:
        store.close()
    log = GovernanceLog(year.settings.eventsourcing_env("governance"))
    one = replay_records(log, AsOf(date(2027, 12, 31)), [year.plan])
    try:
        state = state_on(one.views, date(2027, 12, 31))
    finally:
        one.close()
        log.close()

    [handover] = live.plans[0].handovers
    assert (handover.control, handover.owner, handover.handed_over_on, handover.beslut_id) == (
        1,
        "internt-stod",
        HANDED,
        beslut,
    )
    assert before.plans[0].handovers == []
    assert {b.id for b in state.beslut} == {year.beslut, beslut}
    assert [h.beslut_id for h in state.internkontroll.plans[0].handovers] == [beslut]


def test_a_result_of_the_earlier_owner_recorded_after_a_hand_over_decided_ahead_shows_as_its(
    year: Year,
) -> None:
    """The sector's result of 20 July, recorded after KS's hand-over of 2 July from 1 August and no
    correction: the live view, the replay and the history as of 31 July show it performed by the
    sector, who owns the control that day; from 1 August internt stöd owns it."""
    handed_over(year)
    clock = Clock()
    clock.now = datetime(2027, 7, 21, 9, tzinfo=UTC)
    app = Governance(default_styrmodell(), env=year.settings.eventsourcing_env("governance"), clock=clock)
    try:
        send(app, "record_kontrollresultat", "larande", plan_id=year.plan, control=1,
             outcome="utan_anmarkning", performed_on=date(2027, 7, 20))  # fmt: skip
    finally:
        app.close()
    store = ViewStore.open(year.settings)
    try:
        store.projector().catch_up()
        live = internkontroll_register(store.views, year=2027)
        read = {
            on: internkontroll_register(as_known(store.views, AsOf(on)), year=2027)
            for on in (date(2027, 7, 31), HANDED)
        }
    finally:
        store.close()

    performed = [
        (r.result.performed_on, r.result.performed_by, r.result.control) for r in live.plans[0].results
    ]
    assert (date(2027, 7, 20), "larande", 1) in performed
    for on, owner in ((date(2027, 7, 31), "larande"), (HANDED, "internt-stod")):
        for register in (read[on], replayed(year, AsOf(on))):
            assert owners(register) == [(1, owner), (2, "larande")]
            assert (date(2027, 7, 20), "larande", 1) in [
                (r.result.performed_on, r.result.performed_by, r.result.control)
                for r in register.plans[0].results
            ]
