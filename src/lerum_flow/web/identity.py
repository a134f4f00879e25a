"""Who is asking: a person logged in (session or bearer token) with the positions they hold on
the day, a system client with its scopes, or nobody.

The token's subject is the pseudonymous person id the events carry; a name
never passes through here. What a person may do is not decided here: the
positions come from the register of förordnanden, and every command is checked
by `Governance` against the position it is recorded in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lerum_flow.appointments import Holding
from lerum_flow.domain.acting import check_not_auditor, is_process_person
from lerum_flow.domain.errors import NotPermitted, Refusal
from lerum_flow.domain.styrkedja import is_auditor
from lerum_flow.web.config import READ_SCOPE
from lerum_flow.web.problems import NotLoggedIn
from lerum_flow.web.record import WebRecord


@dataclass(frozen=True)
class Caller:
    """The one asking, as the identity provider vouched for them."""

    subject: str | None = None
    # A system client's scopes; empty for a person.
    scopes: frozenset[str] = frozenset()
    client: bool = False

    @property
    def anonymous(self) -> bool:
        return self.subject is None


def person_of(caller: Caller) -> str:
    """The person a command is recorded for; refuse nobody, and a system client."""
    if caller.subject is None:
        raise NotLoggedIn("Logga in för att fortsätta.", rule="inloggning_kravs")
    if caller.client:
        raise NotPermitted(
            "En systemklient läser men handlar aldrig i en persons namn.", field="token", rule="systemklient"
        )
    if is_process_person(caller.subject):
        raise NotPermitted(
            "Inloggningen gav ett id som hör till arbetsflödena, inte till en person.",
            field="token",
            rule="processens_id",
        )
    return caller.subject


def positions_held(
    record: WebRecord, caller: Caller, on: date, known_until: datetime | None = None
) -> list[Holding]:
    """The positions the person held on `on` (as recorded before `known_until`); refuse one who held
    none (nothing to act or read as)."""
    person = person_of(caller)
    held = record.held_by(person, on, known_until)
    if not held:
        raise NotPermitted(
            f"{person} innehar ingen befattning den {on.isoformat()} och kan inte se eller göra något här.",
            field="person",
            rule="ingen_befattning",
        )
    return held


def check_may_read(record: WebRecord, caller: Caller, on: date) -> None:
    """A person holding a position that day, or a system client with the read scope, may read."""
    if caller.client:
        if READ_SCOPE not in caller.scopes:
            raise NotPermitted(
                f"Klientens token saknar behörigheten '{READ_SCOPE}'.", field="token", rule="scope_saknas"
            )
        return
    positions_held(record, caller, on)


def check_may_act(record: WebRecord, caller: Caller, on: date) -> list[str]:
    """The positions a person may act in on `on`: a revisor, whose every position is an auditor's, is
    refused here as `Governance` would refuse each command (revisorer only read)."""
    held = [h.position for h in positions_held(record, caller, on)]
    with record.lock:
        acting = [p for p in held if not _auditor(record, p)]
    if not acting:
        check_not_auditor(True)
    return acting


def _auditor(record: WebRecord, position: str) -> bool:
    try:
        return is_auditor(record.governance.position(position), record.governance.position)
    except Refusal:  # a position no longer in the chain acts in nothing
        return True
