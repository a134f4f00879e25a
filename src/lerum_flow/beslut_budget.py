"""What a budget decision records of itself (its year and kind), worked out from what a door was given:
the command line's `beslut take` and the web's form and API say it the same way."""

from __future__ import annotations

import contextlib
from typing import Any

from lerum_flow.domain.values import BeslutKind, BudgetKind
from lerum_flow.input_dates import DayError, day_from_text


def budget_fields(
    kind: str, decided_on: str, budget_year: int | None, *, tillaggsbudget: bool
) -> dict[str, Any]:
    """What a budget decision records of itself: its year and kind, said in full.

    Any other decision records them only when asked to, so the command refuses them.
    """
    if kind != str(BeslutKind.BUDGET):
        given = {
            "budget_year": budget_year,
            "budget_kind": BudgetKind.TILLAGGSBUDGET if tillaggsbudget else None,
        }
        return {name: value for name, value in given.items() if value is not None}
    if budget_year is None:
        # A date that is not one is refused by the command itself, with its own message.
        with contextlib.suppress(DayError):
            budget_year = day_from_text(decided_on).year + 1
    return {
        "budget_year": budget_year,
        "budget_kind": BudgetKind.TILLAGGSBUDGET if tillaggsbudget else BudgetKind.ARSBUDGET,
    }


def budget_said(budget: dict[str, Any]) -> str:
    """How the recorded message names a budget decision's year and kind."""
    if budget.get("budget_year") is None:
        return ""
    kind = "tilläggsbudget" if budget.get("budget_kind") is BudgetKind.TILLAGGSBUDGET else "årsbudget"
    return f" ({kind} för {budget['budget_year']})"
