"""Commands: what a person or a workflow asks of the governance record, validated at the edge.

Each command is one pydantic model; its field titles are the Swedish names a
user sees in messages. A command may carry its own id; otherwise one is
derived from its content, so that sending the same command twice records it
once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import AvvikelseSubject, BeslutKind, UppdragKind, derive_id
from lerum_flow.validation_messages import describe_validation_error

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]

TCommand = TypeVar("TCommand", bound="Command")


class Command(BaseModel):
    """Who asks, and the optional id that makes a retry recognisable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Code = Field(title="as")
    # A pseudonymous id, never a name: event payloads are public records kept for
    # decades, so names live in a directory that can change (docs/arkitektur.md, "Personal data").
    person: Code = Field(title="person", pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    command_id: UUID | None = Field(default=None, title="command-id")
    secrecy: ShortText = Field(default="", title="secrecy")

    def derived_command_id(self) -> UUID:
        if self.command_id is not None:
            return self.command_id
        payload = self.model_dump_json(exclude={"command_id"})
        return derive_id("kommando", type(self).__name__, payload)


def parse_command(command_class: type[TCommand], **fields: Any) -> TCommand:
    """Build a command, turning every validation error into one Swedish refusal."""
    try:
        return command_class(**fields)
    except ValidationError as error:
        field, message = describe_validation_error(error, command_class)
        raise InvalidInput(message, field=field, rule="ogiltigt_varde") from None


class EstablishBefattning(Command):
    code: Code = Field(title="id", pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: Text = Field(title="name")
    kind: Code = Field(title="kind")
    parent: Code = Field(title="parent")
    established_on: date = Field(title="date")


class TakeBeslut(Command):
    decided_by: Code = Field(title="organ")
    kind: BeslutKind = Field(title="kind")
    diarienummer: Code = Field(title="diarienummer")
    paragraf: ShortText = Field(default="", title="paragraf")
    title: Text = Field(title="title")
    decided_on: date = Field(title="date")
    matter: ShortText = Field(default="", title="matter")
    delegering_id: UUID | None = Field(default=None, title="delegering")

    def beslut_id(self) -> UUID:
        return derive_id(
            "beslut", self.decided_by, self.diarienummer, self.paragraf, self.decided_on.isoformat()
        )


class CorrectBeslut(Command):
    beslut_id: UUID = Field(title="beslut")
    diarienummer: Code = Field(title="diarienummer")
    paragraf: ShortText = Field(default="", title="paragraf")
    title: Text = Field(title="title")
    reason: Text = Field(title="reason")
    corrected_on: date = Field(title="date")


class ReportBeslut(Command):
    """Anmälan of a delegated decision to the delegating organ."""

    beslut_id: UUID = Field(title="beslut")
    minutes_paragraf: ShortText = Field(default="", title="paragraf")
    reported_on: date = Field(title="date")


class GrantDelegering(Command):
    delegates: list[Code] = Field(title="to", min_length=1)
    matter: Code = Field(title="matter")
    beslut_id: UUID = Field(title="beslut")
    urgent: bool = Field(default=False, title="urgent")
    parent_delegering_id: UUID | None = Field(default=None, title="under")
    valid_from: date = Field(title="valid-from")
    conditions: OptionalText = Field(default="", title="conditions")


class RevokeDelegering(Command):
    delegering_id: UUID = Field(title="delegering")
    reason: Text = Field(title="reason")
    beslut_id: UUID | None = Field(default=None, title="beslut")
    valid_from: date = Field(title="valid-from")


class IssueUppdrag(Command):
    kind: UppdragKind = Field(default=UppdragKind.UPPDRAG, title="kind")
    recipient: Code = Field(title="to")
    title: Text = Field(title="title")
    description: OptionalText = Field(default="", title="description")
    due: date | None = Field(default=None, title="due")
    origin_beslut_id: UUID | None = Field(default=None, title="beslut")
    parent_id: UUID | None = Field(default=None, title="part-of")
    issued_on: date = Field(title="date")
    key: ShortText = Field(default="", title="key")

    def uppdrag_id(self) -> UUID:
        origin = str(self.parent_id or self.origin_beslut_id or "")
        return derive_id("uppdrag", self.actor, self.recipient, self.key or self.title, origin)


class UppdragCommand(Command):
    uppdrag_id: UUID = Field(title="uppdrag")
    on: date = Field(title="date")


class AcceptUppdrag(UppdragCommand):
    pass


class ReportUppdrag(UppdragCommand):
    assessment: Code = Field(title="assessment")
    text: Text = Field(title="text")
    period: ShortText = Field(default="", title="period")


class AcceptReport(UppdragCommand):
    comment: OptionalText = Field(default="", title="comment")


class ReturnReport(UppdragCommand):
    reason: Text = Field(title="reason")


class ReviseUppdrag(UppdragCommand):
    title: ShortText = Field(default="", title="title")
    description: OptionalText | None = Field(default=None, title="description")
    due: date | None = Field(default=None, title="due")
    reason: Text = Field(title="reason")


class CompleteUppdrag(UppdragCommand):
    comment: OptionalText = Field(default="", title="comment")


class WithdrawUppdrag(UppdragCommand):
    reason: Text = Field(title="reason")


class ReportAvvikelse(Command):
    subject_kind: AvvikelseSubject = Field(title="about")
    subject_ref: Code = Field(title="ref")
    severity: Code = Field(title="severity")
    category: Code = Field(title="category")
    description: Text = Field(title="description")
    occurred_on: date = Field(title="date")
    key: ShortText = Field(default="", title="key")

    def avvikelse_id(self) -> UUID:
        return derive_id("avvikelse", self.actor, self.key or self.description, self.occurred_on.isoformat())


class AvvikelseCommand(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    on: date = Field(title="date")


class AssessAvvikelse(AvvikelseCommand):
    severity: Code = Field(title="severity")
    reason: Text = Field(title="reason")


class AcknowledgeAvvikelse(AvvikelseCommand):
    pass


class EscalateAvvikelse(AvvikelseCommand):
    to_level: ShortText = Field(default="", title="to")
    reason: OptionalText = Field(default="", title="reason")


class DecideAction(AvvikelseCommand):
    action: Text = Field(title="action")


class CloseAvvikelse(AvvikelseCommand):
    resolution: Text = Field(title="description")


# --- commands of the escalation process ----------------------------------------
# Recorded by a workflow, not a person: the actor is the process itself and the
# person is the workflow's id, and the command id is always the workflow's own
# deterministic one (uuid5 of workflow id and step).

PROCESS_ACTOR = "system"


class MissAcknowledgementDeadline(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    level: Code = Field(title="level")
    deadline: datetime = Field(title="deadline")


class InformLevel(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    level: Code = Field(title="level")
    on: date = Field(title="date")
