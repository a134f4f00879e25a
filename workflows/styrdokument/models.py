"""Inputs, state and results of a governing document's review timer and its activities.

Running workflows hold these in their histories, so fields are only ever
added (with defaults), never renamed or removed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field, model_validator

from lerum_flow.styrdokument_contract import AktualitetsprovningStart, StyrdokumentAndrat
from lerum_flow.workflows.models import Model


class Provningslage(Model):
    """Where a document stands for its review, read from the store by an activity (the workflow decides
    nothing): whether it is in force, by when it must be reviewed, and the instants (UTC) the workflow
    waits for: the owner's reminder and the moment the review is overdue."""

    styrdokument_id: UUID
    version: int
    in_force: bool
    title: str
    owner: str
    review_by: date | None
    remind_at: datetime | None
    overdue_at: datetime | None


class AktualitetsprovningInput(AktualitetsprovningStart):
    """Started by the relay with the document's id; the rest is carried across continue-as-new."""

    lage: Provningslage | None = None
    handled_event_ids: list[str] = Field(default_factory=list)
    # Review dates the owner has been reminded of, and those reported overdue.
    reminded: list[date] = Field(default_factory=list)
    reported: list[date] = Field(default_factory=list)
    avvikelser: list[UUID] = Field(default_factory=list)
    # Changes of this document whose derived documents are still to be flagged.
    pending: list[StyrdokumentAndrat] = Field(default_factory=list)
    flagged: int = 0
    runs: int = 1
    # Continue as new above this many history events (a test sets it low).
    max_history_events: int | None = None


class AktualitetsprovningResult(Model):
    styrdokument_id: UUID
    # "upphort": repealed or superseded; "problem": a step was refused for good (see `problems`).
    outcome: str
    reminded: list[date]
    avvikelser: list[UUID]
    flagged: int
    problems: list[str]
    runs: int


class ReviewStepInput(Model):
    """Remind the owner of the review due by `review_by`, or report it overdue: if it still is due."""

    styrdokument_id: UUID
    workflow_id: str
    review_by: date


class FlagChildrenInput(Model):
    """Flag the documents derived from `parent_id`, which changed (`cause`) from `on`."""

    parent_id: UUID
    workflow_id: str
    event_id: str
    cause: str
    on: date


class NotFlagged(Model):
    """A derived document the step could not flag, refused for a reason a retry would not change."""

    styrdokument_id: UUID
    title: str
    rule: str
    message: str


class FlaggedChildren(Model):
    """The derived documents flagged (and their owners told), and those refused for good."""

    flagged: list[UUID]
    not_flagged: list[NotFlagged] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _flagged_only(cls, data: Any) -> Any:
        # Histories recorded before there was a `not_flagged` hold the bare list of the flagged.
        return {"flagged": data} if isinstance(data, list) else data
