"""The API's models of the registers: decisions, delegations, and what a position could decide."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from lerum_flow.web.models import BeslutOut, Body, HistoryOut, Paging


class TakeBeslutBody(Body):
    organ: str = Field(description="Organet som beslutar (eller delegaten, med delegering).")
    kind: str = Field(description="Slag av beslut, t.ex. budget, delegationsordning, eller en dokumenttyp.")
    diarienummer: str = Field(description="Diarienummer, t.ex. 'KS 2027/12'.")
    paragraf: str = Field(default="", description="Paragraf i protokollet, t.ex. '§ 5'.")
    title: str = Field(description="Beslutets rubrik.")
    matter: str = Field(default="", description="Beslutsområde i styrmodellen, t.ex. budget.")
    delegering: str | None = Field(default=None, description="Delegeringen beslutet fattas med stöd av.")
    budgetar: int | None = Field(default=None, description="Budgetåret; standard året efter beslutsdagen.")
    tillaggsbudget: bool = Field(default=False, description="En tilläggsbudget, inte årsbudgeten.")
    acting_as: str | None = Field(default=None, alias="as", description="Befattningen du handlar i.")
    date: str | None = Field(default=None, description="Beslutsdagen, ÅÅÅÅ-MM-DD; standard i dag.")


class GrantDelegeringBody(Body):
    to: str = Field(description="Delegaten (lagen tillåter exakt en).")
    matter: str = Field(description="Beslutsområdet som delegeras.")
    beslut: str = Field(description="Beslutet om delegationsordning eller reglemente.")
    under: str | None = Field(default=None, description="Vidaredelegation under denna delegering.")
    urgent: bool = Field(default=False, description="Brådskande ärenden (bara till ordföranden).")
    conditions: str = ""
    acting_as: str | None = Field(default=None, alias="as", description="Befattningen du delegerar i.")
    valid_from: str | None = Field(
        default=None, alias="valid-from", description="Första dagen; standard i dag."
    )


class RevokeDelegeringBody(Body):
    reason: str = Field(description="Varför delegeringen återkallas.")
    beslut: str | None = Field(default=None, description="Beslutet om återkallelse, om ett finns.")
    valid_from: str | None = Field(
        default=None, alias="valid-from", description="Från den dagen; standard i dag."
    )


class BeslutRegister(BaseModel):
    datum: date
    kant_per: date | None
    beslut: list[BeslutOut]
    sida: Paging


class DelegeringOut(BaseModel):
    id: UUID
    granted_by: str
    delegate: str
    matter: str
    urgent: bool
    beslut_id: UUID
    parent_id: UUID | None
    conditions: str
    valid_from: date
    valid_until: date | None
    revocation_reason: str
    i_kraft: bool = Field(description="I kraft den dag svaret gäller, med hela sin kedja.")
    beslut: BeslutOut | None


class DelegeringRegister(BaseModel):
    datum: date | None = Field(description="Dagen registret gäller; null: alla delegeringar.")
    kant_per: date | None
    delegeringar: list[DelegeringOut]
    sida: Paging


class ChainLinkOut(BaseModel):
    delegering: DelegeringOut
    i_kraft: bool


class AuthorityItemOut(BaseModel):
    beslutsomrade: str
    egen: bool = Field(description="Befattningen har beslutanderätten själv (reglemente).")
    giltig: bool
    innehavare: str
    organ: str
    bruten_lank: str | None = Field(description="Varför kedjan är bruten den dagen, om den är det.")
    kedja: list[ChainLinkOut]


class AuthorityOut(BaseModel):
    befattning: str
    datum: date
    kant_per: date | None
    rot: str = Field(description="Organet överst i styrkedjan (fullmäktige).")
    forordnade: list[str] = Field(description="De personer som innehade befattningen den dagen.")
    beslutanderatt: list[AuthorityItemOut]
    inrattad_fran: date | None = Field(
        default=None,
        description="Dagen befattningen inrättades från, om den inte fanns den dag frågan gäller "
        "(inrättad senare, eller som det var känt då inte inrättad).",
    )
    ej_inrattad: str | None = Field(
        default=None, description="Varför befattningen inte fanns den dagen, om den inte gjorde det."
    )


class RecordHistory(BaseModel):
    id: UUID
    historik: list[HistoryOut]
