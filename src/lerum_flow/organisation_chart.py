"""The organisation on a day, as known now: the styrmodell's fixed chain and the positions
established below it, each with the day it was established, the day it is discontinued from (if
that is recorded) and who held it that day (`lerum-flow organisation list`).

Why read from the views: the positions below one are read level by level by parent from the
befattning view's history (`RecordReads.positions_below` with `ViewPositions`), their recorded days
by id from its current rows, and their holders by position from the förordnande view's history:
indexed reads, each bounded by the part of the organisation asked for, never a walk of the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from lerum_flow.appointments import Holding
from lerum_flow.domain.errors import InvalidState
from lerum_flow.domain.styrkedja import Position
from lerum_flow.reading import RecordReads
from lerum_flow.view_lookups import ViewHoldings, ViewPositions


@dataclass(frozen=True)
class Post:
    """One position of the organisation on the day, `depth` levels below the top of the answer."""

    position: Position
    depth: int
    # None for a position of the styrmodell's fixed chain: it is the model's, not established.
    established_on: date | None
    # The first day it no longer exists, if its discontinuation is recorded (from a later day).
    discontinued_on: date | None
    holders: tuple[Holding, ...]

    @property
    def fixed(self) -> bool:
        return self.established_on is None


def organisation_on(
    reads: RecordReads,
    day: date,
    *,
    under: str | None,
    positions: ViewPositions,
    holdings: ViewHoldings,
) -> list[Post]:
    """Every position standing on `day` from `under` (None: the top of the fixed chain) down, each
    followed by those directly below it (by name). `reads` must govern by `day`'s styrmodell; the
    views must be caught up. A code that does not stand that day is refused."""
    top = under or reads.styrkedja.root().id
    standing = _standing(reads, [top], day, positions)
    if not standing:
        raise _not_standing(top, day)
    first = standing[0]
    below = reads.positions_below(top, day, established=positions)
    everything = [first, *below]
    recorded = {row.code: row for row in positions.recorded([p.id for p in everything])}
    held = holdings.holders_of([p.id for p in everything], day)
    posts: list[Post] = []
    for position, depth in _depth_first(first, below):
        row = recorded.get(position.id)
        posts.append(
            Post(
                position=position,
                depth=depth,
                established_on=row.established_on if row is not None else None,
                discontinued_on=row.discontinued_on if row is not None else None,
                holders=tuple(held.get(position.id, ())),
            )
        )
    return posts


def _standing(reads: RecordReads, codes: list[str], day: date, positions: ViewPositions) -> list[Position]:
    """The positions `codes` standing on `day`: established ones as the view holds them, else the
    fixed chain's (an established one takes the place of a fixed one of the same code)."""
    established = {p.id: p for p in positions.named(codes, day, None)}
    return [
        established[code] if code in established else reads.styrkedja.position(code)
        for code in codes
        if code in established or code in reads.styrkedja
    ]


def _not_standing(code: str, day: date) -> InvalidState:
    return InvalidState(
        f"Befattningen '{code}' finns inte i organisationen {day.isoformat()}: den är inrättad senare "
        "eller avvecklad före dess.",
        field="under",
        rule="finns_inte_den_dagen",
    )


def _depth_first(top: Position, below: list[Position]) -> Iterator[tuple[Position, int]]:
    """`top` and every position below it, each followed by those directly below it, by name."""
    children: dict[str, list[Position]] = {}
    for position in below:
        children.setdefault(position.parent or "", []).append(position)
    stack = [(top, 0)]
    while stack:
        position, depth = stack.pop()
        yield position, depth
        nearest = sorted(children.get(position.id, ()), key=lambda p: (p.name, p.id), reverse=True)
        stack += [(child, depth + 1) for child in nearest]
