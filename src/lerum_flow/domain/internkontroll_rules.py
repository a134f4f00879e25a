"""The rules of internal control that read more than one plan: who holds and drafts a plan, the
risk scale, and from which day a period's results can be reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.styrkedja import Position
from lerum_flow.domain.values import Rapportperiod


def risk_value(probability: int, consequence: int) -> int:
    """The risk value the plan ranks risks by: probability × consequence on the model's scale."""
    return probability * consequence


def check_plan_organ(organ: Position, kinds: Sequence[str]) -> None:
    """Refuse a plan for anyone but an organ of a kind the styrmodell has adopt one."""
    if not organ.is_organ or str(organ.kind) not in kinds:
        raise NotPermitted(
            f"'{organ.id}' ({organ.kind}) antar ingen internkontrollplan; enligt styrmodellen gör "
            f"organ av slagen {', '.join(kinds)} det.",
            field="organ",
            rule="antar_internkontrollplan",
        )


def check_drafter(actor: str, organ: str, *, actor_under_organ: bool) -> None:
    """Refuse drafting a plan by anyone but the organ or a position under it (its förvaltning)."""
    if actor != organ and not actor_under_organ:
        raise NotPermitted(
            f"'{actor}' står inte under {organ}; planen tas fram av organet eller dess förvaltning.",
            field="as",
            rule="organet_eller_dess_forvaltning",
        )


def check_organs_own_decision(organ: str, decided_by: str, delegated: bool, *, done: str) -> None:
    """Refuse a decision that is not `organ`'s own (another's, or one taken on delegation) for what
    only the organ itself decides. `done`: what is done, as the message says it ("Planen antas")."""
    if decided_by != organ or delegated:
        raise NotPermitted(
            f"{done} genom ett beslut av {organ} självt, inte av '{decided_by}'"
            + (" på delegation." if delegated else "."),
            field="beslut",
            rule="organets_eget_beslut",
        )


def check_step(value: int, steps: int, *, field: str, name: str) -> None:
    """Refuse a step outside the model's scale of `steps` steps (1 is the lowest)."""
    if not 1 <= value <= steps:
        raise InvalidInput(
            f"{name} {value} finns inte på styrmodellens skala 1–{steps}.", field=field, rule="riskskala"
        )


def report_not_before(period: Rapportperiod, year: int, delarsperiod_end: date) -> date:
    """The first day a period's results can be reported: the day after the delårsperiod, or after the year."""
    if period is Rapportperiod.DELAR:
        return delarsperiod_end + timedelta(days=1)
    return date(year + 1, 1, 1)
