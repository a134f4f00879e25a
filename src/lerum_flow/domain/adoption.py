"""Who may adopt a decision: an organ, of a kind the styrmodell's document types allow it, in its own matter.

Pure functions over positions and the styrmodell's document types; a decision
taken on delegation is judged by `lerum_flow.domain.delegated` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from lerum_flow.domain.errors import NotPermitted, field_named
from lerum_flow.domain.law import Matter
from lerum_flow.domain.styrkedja import Position, PositionKind


class DocumentType(Protocol):
    """A document type of the styrmodell: the kind of decision that adopts it, and by whom."""

    @property
    def kod(self) -> str: ...
    @property
    def namn(self) -> str: ...
    @property
    def beslutsslag(self) -> str: ...
    @property
    def antas_av(self) -> Sequence[str]: ...


def check_organ_may_adopt(
    decider: Position, kind: str, document_types: Sequence[DocumentType], document_type: str | None = None
) -> None:
    """Refuse a decision of `kind` (taken as `document_type`, if named) by anyone but an organ of a
    kind allowed to adopt it."""
    if not decider.is_organ:
        raise NotPermitted(
            f"'{decider.id}' är inte ett organ; en tjänsteperson beslutar bara på delegation "
            f"(ange {field_named('delegering')}).",
            field="organ",
            rule="organ_eller_delegat",
        )
    # Several document types may share a kind of decision (policy, riktlinje and
    # program are all 'ovrigt'); an organ may take it if any of them allows it.
    types = [
        d
        for d in document_types
        if (d.kod == document_type if document_type is not None else d.beslutsslag == kind)
    ]
    allowed = sorted({k for d in types for k in d.antas_av})
    if types and str(decider.kind) not in allowed:
        raise NotPermitted(
            f"Beslut av slaget '{kind}' ({', '.join(d.namn for d in types)}) antas av "
            f"{', '.join(allowed)}, inte av '{decider.id}' ({decider.kind}).",
            field="kind",
            rule="antas_av",
        )


def check_holds_matter(organ: Position, matter: Matter) -> None:
    """Refuse a decision in a matter the organ does not hold (fullmäktige holds every matter)."""
    if organ.kind is not PositionKind.FULLMAKTIGE and matter.holder != organ.id:
        raise NotPermitted(
            f"Beslutsområdet '{matter.code}' ligger hos '{matter.holder}', inte hos '{organ.id}'.",
            field="matter",
            rule="beslutsratt",
        )
