"""Where a position stands in the styrkedja, for grouping figures: its level and its sector.

The fixed chain comes from the styrmodell; positions established below it
(a unit's chef, a medarbetare) from their `Befattning.Established` events.
A position's sector is the sektorschef above it (or itself); positions
above the sectors belong to none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja
from lerum_flow.level_names import LEVEL_NAMES

# A kind not among the named levels sorts last.
LEVEL_ORDER = tuple(LEVEL_NAMES)
NO_SECTOR = ""
UNKNOWN_LEVEL = "okand"


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


@dataclass(frozen=True)
class Placement:
    level: str
    sector: str


class PositionIndex:
    """Every position's level and sector, the fixed chain's and the established ones'."""

    def __init__(self, chain: Styrkedja, established: Iterable[Befattning.Established] = ()) -> None:
        self._positions: dict[str, Position] = {p.id: p for p in chain}
        for event in established:
            self._positions.setdefault(
                event.code,
                Position(
                    id=event.code, name=event.name, kind=PositionKind(event.kind), parent=event.parent or None
                ),
            )
        self._placements: dict[str, Placement] = {}

    def name(self, code: str) -> str:
        position = self._positions.get(code)
        return position.name if position is not None else code

    def sector_name(self, code: str) -> str:
        """A sector by its own name ("Sektor lärande"), not its head's ("Sektorschef, sektor lärande")."""
        name = self.name(code)
        head, _, rest = name.partition(", ")
        shown = rest if rest and head.lower() == "sektorschef" else name
        return shown[:1].upper() + shown[1:]

    def placement(self, code: str) -> Placement:
        found = self._placements.get(code)
        if found is None:
            found = self._placements[code] = self._place(code)
        return found

    def _place(self, code: str) -> Placement:
        position = self._positions.get(code)
        if position is None:
            return Placement(UNKNOWN_LEVEL, NO_SECTOR)
        sector = NO_SECTOR
        seen: set[str] = set()
        current: Position | None = position
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.kind is PositionKind.SEKTORSCHEF:
                sector = current.id
                break
            current = self._positions.get(current.parent) if current.parent else None
        return Placement(str(position.kind), sector)

    def within(self, code: str, scope: str | None) -> bool:
        """Whether `code` is in the part of the organisation a report covers (None: all of it)."""
        return scope is None or self.placement(code).sector == scope

    def sectors(self) -> list[Position]:
        return [p for p in self._positions.values() if p.kind is PositionKind.SEKTORSCHEF]
