"""An avvikelse's acknowledgement as every door shows it: who got there first when a second
person acknowledges, and by when the level holding a deviation must acknowledge it.

Shared by the command line and the web, so the refusal a second acknowledger
reads and the deadline on the board are the same wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidState, Refusal
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.frister import acknowledgement_deadline, acknowledgement_time


def acknowledge_naming_the_first(
    settings: Settings,
) -> Callable[[Governance, c.AcknowledgeAvvikelse], Outcome]:
    """Acknowledge; when someone else got there first, say who (by name if the directory has it) and when."""

    def acknowledge(governance: Governance, command: c.AcknowledgeAvvikelse) -> Outcome:
        try:
            return governance.acknowledge_avvikelse(command)
        except InvalidState as refusal:
            if refusal.rule != "redan_kvitterad":
                raise
            raise InvalidState(
                first_acknowledgement(governance, settings, command.avvikelse_id),
                field=refusal.field,
                rule=refusal.rule,
            ) from None

    return acknowledge


def first_acknowledgement(governance: Governance, settings: Settings, avvikelse_id: UUID) -> str:
    first = next(
        e for e in reversed(governance.events_of(avvikelse_id)) if isinstance(e, Avvikelse.Acknowledged)
    )
    # Names come from the changeable directory, never from the events.
    name = PersonDirectory(settings).names().get(first.person)
    who = f"{name} ({first.person})" if name else first.person
    when = first.timestamp.astimezone(MUNICIPAL_TIME)
    return (
        f"Avvikelsen är redan kvitterad på nivån {first.level}: {who} kvitterade först, "
        f"{when:%Y-%m-%d} kl. {when:%H:%M}. Din kvittens behövs inte och registrerades inte."
    )


def acknowledgement_deadlines(
    governance: Governance, styrmodell: Styrmodell
) -> Callable[[AvvikelseRow], datetime | None]:
    """When the level holding a deviation must acknowledge it: the escalation workflow's own rule."""

    @cache
    def allowed(level: str) -> timedelta | None:
        try:
            kind = str(governance.position(level).kind)
        except Refusal:  # a level no longer in the chain has no deadline to show
            return None
        return acknowledgement_time(styrmodell, kind)

    def deadline_of(row: AvvikelseRow) -> datetime | None:
        time_allowed = allowed(row.level)
        return acknowledgement_deadline(row.at_level_since, time_allowed) if time_allowed else None

    return deadline_of
