"""The API's models of the årshjul: the budget years running on a day, and one year's steps with how
each stands."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from lerum_flow.domain.plan_steps import StepOutcome


class ArshjulSteg(BaseModel):
    nyckel: str = Field(description="Stegets nyckel i budgetårets plan, t.ex. budget eller delarsrapport.")
    slag: str = Field(description="beslut, uppdrag, uppfoljning eller rapport.")
    vad: str = Field(description="Vad som ska göras, t.ex. 'Budget 2028'.")
    av: str = Field(description="Befattningen eller organet som är skyldigt steget.")
    till: str = Field(description="Den det är skyldigt; tomt för fullmäktiges egna beslut.")
    fran: date = Field(description="Första dagen steget kan göras.")
    senast: date = Field(description="Sista dagen.")
    passerat: bool = Field(description="Sista dagen ligger före dagen svaret gäller.")
    lage: StepOutcome | None = Field(
        description=(
            "Hur steget står enligt det registrerade: i tid, för sent, missad eller kommande; "
            "null när registret inte besvarar steget (bara datumen säger något)."
        )
    )
    besvarat: date | None = Field(
        description="Dagen beslutet eller rapporten som besvarade steget gällde från."
    )


class ArshjulBudgetar(BaseModel):
    budgetar: int
    datum: date = Field(description="Dagen svaret gäller.")
    kant_per: date | None = Field(description="Svaret som det var känt den dagen; null: nu.")
    steg: list[ArshjulSteg]


class ArshjulOversikt(BaseModel):
    datum: date = Field(description="Dagen svaret gäller.")
    kant_per: date | None = Field(description="Svaret som det var känt den dagen; null: nu.")
    budgetar: list[int] = Field(description="Budgetåren som pågår den dagen (planering, året, bokslut).")
