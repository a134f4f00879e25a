"""One record's history as plain entries: what happened, who, when recorded, when effective."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from lerum_flow.acting_process import acting_process

COMMON_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "command_id",
        "actor",
        "person",
        "process",
        "effective_on",
        "secrecy",
        "correction",
    }
)


@dataclass(frozen=True)
class HistoryEntry:
    id: UUID
    version: int
    event: str
    recorded_at: datetime
    effective_on: date
    actor: str
    person: str
    # The workflow that recorded the event, if one did.
    process: str | None
    secrecy: str
    command_id: UUID
    details: dict[str, Any]
    # Why the event is dated before the record's latest one, when it is a correction.
    correction: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "handelse": self.event,
            "registrerad": self.recorded_at.isoformat(),
            "galler_fran": self.effective_on.isoformat(),
            "som": self.actor,
            "person": self.person,
            "process": self.process,
            "sekretess": self.secrecy,
            "kommando_id": str(self.command_id),
            "uppgifter": {k: _plain(v) for k, v in self.details.items()},
            "rattelse": self.correction,
        }


def history_entry(event: Any) -> HistoryEntry:
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
    return HistoryEntry(
        id=event.originator_id,
        version=event.originator_version,
        event=type(event).__qualname__,
        recorded_at=event.timestamp,
        effective_on=event.effective_on,
        actor=event.actor,
        person=event.person,
        process=acting_process(event),
        secrecy=event.secrecy,
        command_id=event.command_id,
        details={k: v for k, v in fields.items() if k not in COMMON_FIELDS},
        correction=getattr(event, "correction", None),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | date | datetime):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
