"""A budget decision names its budget year and whether it is the annual budget or a tilläggsbudget."""

from __future__ import annotations

from datetime import date

from unit.governance_world import governance, refused, send

from lerum_flow.domain.beslut import Beslut
from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.relay_routes import beslut_target
from lerum_flow.styrmodell import default_styrmodell

BUDGET = {
    "decided_by": "kf",
    "kind": "budget",
    "diarienummer": "KF 2026/30",
    "paragraf": "§ 21",
    "title": "Tilläggsbudget 2026",
    "decided_on": date(2026, 3, 20),
}


def test_a_tillaggsbudget_is_recorded_with_its_year_and_kind_and_reaches_the_cycle_so() -> None:
    """The event keeps both; the message the årshjul hears carries them on."""
    app = governance()
    outcome = send(app, "take_beslut", "kf", **BUDGET, budget_year=2026, budget_kind="tillaggsbudget")
    taken = next(e for e in app.events_of(outcome.id) if isinstance(e, Beslut.Taken))
    message = BeslutTaget.of(taken, None)
    assert (message.budget_year, message.budget_kind) == (2026, "tillaggsbudget")


def test_a_budget_decision_without_year_or_kind_is_stored_as_before_they_existed() -> None:
    """Neither field is in the stored state while unset, so old and new stores read alike."""
    app = governance()
    outcome = send(app, "take_beslut", "kf", **BUDGET)
    stored = app.recorder.select_events(outcome.id)[0]
    assert b"budget_year" not in stored.state
    assert b"budget_kind" not in stored.state


def test_only_a_budget_decision_names_a_budget_year_and_nothing_is_recorded_otherwise() -> None:
    app = governance()
    refusal = refused(
        app, "take_beslut", "kf", **{**BUDGET, "kind": "ansvarsfrihet"}, budget_kind="tillaggsbudget"
    )
    assert "bara beslut av slaget budget" in str(refusal)


def test_a_budget_year_far_from_the_decision_day_is_refused_and_nothing_is_recorded() -> None:
    app = governance()
    refusal = refused(app, "take_beslut", "kf", **BUDGET, budget_year=2029)
    assert "Budgetåret 2029" in str(refusal)


def test_a_budget_decision_goes_to_the_cycle_of_the_year_it_names() -> None:
    """A tilläggsbudget for this year goes to this year's cycle; one that does not say, to next year's."""
    styrmodell = default_styrmodell()
    kod = styrmodell.kommun.kod
    assert beslut_target(styrmodell, "budget", date(2026, 3, 20), 2026) == f"arshjul-{kod}-2026"
    assert beslut_target(styrmodell, "budget", date(2026, 3, 20)) == f"arshjul-{kod}-2027"
