"""A control handed over ahead: KS decides on one day that a control passes to another owner from a
later day. The plan's dates run forward from the decision's day, not from the day the new owner takes
over, so the earlier owner's ordinary results and the organ's reports before that day stay ordinary."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import World, governance, refused, seed, send
from unit.test_internkontroll_rules import OWNER_1, OWNER_2, adopted, decide, plan_of

from lerum_flow.application import Governance
from lerum_flow.domain.internkontroll import Internkontrollplan

DECIDED = date(2027, 3, 15)
FROM = date(2027, 9, 1)


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


def hand_over(app: Governance, plan: UUID, *, decided: date, handed: date, owner: str, number: str) -> None:
    """Control 2 handed to `owner` from `handed`, by KS's decision of `decided`."""
    beslut = decide(app, "ks", decided, number=number)
    assert send(app, "hand_over_control", "ks", plan_id=plan, control=2, owner=owner, beslut_id=beslut,
                handed_over_on=handed).recorded  # fmt: skip


def handed_over_ahead(app: Governance) -> UUID:
    """The adopted plan, control 2 handed from internt stöd to the sector from FROM, decided on DECIDED."""
    plan = adopted(app)
    hand_over(app, plan, decided=DECIDED, handed=FROM, owner=OWNER_1, number="5")
    return plan


def result(plan: UUID, on: date, **changes: Any) -> dict[str, Any]:
    return {"plan_id": plan, "control": 2, "outcome": "utan_anmarkning", "performed_on": on, **changes}


def results_of(app: Governance, plan: UUID) -> list[tuple[date, str, str | None]]:
    """Each result of the plan: its day, who performed it, and the correction it was recorded as."""
    return [
        (e.effective_on, e.actor, e.correction)
        for e in app.events_of(plan)
        if isinstance(e, Internkontrollplan.ResultRecorded)
    ]


def test_the_owner_records_its_results_up_to_a_hand_over_decided_ahead_without_a_correction(
    app: Governance, world: World
) -> None:
    """Handed over in March from 1 September: internt stöd records April and 31 August as ordinary
    results, the sector 30 September; none is a correction."""
    plan = handed_over_ahead(app)

    for owner, on in (
        (OWNER_2, date(2027, 4, 30)),
        (OWNER_2, date(2027, 8, 31)),
        (OWNER_1, date(2027, 9, 30)),
    ):
        assert send(app, "record_kontrollresultat", owner, **result(plan, on)).recorded

    assert results_of(app, plan) == [
        (date(2027, 4, 30), OWNER_2, None),
        (date(2027, 8, 31), OWNER_2, None),
        (date(2027, 9, 30), OWNER_1, None),
    ]


def test_the_organ_reports_its_delar_before_a_hand_over_from_a_later_day_without_a_correction(
    app: Governance, world: World
) -> None:
    """A hand-over decided in March from 1 December leaves the delårsrapport of September ordinary."""
    plan = adopted(app)
    hand_over(app, plan, decided=DECIDED, handed=date(2027, 12, 1), owner=OWNER_1, number="5")

    reported = send(app, "report_internkontroll", "ks", plan_id=plan, period="delar", summary="Inga brister.",
                    reported_on=date(2027, 9, 15))  # fmt: skip

    assert reported.recorded
    assert plan_of(app).last_effective_on == date(2027, 9, 15)


def test_the_hand_over_is_recorded_as_from_its_day_and_ordered_by_its_decisions_day(
    app: Governance, world: World
) -> None:
    """The event counts from FROM (the owner of each day) and names the decision's day, up to which the
    plan's dates have run."""
    plan = handed_over_ahead(app)

    [event] = [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ControlHandedOver)]
    assert (event.effective_on, event.decided_on) == (FROM, DECIDED)
    assert plan_of(app).last_effective_on == DECIDED
    control = plan_of(app).controls[2]
    assert (control.owner_on(date(2027, 8, 31)), control.owner_on(FROM)) == (OWNER_2, OWNER_1)


def test_a_hand_over_decided_ahead_keeps_the_dates_running_forward_from_its_decision(
    app: Governance, world: World
) -> None:
    """A result dated before the decision, or before the sector's result of 30 September, is still a
    correction: refused without a reason, recorded with one."""
    plan = handed_over_ahead(app)
    late = "Utförd tidigare, registrerad sent."

    before_decision = refused(app, "record_kontrollresultat", OWNER_2, **result(plan, date(2027, 3, 10)))
    assert send(app, "record_kontrollresultat", OWNER_1, **result(plan, date(2027, 9, 30))).recorded
    before_latest = refused(app, "record_kontrollresultat", OWNER_2, **result(plan, date(2027, 8, 15)))

    assert (before_decision.rule, before_decision.field) == ("datumordning", "date")
    assert "daterad 2027-03-15" in str(before_decision)
    assert (before_latest.rule, before_latest.field) == ("datumordning", "date")
    assert send(
        app, "record_kontrollresultat", OWNER_2, **result(plan, date(2027, 8, 15), correction=late)
    ).recorded


def test_a_hand_over_decided_before_the_latest_event_is_a_correction(app: Governance, world: World) -> None:
    """Internt stöd's result of 30 April, then KS's decision of 15 March recorded: late, so a correction."""
    plan = adopted(app)
    send(app, "record_kontrollresultat", OWNER_2, **result(plan, date(2027, 4, 30)))
    beslut = decide(app, "ks", DECIDED, number="5")
    fields = {"plan_id": plan, "control": 2, "owner": OWNER_1, "beslut_id": beslut, "handed_over_on": FROM}

    late = refused(app, "hand_over_control", "ks", **fields)

    assert (late.rule, late.field) == ("datumordning", "beslut")
    assert "Beslutet, daterat 2027-03-15, ligger före postens senaste händelse, daterad 2027-04-30." in str(
        late
    )
    assert send(app, "hand_over_control", "ks", **fields, correction="Beslutet registrerades sent.").recorded


def test_a_second_hand_over_decided_later_passes_the_control_on_from_its_own_day(
    app: Governance, world: World
) -> None:
    """Decided in May, back to internt stöd from 1 November: internt stöd to 31 August, the sector to 31
    October, internt stöd from 1 November; internt stöd's June result is still ordinary."""
    plan = handed_over_ahead(app)
    hand_over(app, plan, decided=date(2027, 5, 10), handed=date(2027, 11, 1), owner=OWNER_2, number="6")

    assert send(app, "record_kontrollresultat", OWNER_2, **result(plan, date(2027, 6, 30))).recorded
    control = plan_of(app).controls[2]
    days = (date(2027, 8, 31), FROM, date(2027, 10, 31), date(2027, 11, 1))
    assert [control.owner_on(day) for day in days] == [OWNER_2, OWNER_1, OWNER_1, OWNER_2]
    assert results_of(app, plan) == [(date(2027, 6, 30), OWNER_2, None)]
