"""The commands on governing documents (styrdokument), validated at the edge like those in `commands`.

Every change of a document rests on a recorded decision (`beslut_id`); the
document's dates default to that decision's date. Two commands are the
review process's own: flagging a document whose parent changed, and
reporting a review that was not made in time.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from lerum_flow.commands import Command
from lerum_flow.domain.styrdokument import styrdokument_id as derived_styrdokument_id
from lerum_flow.field_types import Code, Day, Line, OptionalText, ShortLine, Text


class AdoptStyrdokument(Command):
    beslut_id: UUID = Field(title="beslut")
    document_type: Code = Field(title="type")
    title: Line = Field(title="title")
    owner: Code = Field(title="owner")
    # Empty: the part of the organisation the adopting organ itself governs.
    scope: ShortLine = Field(default="", title="scope")
    parent_styrdokument_id: UUID | None = Field(default=None, title="parent")
    valid_from: Day | None = Field(default=None, title="valid-from")

    def styrdokument_id(self) -> UUID:
        return derived_styrdokument_id(self.beslut_id, self.document_type, self.title)


class StyrdokumentCommand(Command):
    """A command on an adopted document."""

    styrdokument_id: UUID = Field(title="styrdokument")


class StyrdokumentDecision(StyrdokumentCommand):
    """A decision on an adopted document."""

    beslut_id: UUID = Field(title="beslut")


class ReviseStyrdokument(StyrdokumentDecision):
    reason: Text = Field(title="reason")
    title: ShortLine = Field(default="", title="title")
    owner: ShortLine = Field(default="", title="owner")
    valid_from: Day | None = Field(default=None, title="valid-from")


class ReviewStyrdokument(StyrdokumentDecision):
    """Aktualitetsprövning: the document is kept unchanged."""


class RepealStyrdokument(StyrdokumentDecision):
    reason: OptionalText = Field(default="", title="reason")
    successor_id: UUID | None = Field(default=None, title="replaced-by")
    # The first day it no longer applies.
    valid_until: Day | None = Field(default=None, title="date")


# --- commands of the review process ------------------------------------------------
# Recorded by the review workflow: the actor is the process (commands.PROCESS_ACTOR),
# the command id the workflow's own.


class FlagStyrdokumentForReview(StyrdokumentCommand):
    parent_styrdokument_id: UUID = Field(title="parent")
    cause: Code = Field(title="cause")
    on: Day = Field(title="date")


class ReportOverdueReview(StyrdokumentCommand):
    review_by: Day = Field(title="review-by")
