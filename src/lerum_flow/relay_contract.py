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

from lerum_flow.domain.acting import PROCESS_PERSON_PREFIX

# Commands recorded by a workflow carry this prefix and the workflow id as the
# acting "person": the record then says which process acted (a process holds no
# förordnande, see `domain.acting`), and the relay knows where a later report on
# an uppdrag the workflow issued belongs.
SYSTEM_PERSON_PREFIX = PROCESS_PERSON_PREFIX

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


class BeslutTaget(_Message):
    """A decision was recorded; `event_id` makes a repeated delivery recognisable."""

    event_id: str
    notification_id: int | None = None
    beslut_id: UUID
    kind: str
    decided_by: str
    decided_on: date

    @classmethod
    def of(cls, event: RecordedBeslut, notification_id: int | None) -> BeslutTaget:
        return cls(
            event_id=event_id(event.originator_id, event.originator_version),
            notification_id=notification_id,
            beslut_id=event.originator_id,
            kind=event.kind,
            decided_by=event.decided_by,
            decided_on=event.effective_on,
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


def system_person(workflow_id: str) -> str:
    return SYSTEM_PERSON_PREFIX + workflow_id


def workflow_of(person: str) -> str | None:
    """The workflow that recorded a command, if a workflow did."""
    if person.startswith(SYSTEM_PERSON_PREFIX):
        return person.removeprefix(SYSTEM_PERSON_PREFIX)
    return None
