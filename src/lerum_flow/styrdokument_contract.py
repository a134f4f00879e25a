"""What the relay and the review workflow of governing documents agree on: its id, its signal, its messages.

Beside `relay_contract` (the other processes') and for the same reason: the
relay must not import the workflows, so both import this. Messages are
pydantic models: fields may be added, never renamed, since running
workflows hold them in their histories.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

WORKFLOW_AKTUALITETSPROVNING = "Aktualitetsprovning"
SIGNAL_STYRDOKUMENT = "styrdokument"

# What happened to a document, as the signal says it; the first three make the
# documents derived from it due for review against the new state of things.
ANTAGET = "antaget"
REVIDERAT = "reviderat"
UPPHAVT = "upphavt"
ERSATT = "ersatt"
AKTUALITETSPROVAT = "aktualitetsprovat"
FLAGS_CHILDREN = frozenset({REVIDERAT, UPPHAVT, ERSATT})


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class AktualitetsprovningStart(_Message):
    """What the relay starts a document's review timer with; the workflow's own input extends it."""

    styrdokument_id: UUID


class StyrdokumentAndrat(_Message):
    """A document was adopted, revised, reviewed, repealed or superseded, in force from `on`.

    The workflow reads the document afresh on it; `version` lets it ignore what
    it has already read, `event_id` a repeated delivery.
    """

    event_id: str
    notification_id: int | None = None
    styrdokument_id: UUID
    version: int
    what: str
    on: date

    @property
    def flags_children(self) -> bool:
        return self.what in FLAGS_CHILDREN


def aktualitetsprovning_workflow_id(styrdokument_id: UUID) -> str:
    # Short: with its prefix it is the acting "person" of the process's commands (at most 64 characters).
    return f"styrdokument-{styrdokument_id}"
