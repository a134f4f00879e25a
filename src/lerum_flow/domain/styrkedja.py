"""The styrkedja: the tree of organs and positions from KF down to medarbetare.

Power flows down the tree and reports flow up it. The fixed upper part comes
from the styrmodell; positions below it (chefs, medarbetare) are established as
events and joined to it by the application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound


class PositionKind(StrEnum):
    FULLMAKTIGE = "fullmaktige"
    STYRELSE = "styrelse"
    NAMND = "namnd"
    BEREDNING = "beredning"
    UTSKOTT = "utskott"
    BOLAG = "bolag"
    REVISION = "revision"
    FORTROENDEVALD = "fortroendevald"
    FORVALTNINGSCHEF = "forvaltningschef"
    SEKTORSCHEF = "sektorschef"
    CHEF = "chef"
    MEDARBETARE = "medarbetare"


ORGANS = frozenset(
    {
        PositionKind.FULLMAKTIGE,
        PositionKind.STYRELSE,
        PositionKind.NAMND,
        PositionKind.BEREDNING,
        PositionKind.UTSKOTT,
        PositionKind.BOLAG,
        PositionKind.REVISION,
    }
)
ELECTED = ORGANS | {PositionKind.FORTROENDEVALD}
OFFICIALS = frozenset(
    {
        PositionKind.FORVALTNINGSCHEF,
        PositionKind.SEKTORSCHEF,
        PositionKind.CHEF,
        PositionKind.MEDARBETARE,
    }
)

# Which kinds of position may be established below which, once the fixed part
# of the chain is loaded: a unit's chef under a sector (or under another chef,
# for departments with units), medarbetare under any official.
ESTABLISHABLE_UNDER: Mapping[PositionKind, frozenset[PositionKind]] = {
    PositionKind.CHEF: frozenset(
        {PositionKind.FORVALTNINGSCHEF, PositionKind.SEKTORSCHEF, PositionKind.CHEF}
    ),
    PositionKind.MEDARBETARE: OFFICIALS - {PositionKind.MEDARBETARE},
}


@dataclass(frozen=True)
class Position:
    """An organ (KF, KS, a nämnd) or a position held by one person (a chef)."""

    id: str
    name: str
    kind: PositionKind
    parent: str | None
    members: int | None = None
    chair: str | None = None

    @property
    def is_organ(self) -> bool:
        return self.kind in ORGANS

    @property
    def is_elected(self) -> bool:
        return self.kind in ELECTED

    @property
    def is_official(self) -> bool:
        return self.kind in OFFICIALS


class Styrkedja:
    """A consistent set of positions, each below its parent."""

    def __init__(self, positions: Iterable[Position]) -> None:
        self._positions: dict[str, Position] = {}
        for position in positions:
            self._positions[position.id] = position

    def __contains__(self, position_id: object) -> bool:
        return position_id in self._positions

    def __iter__(self) -> Iterator[Position]:
        return iter(self._positions.values())

    def __len__(self) -> int:
        return len(self._positions)

    def position(self, position_id: str, *, field: str = "position") -> Position:
        try:
            return self._positions[position_id]
        except KeyError:
            raise NotFound(
                f"'{position_id}' finns inte i styrkedjan.", field=field, rule="okand_befattning"
            ) from None

    def root(self) -> Position:
        roots = [p for p in self._positions.values() if p.parent is None]
        return roots[0]

    def ancestors(self, position_id: str) -> list[Position]:
        """The chain above a position, nearest first, up to the root."""
        return chain_above(self.position(position_id), self.position)

    def is_above(self, upper: str, lower: str) -> bool:
        return any(p.id == upper for p in self.ancestors(lower))

    def children(self, position_id: str) -> list[Position]:
        return [p for p in self._positions.values() if p.parent == position_id]

    def is_auditor(self, position_id: str) -> bool:
        return is_auditor(self.position(position_id), self.position)


def chain_above(position: Position, resolve: Callable[[str], Position]) -> list[Position]:
    """The chain above `position`, nearest first, each parent found by `resolve`."""
    chain: list[Position] = []
    current = position
    while current.parent is not None:
        current = resolve(current.parent)
        chain.append(current)
    return chain


def is_auditor(position: Position, resolve: Callable[[str], Position]) -> bool:
    """Revisorer review everything and decide nothing: they, and those under them, may only read."""
    return position.kind is PositionKind.REVISION or any(
        p.kind is PositionKind.REVISION for p in chain_above(position, resolve)
    )


def check_establishable(kind: PositionKind, parent: Position) -> None:
    """Refuse a new position that would not fit below its parent."""
    allowed_parents = ESTABLISHABLE_UNDER.get(kind)
    if allowed_parents is None:
        raise InvalidInput(
            f"Befattningar av slaget '{kind}' ingår i styrmodellen och kan inte inrättas här; "
            "inrätta 'chef' eller 'medarbetare'.",
            field="kind",
            rule="inrattningsbart_slag",
        )
    if parent.kind not in allowed_parents:
        raise InvalidInput(
            f"En befattning av slaget '{kind}' kan inte ligga under '{parent.id}' "
            f"({parent.kind}); tillåtet under: {', '.join(sorted(allowed_parents))}.",
            field="parent",
            rule="placering_i_styrkedjan",
        )


def establishable_kind(code: str, kind: str, fixed: Styrkedja) -> PositionKind:
    """The kind of a position to be established as `code`; refuse a code of the fixed chain or an
    unknown kind."""
    if code in fixed:
        raise InvalidState(f"'{code}' finns redan i styrmodellen.", field="id", rule="befattning_finns")
    try:
        return PositionKind(kind)
    except ValueError:
        raise InvalidInput(
            f"Slaget '{kind}' finns inte; inrätta 'chef' eller 'medarbetare'.",
            field="kind",
            rule="inrattningsbart_slag",
        ) from None
