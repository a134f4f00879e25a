"""Commands: what a person or a workflow asks of the governance record, validated at the edge.

Each command is one pydantic model; its field titles are the Swedish names a
user sees in messages. A command may carry its own id; otherwise one is
derived from its content, so that sending the same command twice records it
once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypedDict, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import AvvikelseSubject, BudgetKind, UppdragKind, derive_id
from lerum_flow.field_types import Code, Day, Line, Name, OptionalText, PersonId, ShortLine, Text
from lerum_flow.validation_messages import describe_errors, own_rule, summarise

# Every text field is one of the field types: one line (codes, titles, names) or
# several (descriptions, reasons, report texts); every date field is a Day.

TModel = TypeVar("TModel", bound=BaseModel)
P = ParamSpec("P")

# Fields added to commands after commands were recorded; left out of a derived id while unset.
LATER_COMMAND_FIELDS = ("correction", "budget_year", "budget_kind", "report_digest")


class Acting(TypedDict):
    """Who asks: the fields every command starts with, given to its typed constructor as
    `**acting` so that mypy checks the command's own fields by name."""

    actor: str
    person: str


class Command(BaseModel):
    """Who asks, and the optional id that makes a retry recognisable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Code = Field(title="as")
    # A pseudonymous id, never a name: event payloads are public records kept for
    # decades, so names live in a directory that can change (docs/arkitektur.md, "Personal data").
    person: PersonId = Field(title="person")
    command_id: UUID | None = Field(default=None, title="command-id")
    secrecy: ShortLine = Field(default="", title="secrecy")
    # The workflow recording the command in the actor's name (its id); None for a person.
    process: Code | None = Field(default=None, title="process")
    # A correction's reason: allows a date before the record's latest event (domain/aggregate.py).
    correction: ShortLine | None = Field(default=None, title="rattelse")

    def derived_command_id(self) -> UUID:
        if self.command_id is not None:
            return self.command_id
        # Who records a command is not what it asks: the process is left out, as before it existed;
        # so is a later field while unset, so a command without it keeps the id it had.
        unset_later = {name for name in LATER_COMMAND_FIELDS if getattr(self, name, None) is None}
        payload = self.model_dump_json(exclude={"command_id", "process", *unset_later})
        return derive_id("kommando", type(self).__name__, payload)


def parse_command(command_class: Callable[P, TModel], *args: P.args, **fields: P.kwargs) -> TModel:
    """Build a command with its typed constructor (mypy checks the field names), turning every
    validation error into one Swedish refusal."""
    try:
        return command_class(*args, **fields)
    except ValidationError as error:
        model = command_class if isinstance(command_class, type) else None
        problems = describe_errors(error, model)
        field, message = summarise(problems)
        raise InvalidInput(
            message, field=field, rule=own_rule(error) or "ogiltigt_varde", problems=problems
        ) from None


class DirectoryPerson(BaseModel):
    """A person id in the person directory, which keeps names beside the events."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: PersonId = Field(title="PERSON")


class DirectoryEntry(DirectoryPerson):
    """The name to show for a pseudonymous person id."""

    name: Name = Field(title="name")


class EstablishBefattning(Command):
    code: Code = Field(title="id", pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: Line = Field(title="name")
    kind: Code = Field(title="kind")
    parent: Code = Field(title="parent")
    established_on: Day = Field(title="date")


class DiscontinueBefattning(Command):
    """An established position ceases to exist from `discontinued_on` (its first day gone)."""

    code: Code = Field(title="id")
    reason: Text = Field(title="reason")
    discontinued_on: Day = Field(title="date")


class TakeBeslut(Command):
    decided_by: Code = Field(title="organ")
    # An engine kind (BeslutKind) or one of the styrmodell's document types: the model says which
    # (lerum_flow.styrmodell.decision_kinds), so the command takes the code as given.
    kind: Code = Field(title="kind")
    diarienummer: Code = Field(title="diarienummer")
    paragraf: ShortLine = Field(default="", title="paragraf")
    title: Line = Field(title="title")
    decided_on: Day = Field(title="date")
    matter: ShortLine = Field(default="", title="matter")
    delegering_id: UUID | None = Field(default=None, title="delegering")
    # A budget decision's budget year and whether it is the annual budget or a tilläggsbudget.
    budget_year: int | None = Field(default=None, title="budgetar", ge=1900, le=2999)
    budget_kind: BudgetKind | None = Field(default=None, title="tillaggsbudget")
    # The sha256 of the report draft (`rapport ... --registrera`) that the decision adopts.
    report_digest: ShortLine | None = Field(default=None, title="rapport-digest")

    def beslut_id(self) -> UUID:
        return derive_id(
            "beslut", self.decided_by, self.diarienummer, self.paragraf, self.decided_on.isoformat()
        )


class RecordRapportutkast(Command):
    """A report's draft was made from the record: which report, its sha256, and what it was made from."""

    report: Code = Field(title="rapport")
    title: Line = Field(title="title")
    digest: ShortLine = Field(title="digest")
    log_position: int = Field(title="position", ge=0)
    as_of: Day = Field(title="as-of")
    known_on: Day | None = Field(default=None, title="known-on")
    made_on: Day = Field(title="date")


class AdoptStyrmodell(Command):
    """The styrmodell given beside the command governs the store from `effective_from`."""

    effective_from: Day = Field(title="from")
    beslut_id: UUID | None = Field(default=None, title="beslut")


class CorrectBeslut(Command):
    beslut_id: UUID = Field(title="beslut")
    diarienummer: Code = Field(title="diarienummer")
    paragraf: ShortLine = Field(default="", title="paragraf")
    title: Line = Field(title="title")
    reason: Text = Field(title="reason")
    corrected_on: Day = Field(title="date")


class ReportBeslut(Command):
    """Anmälan of a delegated decision to the delegating organ."""

    beslut_id: UUID = Field(title="beslut")
    minutes_paragraf: ShortLine = Field(default="", title="paragraf")
    reported_on: Day = Field(title="date")


class GrantDelegering(Command):
    delegates: list[Code] = Field(title="to", min_length=1)
    matter: Code = Field(title="matter")
    beslut_id: UUID = Field(title="beslut")
    urgent: bool = Field(default=False, title="urgent")
    parent_delegering_id: UUID | None = Field(default=None, title="under")
    valid_from: Day = Field(title="valid-from")
    conditions: OptionalText = Field(default="", title="conditions")


class RevokeDelegering(Command):
    delegering_id: UUID = Field(title="delegering")
    reason: Text = Field(title="reason")
    beslut_id: UUID | None = Field(default=None, title="beslut")
    valid_from: Day = Field(title="valid-from")


class IssueUppdrag(Command):
    kind: UppdragKind = Field(default=UppdragKind.UPPDRAG, title="kind")
    recipient: Code = Field(title="to")
    title: Line = Field(title="title")
    description: OptionalText = Field(default="", title="description")
    due: Day | None = Field(default=None, title="due")
    origin_beslut_id: UUID | None = Field(default=None, title="beslut")
    parent_id: UUID | None = Field(default=None, title="part-of")
    issued_on: Day = Field(title="date")
    key: ShortLine = Field(default="", title="key")

    def uppdrag_id(self) -> UUID:
        origin = str(self.parent_id or self.origin_beslut_id or "")
        return derive_id("uppdrag", self.actor, self.recipient, self.key or self.title, origin)


class UppdragCommand(Command):
    uppdrag_id: UUID = Field(title="uppdrag")
    on: Day = Field(title="date")


class AcceptUppdrag(UppdragCommand):
    pass


class ReportUppdrag(UppdragCommand):
    assessment: Code = Field(title="assessment")
    text: Text = Field(title="text")
    period: ShortLine = Field(default="", title="period")


class AcceptReport(UppdragCommand):
    comment: OptionalText = Field(default="", title="comment")


class ReturnReport(UppdragCommand):
    reason: Text = Field(title="reason")


class ReviseUppdrag(UppdragCommand):
    title: ShortLine = Field(default="", title="title")
    description: OptionalText | None = Field(default=None, title="description")
    due: Day | None = Field(default=None, title="due")
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
    occurred_on: Day = Field(title="date")
    key: ShortLine = Field(default="", title="key")

    def avvikelse_id(self) -> UUID:
        return derive_id("avvikelse", self.actor, self.key or self.description, self.occurred_on.isoformat())


class AvvikelseCommand(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    on: Day = Field(title="date")


class AssessAvvikelse(AvvikelseCommand):
    severity: Code = Field(title="severity")
    reason: Text = Field(title="reason")


class AcknowledgeAvvikelse(AvvikelseCommand):
    pass


class EscalateAvvikelse(AvvikelseCommand):
    to_level: ShortLine = Field(default="", title="to")
    reason: OptionalText = Field(default="", title="reason")


class DecideAction(AvvikelseCommand):
    action: Text = Field(title="action")


class CloseAvvikelse(AvvikelseCommand):
    resolution: Text = Field(title="description")


# --- commands of the escalation process ----------------------------------------
# Recorded by a workflow, not a person: the actor is the process itself, the
# command names the workflow in `process`, and the command id is always the
# workflow's own deterministic one (uuid5 of workflow id and step).

PROCESS_ACTOR = "system"


class MissAcknowledgementDeadline(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    level: Code = Field(title="level")
    deadline: datetime = Field(title="deadline")


class InformLevel(Command):
    avvikelse_id: UUID = Field(title="avvikelse")
    level: Code = Field(title="level")
    on: Day = Field(title="date")


# --- förordnanden: who holds which position ------------------------------------------
# The appointee is a pseudonymous id like `person`, never a name.


class IntroduceRegister(Command):
    """The introduction of the register: fullmäktige's first sekreterare, once per store."""

    appointee: PersonId = Field(title="PERSON")
    valid_from: Day = Field(title="valid-from")


class Appoint(Command):
    position: Code = Field(title="position")
    appointee: PersonId = Field(title="PERSON")
    role: ShortLine = Field(default="", title="role")
    valid_from: Day = Field(title="valid-from")
    valid_until: Day | None = Field(default=None, title="valid-until")
    decided_on: Day = Field(title="date")
    beslut_id: UUID | None = Field(default=None, title="beslut")
    bevis: ShortLine = Field(default="", title="bevis")


class EndForordnande(Command):
    position: Code = Field(title="position")
    appointee: PersonId = Field(title="PERSON")
    valid_until: Day = Field(title="valid-until")
    reason: Text = Field(title="reason")
    decided_on: Day = Field(title="date")
    beslut_id: UUID | None = Field(default=None, title="beslut")
