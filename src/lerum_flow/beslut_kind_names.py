"""The engine's kinds of decision as people read them (stored without å, ä and ö).

Shared by every door that names a kind in words: the årshjul's plan (and so the reports read
from it) when the styrmodell has no document type of the kind, and the web's pages.
"""

from __future__ import annotations

from lerum_flow.domain.values import BeslutKind

BESLUT_KIND_NAMES: dict[str, str] = {
    BeslutKind.VILJA_OCH_MAL: "Vilja och mål",
    BeslutKind.BUDGET: "Budget",
    BeslutKind.VERKSAMHETSPLAN: "Verksamhetsplan",
    BeslutKind.UPPFOLJNINGSPLAN: "Uppföljningsplan",
    BeslutKind.REGLEMENTE: "Reglemente",
    BeslutKind.AGARDIREKTIV: "Ägardirektiv",
    BeslutKind.DELEGATIONSORDNING: "Delegationsordning",
    BeslutKind.DELARSRAPPORT: "Delårsrapport",
    BeslutKind.ARSREDOVISNING: "Årsredovisning",
    BeslutKind.ANSVARSFRIHET: "Ansvarsfrihet",
    BeslutKind.OVRIGT: "Övrigt",
}


def beslut_kind_name(kind: str) -> str:
    """The Swedish name of an engine kind; any other code (a document type's) as it is."""
    return BESLUT_KIND_NAMES.get(kind, kind)  # a StrEnum member is found by its value
