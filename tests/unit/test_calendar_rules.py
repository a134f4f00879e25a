"""The law's limits on the yearly calendar, the report policy, and which decision answers a plan step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.calendar_law import (
    ansvarsfrihet_by,
    arsredovisning_by,
    budget_by,
    delarsrapport_by,
    months_after,
)
from lerum_flow.domain.plan_steps import answering_decision, opens_after_budget
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.styrmodell.report_policy import avvikelse_category, monthly_areas, monthly_deadline


def test_a_styrmodell_may_set_earlier_dates_than_the_law_but_never_later() -> None:
    """Each limit keeps an earlier date of the styrmodell and cuts a later one to the law's."""
    assert budget_by(date(2027, 6, 30)) == date(2027, 6, 30)
    assert budget_by(date(2027, 12, 15)) == date(2027, 11, 30)
    assert arsredovisning_by(date(2028, 5, 1)) == date(2028, 4, 15)
    assert ansvarsfrihet_by(date(2028, 8, 31)) == date(2028, 6, 30)
    assert ansvarsfrihet_by(date(2028, 5, 31)) == date(2028, 5, 31)


def test_the_delarsrapport_is_due_two_months_after_its_period_at_the_latest() -> None:
    """A period ending 31 August gives 31 October, whatever later date the styrmodell names."""
    assert delarsrapport_by(date(2027, 11, 30), date(2027, 8, 31)) == date(2027, 10, 31)
    assert delarsrapport_by(date(2027, 10, 15), date(2027, 8, 31)) == date(2027, 10, 15)


def test_months_after_keeps_a_month_end_a_month_end() -> None:
    """The last day of a month stays the last day; another day stays that day where it exists."""
    assert months_after(date(2027, 8, 31), 2) == date(2027, 10, 31)
    assert months_after(date(2027, 6, 30), 2) == date(2027, 8, 31)
    assert months_after(date(2027, 12, 15), 2) == date(2028, 2, 15)
    assert months_after(date(2027, 12, 30), 2) == date(2028, 2, 29)


def test_the_deepest_level_reports_first_and_a_short_month_keeps_its_last_day() -> None:
    """Edges report on the 10th, 20th and 28th; any edge after the third on the 28th too."""
    assert [monthly_deadline(2027, 3, rank).day for rank in range(4)] == [10, 20, 28, 28]
    assert monthly_deadline(2027, 2, 2) == date(2027, 2, 28)


def test_the_economy_every_month_and_operations_and_quality_in_turn() -> None:
    """Every follow-up month covers the economy and one of the two other areas, alternating."""
    assert monthly_areas(0) == ["ekonomi", "verksamhet"]
    assert monthly_areas(1) == ["ekonomi", "kvalitet"]


def test_a_deviation_the_cycle_records_is_filed_under_operations() -> None:
    """Lerum's styrmodell has the category, so the cycle's own deviations go there."""
    assert avvikelse_category(default_styrmodell()) == "verksamhet"


@dataclass(frozen=True)
class Decision:
    kind: str
    decided_by: str
    decided_on: date
    event_id: str
    budget_year: int | None = None
    budget_kind: str | None = None


@dataclass(frozen=True)
class Owed:
    kind: str
    organ: str
    not_before: date
    budget_year: int | None = None
    not_after: date | None = None


def test_a_step_owed_after_the_budget_opens_on_the_budgets_day_and_never_without_one() -> None:
    budget = Decision("budget", "kf", date(2027, 11, 18), "b")
    assert opens_after_budget(date(2027, 1, 1), date(2027, 12, 20), budget) == date(2027, 11, 18)
    assert opens_after_budget(date(2027, 1, 1), date(2027, 12, 20), None) == date(2027, 12, 21)


def test_a_step_for_one_period_is_answered_only_within_it() -> None:
    """A decision after the step's last day (the next period's report) does not answer it."""
    step = Owed("delarsrapport", "un", date(2028, 5, 1), not_after=date(2028, 8, 31))
    late = Decision("delarsrapport", "un", date(2028, 9, 28), "late")
    within = Decision("delarsrapport", "un", date(2028, 8, 31), "within")
    assert answering_decision([late], step) is None
    assert answering_decision([late, within], step) == within


def test_the_first_decision_of_the_right_kind_organ_and_window_answers_a_step() -> None:
    """Decisions of another kind, by another organ or before the window do not count."""
    step = Owed("budget", "kf", date(2027, 1, 1))
    decisions = [
        Decision("budget", "kf", date(2026, 11, 20), "a"),
        Decision("budget", "ks", date(2027, 3, 1), "b"),
        Decision("verksamhetsplan", "kf", date(2027, 3, 1), "c"),
        Decision("budget", "kf", date(2027, 6, 20), "e"),
        Decision("budget", "kf", date(2027, 6, 20), "d"),
        Decision("budget", "kf", date(2027, 6, 25), "f"),
    ]
    assert answering_decision(decisions, step) == decisions[4]
    assert answering_decision(decisions[:3], step) is None


def test_only_the_annual_budget_for_the_steps_year_answers_a_budget_step() -> None:
    """A tilläggsbudget in March, or a budget for another year, leaves the budget step unanswered."""
    step = Owed("budget", "kf", date(2026, 1, 1), budget_year=2027)
    tillagg = Decision("budget", "kf", date(2026, 3, 20), "a", budget_year=2026, budget_kind="tillaggsbudget")
    tillagg_next = Decision(
        "budget", "kf", date(2026, 3, 21), "b", budget_year=2027, budget_kind="tillaggsbudget"
    )
    this_year = Decision("budget", "kf", date(2026, 4, 1), "c", budget_year=2026, budget_kind="arsbudget")
    annual = Decision("budget", "kf", date(2026, 6, 15), "d", budget_year=2027, budget_kind="arsbudget")
    assert answering_decision([tillagg, tillagg_next, this_year], step) is None
    assert answering_decision([tillagg, tillagg_next, this_year, annual], step) == annual


def test_a_budget_decision_that_does_not_say_is_the_annual_budget_for_the_year_after() -> None:
    """Decisions recorded before they named year and kind are read as they were then."""
    step = Owed("budget", "kf", date(2026, 1, 1), budget_year=2027)
    assert answering_decision([Decision("budget", "kf", date(2026, 6, 15), "a")], step) is not None
    assert answering_decision([Decision("budget", "kf", date(2025, 12, 1), "b")], step) is None


def test_a_step_planned_before_steps_named_their_year_takes_any_budget_in_its_window() -> None:
    """A plan recorded in an older history has no budget year; it replays as it ran."""
    step = Owed("budget", "kf", date(2026, 1, 1))
    tillagg = Decision("budget", "kf", date(2026, 3, 20), "a", budget_year=2026, budget_kind="tillaggsbudget")
    assert answering_decision([tillagg], step) == tillagg
