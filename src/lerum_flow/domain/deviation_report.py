"""What a deviation report must name: a severity and a category of the styrmodell, and an uppdrag by id."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from lerum_flow.domain.errors import InvalidInput


def check_severity(severity: str, severities: Sequence[str]) -> None:
    if severity not in severities:
        raise InvalidInput(
            f"Allvarlighetsgraden '{severity}' finns inte i styrmodellen; välj en av: "
            f"{', '.join(severities)}.",
            field="severity",
            rule="allvarlighetsgrad",
        )


def check_category(category: str, categories: Sequence[str]) -> None:
    if category not in categories:
        raise InvalidInput(
            f"Kategorin '{category}' finns inte i styrmodellen; välj en av: {', '.join(categories)}.",
            field="category",
            rule="avvikelsekategori",
        )


def uppdrag_reference(subject_ref: str) -> UUID:
    """The id of the uppdrag a deviation is about, as written in its reference."""
    try:
        return UUID(subject_ref)
    except ValueError:
        raise InvalidInput(
            f"Referensen '{subject_ref}' ska vara ett uppdrags id (UUID).",
            field="ref",
            rule="uppdragsreferens",
        ) from None
