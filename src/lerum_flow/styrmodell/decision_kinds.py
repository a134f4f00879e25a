"""The kind of a decision as a municipality names it: one of the engine's kinds (what the law and
the årshjul know), or one of its own document types (`[[dokumenttyper]]`), which the styrmodell maps
to an engine kind by its `beslutsslag`."""

from __future__ import annotations

from dataclasses import dataclass

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import BeslutKind
from lerum_flow.styrmodell.model import Styrmodell
from lerum_flow.validation_messages import close_match


@dataclass(frozen=True)
class DecisionKind:
    """The engine's kind of a decision, and the document type it was named by (None: the kind itself)."""

    kind: str
    document_type: str | None = None


def decision_kind(styrmodell: Styrmodell, named: str) -> DecisionKind:
    """What `named` (an engine kind or a document type's code) means in this municipality's model."""
    if named in set(BeslutKind):
        return DecisionKind(named)
    for document_type in styrmodell.dokumenttyper:
        if document_type.kod == named:
            return DecisionKind(str(document_type.beslutsslag), document_type.kod)
    known = [str(kind) for kind in BeslutKind]
    known += [d.kod for d in styrmodell.dokumenttyper if d.kod not in known]
    close = close_match(named, known)
    raise InvalidInput(
        f"'{named}' är inget slag av beslut i {styrmodell.kommun.namn}s styrmodell; "
        + (f"menade du '{close}'? " if close else "")
        + f"välj ett av: {', '.join(known)}.",
        field="kind",
        rule="okant_beslutsslag",
    )
