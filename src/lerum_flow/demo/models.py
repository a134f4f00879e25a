"""The messages of the simulation's own workflow: what a simulated person does, and when."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Act(BaseModel):
    """One act of one person at one simulated instant."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    what: str
    actor: str
    kind: str = ""
    title: str = ""
    uppdrag_id: UUID | None = None
    year: int = 0
    severity: str = ""


class Acts(BaseModel):
    model_config = ConfigDict(frozen=True)

    acts: list[Act] = Field(default_factory=list)
