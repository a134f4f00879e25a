"""The API's request and response models: what the OpenAPI document publishes.

Request fields are named as the command line's options (`to`, `title`,
`part-of`, `as`, `date`), which are the titles of the commands' own fields: a
refusal names the field the same way whichever door it came through. They are
taken as text and validated by the commands themselves, so the message is the
one the command line gives.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class IssueUppdragBody(Body):
    to: str = Field(description="Mottagarens befattning.")
    title: str = Field(description="Vad som ska uppnås.")
    description: str = ""
    due: str | None = Field(default=None, description="Slutdatum, ÅÅÅÅ-MM-DD.")
    beslut: str | None = Field(default=None, description="Det politiska beslut uppdraget kommer ur.")
    part_of: str | None = Field(default=None, alias="part-of", description="Uppdraget detta bryter ned.")
    kind: str = Field(default="uppdrag", description="uppdrag eller mal.")
    acting_as: str | None = Field(
        default=None,
        alias="as",
        description=(
            "Befattningen du ger uppdraget i; krävs bara om du innehar flera. Prövas mot förordnandena."
        ),
    )
    date: str | None = Field(default=None, description="Affärsdagen, ÅÅÅÅ-MM-DD; standard i dag.")
    key: str = ""


class DatedBody(Body):
    date: str | None = Field(default=None, description="Affärsdagen, ÅÅÅÅ-MM-DD; standard i dag.")


class ReportUppdragBody(DatedBody):
    assessment: str = Field(description="Bedömning på styrmodellens skala, t.ex. uppfyllt.")
    text: str = Field(description="Återrapporteringen.")
    period: str = ""


class AcceptReportBody(DatedBody):
    comment: str = Field(default="", description="Kommentar till mottagaren.")


class ReturnReportBody(DatedBody):
    reason: str = Field(description="Varför återrapporten återförvisas.")


class BreakDownBody(Body):
    to: str = Field(description="Mottagarens befattning, under din.")
    title: str = Field(description="Vad delen ska uppnå.")
    description: str = ""
    due: str | None = Field(default=None, description="Slutdatum, ÅÅÅÅ-MM-DD.")
    kind: str = Field(default="uppdrag", description="uppdrag eller mal.")
    date: str | None = Field(default=None, description="Affärsdagen, ÅÅÅÅ-MM-DD; standard i dag.")
    key: str = ""


class ReviseUppdragBody(DatedBody):
    title: str = Field(default="", description="Ny rubrik; tomt behåller den.")
    description: str | None = Field(default=None, description="Ny beskrivning; utelämnad behåller den.")
    due: str | None = Field(default=None, description="Nytt slutdatum, ÅÅÅÅ-MM-DD.")
    reason: str = Field(description="Varför uppdraget ändras.")


class CompleteUppdragBody(DatedBody):
    comment: str = Field(default="", description="Kommentar när uppdraget slutförs.")


class WithdrawUppdragBody(DatedBody):
    reason: str = Field(description="Varför uppdraget återkallas.")


class ReportAvvikelseBody(Body):
    about: str = Field(description="Vad avvikelsen gäller: uppdrag, budgetomrade eller handelse.")
    ref: str = Field(description="Uppdragets id, budgetområdet eller händelsen.")
    severity: str = Field(description="Allvarlighetsgrad i styrmodellen, t.ex. storre.")
    category: str = Field(description="Kategori i styrmodellen, t.ex. ekonomi.")
    description: str
    acting_as: str | None = Field(
        default=None, alias="as", description="Befattningen du rapporterar i; krävs bara om du innehar flera."
    )
    date: str | None = Field(
        default=None, description="När avvikelsen inträffade, ÅÅÅÅ-MM-DD; standard i dag."
    )
    key: str = ""


class EscalateBody(DatedBody):
    to: str = Field(default="", description="Nivån att eskalera till; tomt: nivån ovanför.")
    reason: str = ""


class DecideActionBody(DatedBody):
    action: str = Field(description="Den beslutade åtgärden.")


class CloseAvvikelseBody(DatedBody):
    description: str = Field(description="Hur avvikelsen avslutades.")


class CommandResult(BaseModel):
    id: UUID
    registrerad: bool = Field(description="Falskt om samma kommando redan var registrerat.")
    version: int
    meddelande: str
    position: int = Field(description="Händelseloggens position efter kommandot; läs med den som ETag.")


class Paging(BaseModel):
    antal: int = Field(description="Hur många det finns totalt.")
    offset: int
    limit: int
    nasta: int | None = Field(description="Offset för nästa sida; null på sista sidan.")

    @classmethod
    def of(cls, total: int, offset: int, limit: int) -> Paging:
        """The page from `offset` of at most `limit` among `total` rows."""
        return cls(
            antal=total, offset=offset, limit=limit, nasta=offset + limit if offset + limit < total else None
        )


class UppdragOut(BaseModel):
    id: UUID
    kind: str
    giver: str
    recipient: str
    title: str
    description: str
    status: str
    status_text: str
    assessment: str
    period: str
    due: date | None
    issued_on: date
    overdue: bool
    secrecy: str


class HistoryOut(BaseModel):
    version: int
    handelse: str
    registrerad: datetime
    galler_fran: date
    som: str
    person: str
    process: str | None
    detaljer: dict[str, Any]


class UppdragDetail(BaseModel):
    uppdrag: UppdragOut
    historik: list[HistoryOut]
    skala: list[AssessmentOut]


class AssessmentOut(BaseModel):
    kod: str
    namn: str


class UppdragPage(BaseModel):
    uppdrag: list[UppdragOut]
    sida: Paging


class AvvikelseOut(BaseModel):
    id: UUID
    reporter: str
    level: str
    status: str
    status_text: str
    severity: str
    category: str
    description: str
    occurred_on: date
    at_level_since: datetime
    vantat_timmar: float
    kvittens_senast: datetime | None
    kvittens_forsenad: bool


class BeslutOut(BaseModel):
    id: UUID
    decided_by: str
    kind: str
    diarienummer: str
    paragraf: str
    title: str
    decided_on: date
    report_to: str
    matter: str = ""
    delegering_id: UUID | None = None
    ej_anmalt: bool = Field(default=False, description="Ett delegationsbeslut som ännu inte anmälts.")


class Inbox(BaseModel):
    datum: date
    kant_per: date | None
    befattningar: list[str]
    att_ta_emot: list[UppdragOut]
    att_aterrapportera: list[UppdragOut]
    att_granska: list[UppdragOut]
    att_slutfora: list[UppdragOut]
    att_kvittera: list[AvvikelseOut]
    att_anmala: list[BeslutOut] = Field(description="Delegerade beslut som ännu inte anmälts till organet.")


class Board(BaseModel):
    datum: date
    kant_per: date | None
    avvikelser: list[AvvikelseOut]
    sida: Paging


UppdragDetail.model_rebuild()
