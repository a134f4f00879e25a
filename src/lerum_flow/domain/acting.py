"""Who may record a command at all: never the auditors, a decision only as its decider, the
organisation only from above, and the escalation process's steps only by the process itself."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.styrkedja import Position


def check_not_auditor(is_auditor: bool) -> None:
    if is_auditor:
        raise NotPermitted(
            "Revisorerna granskar men beslutar inte: de har bara läsbehörighet.",
            field="as",
            rule="revisorer_laser",
        )


def check_organises_from_above(actor: Position, position: str, is_above: Callable[[str, str], bool]) -> None:
    """Refuse a change to the organisation under `position` by anyone but it or those above it."""
    if actor.id != position and not is_above(actor.id, position):
        raise NotPermitted(
            f"'{actor.id}' står inte över '{position}' i styrkedjan.",
            field="as",
            rule="organisation_ovanifran",
        )


def check_records_for_decider(actor: str, decided_by: str) -> None:
    """Refuse a decision recorded in another position than the one that took it."""
    if actor != decided_by:
        raise NotPermitted(
            f"Beslut av '{decided_by}' registreras som '{decided_by}', inte som '{actor}'.",
            field="as",
            rule="registreras_for_beslutsfattaren",
        )


def check_process_command(actor: str, process_actor: str, command_id: UUID | None) -> UUID:
    """The id of a command of the escalation process; refuse one from a person, or without its id."""
    if actor != process_actor:
        raise NotPermitted(
            "Detta registreras av eskaleringsprocessen, inte av en person.",
            field="as",
            rule="endast_processen",
        )
    if command_id is None:
        raise InvalidInput(
            "Processens kommandon bär alltid sitt eget id (arbetsflöde och steg).",
            field="command-id",
            rule="processens_id",
        )
    return command_id
