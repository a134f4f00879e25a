"""What the relay and the Temporal workflows agree on: workflow ids, signal names, messages.

It lives in the engine (not in `workflows/`) because the relay, which is part
of the engine, must not import the workflows; the workflows import this.
Messages are pydantic models: fields may be added, never renamed, since
running workflows hold them in their histories.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict

# How a workflow signs what it records, and how a reader tells: part of the contract,
# kept in a module of its own that readers of the record import without pydantic.
from lerum_flow.acting_process import (
    SYSTEM_PERSON_PREFIX,
    RecordedEvent,
    acting_process,
    system_person,
)

__all__ = ["SYSTEM_PERSON_PREFIX", "RecordedEvent", "acting_process", "system_person"]

SIGNAL_BESLUT = "beslut"
SIGNAL_RAPPORT = "rapport"
SIGNAL_AVVIKELSE = "avvikelse"

WORKFLOW_ARSHJUL = "Arshjul"
WORKFLOW_MANDATPERIOD = "Mandatperiod"
WORKFLOW_UPPFOLJNING = "Uppfoljning"
WORKFLOW_ESKALERING = "Eskalering"


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class RecordedBeslut(Protocol):
    """What a message needs of a recorded Beslut.Taken event (the domain is not imported here)."""

    @property
    def originator_id(self) -> UUID: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def effective_on(self) -> date: ...
    @property
    def budget_year(self) -> int | None: ...
    @property
    def budget_kind(self) -> str | None: ...


class BeslutTaget(_Message):
    """A decision was recorded; `event_id` makes a repeated delivery recognisable."""

    event_id: str
    notification_id: int | None = None
    beslut_id: UUID
    kind: str
    decided_by: str
    decided_on: date
    # What a budget decision says of itself (None: not said, see domain.plan_steps).
    budget_year: int | None = None
    budget_kind: str | None = None

    @classmethod
    def of(cls, event: RecordedBeslut, notification_id: int | None) -> BeslutTaget:
        return cls(
            event_id=event_id(event.originator_id, event.originator_version),
            notification_id=notification_id,
            beslut_id=event.originator_id,
            kind=event.kind,
            decided_by=event.decided_by,
            decided_on=event.effective_on,
            budget_year=event.budget_year,
            budget_kind=event.budget_kind,
        )


class RapportInkommen(_Message):
    """A recipient reported on an uppdrag (its återrapportering)."""

    event_id: str
    notification_id: int | None = None
    uppdrag_id: UUID
    reported_by: str
    reported_on: date
    period: str = ""


class EskaleringStart(_Message):
    """What the relay starts an escalation with; the workflow's own input extends it."""

    avvikelse_id: UUID


class AvvikelseAndrad(_Message):
    """A person acted on a deviation (acknowledged, assessed, escalated or closed it).

    The escalation reads the deviation afresh from the store on it; `version`
    lets it ignore what it has already read.
    """

    event_id: str
    notification_id: int | None = None
    avvikelse_id: UUID
    version: int
    what: str


def event_id(originator_id: UUID, originator_version: int) -> str:
    """The stable identity of one stored event, the same whoever reads it."""
    return f"{originator_id}:{originator_version}"


def arshjul_workflow_id(kommunkod: str, budget_year: int) -> str:
    return f"arshjul-{kommunkod}-{budget_year}"


def mandatperiod_workflow_id(kommunkod: str, election_year: int) -> str:
    return f"mandatperiod-{kommunkod}-{election_year}"


def uppfoljning_workflow_id(kommunkod: str, budget_year: int, period: str, led: str) -> str:
    return f"uppfoljning-{kommunkod}-{budget_year}-{period}-{led}"


def eskalering_workflow_id(avvikelse_id: UUID) -> str:
    return f"eskalering-{avvikelse_id}"
