"""Who may record a command at all: a person only in a position they held that day, never the
auditors, a decision only as its decider, the organisation only from above, and the escalation
process's steps only by the process itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.forordnande import Forordnande, Term
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


# Commands a workflow records carry this prefix and the workflow id as their person: a
# process carrying out a decision, which holds no position (the relay contract uses it too).
PROCESS_PERSON_PREFIX = "temporal:"


def is_process_person(person: str) -> bool:
    return person.startswith(PROCESS_PERSON_PREFIX)


def check_holds_position(found: Forordnande | None, *, position: str, person: str, on: date) -> Term:
    """The term in which `person` held `position` on `on`; refuse a person who held none that day.

    An ersättare holds the organ's position for the term too: the law lets one
    serve whenever a ledamot cannot, and who was absent at a meeting is in its
    minutes, not in this record; the event names the person, so an auditor sees
    an ersättare acted.
    """
    term = found.held_on(on) if found is not None else None
    if term is not None:
        return term
    day = on.isoformat()
    # A term ended on its first day (recorded in error, annulled) was never held.
    held = [t for t in found.terms if t.ends is None or t.ends > t.valid_from] if found is not None else []
    if not held:
        why = f"{person} har inget förordnande som '{position}'"
    elif on < held[0].valid_from:
        why = f"{person} är förordnad som '{position}' först från {held[0].valid_from.isoformat()}"
    else:
        last_day = max(t.ends for t in held if t.ends is not None and t.ends <= on) - timedelta(days=1)
        why = f"{person} var förordnad som '{position}' till och med {last_day.isoformat()}"
    raise NotPermitted(
        f"{why} och får inte handla som '{position}' den {day}.",
        field="person",
        rule="ej_forordnad",
    )
