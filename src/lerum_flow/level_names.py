"""The levels of the styrkedja (the kinds of position) as people read them (stored without å, ä and ö).

Shared by every door that names a level in words: the reports' groupings and the web's pages, where
a step of the årshjul is owed by a level (each sektorschef) rather than by one position.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lerum_flow.domain.styrkedja import PositionKind


@dataclass(frozen=True)
class LevelName:
    one: str
    several: str


# Top down: the reports order their levels by this.
LEVEL_NAMES: Mapping[str, LevelName] = {
    PositionKind.FULLMAKTIGE: LevelName("Kommunfullmäktige", "Kommunfullmäktige"),
    PositionKind.STYRELSE: LevelName("Kommunstyrelsen", "Kommunstyrelsen"),
    PositionKind.NAMND: LevelName("Nämnd", "Nämnder"),
    PositionKind.BEREDNING: LevelName("Beredning", "Beredningar"),
    PositionKind.UTSKOTT: LevelName("Utskott", "Utskott"),
    PositionKind.BOLAG: LevelName("Bolag", "Bolag"),
    PositionKind.REVISION: LevelName("Revisorer", "Revisorer"),
    PositionKind.FORTROENDEVALD: LevelName("Förtroendevald", "Förtroendevalda"),
    PositionKind.FORVALTNINGSCHEF: LevelName("Förvaltningschef", "Förvaltningschefer"),
    PositionKind.SEKTORSCHEF: LevelName("Sektorschef", "Sektorschefer"),
    PositionKind.CHEF: LevelName("Chef", "Chefer"),
    PositionKind.MEDARBETARE: LevelName("Medarbetare", "Medarbetare"),
}
UNKNOWN_LEVEL_NAME = "Okänd nivå"


def level_name(level: str, holders: int = 1) -> str:
    """A level's name, in the plural when more than one position stands at it."""
    found = LEVEL_NAMES.get(level)
    if found is None:
        return UNKNOWN_LEVEL_NAME
    return found.several if holders > 1 else found.one
