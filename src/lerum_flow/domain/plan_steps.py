"""Which recorded decision answers a step of a plan (a decision an organ owes by a date)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from lerum_flow.domain.values import BudgetKind


class Decided(Protocol):
    """A decision as recorded: its kind, its organ, its day, and the event that recorded it.

    A budget decision may name its budget year and whether it is the annual
    budget or a tilläggsbudget; one recorded before it could (None) is read as
    the annual budget for the year after it was decided, as it was then.
    """

    @property
    def kind(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def decided_on(self) -> date: ...
    @property
    def event_id(self) -> str: ...
    @property
    def budget_year(self) -> int | None: ...
    @property
    def budget_kind(self) -> str | None: ...


class Owed(Protocol):
    """A decision a plan asks for: of which kind, by which organ, from which day.

    A budget step names the budget year it asks the annual budget for; a step
    planned before steps did (None) takes any budget decision in its window.
    A step for one period (a nämnd's delårsrapport) ends its window on the last
    day a decision answers it (`not_after`); None: open-ended, as before.
    """

    @property
    def kind(self) -> str: ...
    @property
    def organ(self) -> str: ...
    @property
    def not_before(self) -> date: ...
    @property
    def budget_year(self) -> int | None: ...
    @property
    def not_after(self) -> date | None: ...


TDecided = TypeVar("TDecided", bound=Decided)


def budget_year_of(decision: Decided) -> int:
    """The year a budget decision budgets for: as it says, else the year after it was taken."""
    return decision.budget_year if decision.budget_year is not None else decision.decided_on.year + 1


def is_annual_budget(decision: Decided) -> bool:
    """An annual budget, not a tilläggsbudget (a decision that does not say is an annual budget)."""
    return decision.budget_kind in (None, str(BudgetKind.ARSBUDGET))


def opens_after_budget(not_before: date, deadline: date, budget: Decided | None) -> date:
    """The first day a decision answers a step owed after KF's budget (a nämnd's verksamhetsplan):
    the budget's day; without a budget, none before the deadline has passed."""
    opens = budget.decided_on if budget is not None else deadline + timedelta(days=1)
    return max(not_before, opens)


def answers(decision: Decided, step: Owed) -> bool:
    """Right kind, right organ, within the window; for a budget year, that year's annual budget."""
    if (
        decision.kind != step.kind
        or decision.decided_by != step.organ
        or decision.decided_on < step.not_before
        or (step.not_after is not None and decision.decided_on > step.not_after)
    ):
        return False
    if step.budget_year is None:
        return True
    return is_annual_budget(decision) and budget_year_of(decision) == step.budget_year


def answering_decision(decisions: Iterable[TDecided], step: Owed) -> TDecided | None:
    """The first decision that answers a step.

    Ties on the day go to the decision recorded first, so every reader picks the same one.
    """
    candidates = [d for d in decisions if answers(d, step)]
    return min(candidates, key=lambda d: (d.decided_on, d.event_id), default=None)


class StepOutcome(StrEnum):
    """How a dated step of the calendar stands on a day, as a person reads it."""

    IN_TIME = "i tid"
    LATE = "för sent"
    MISSED = "missad"
    COMING = "kommande"


def outcome_of(by: date, answered_on: date | None, on: date) -> StepOutcome:
    """Answered by its last day or after it; not answered and past it (missed), or not yet due."""
    if answered_on is not None:
        return StepOutcome.IN_TIME if answered_on <= by else StepOutcome.LATE
    return StepOutcome.MISSED if by < on else StepOutcome.COMING
