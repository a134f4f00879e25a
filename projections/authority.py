"""What a position could decide on a day, and through which chain of delegations.

A position decides either in a matter it holds itself (an organ, by law or
reglemente: the styrmodell's beslutsområden) or under a delegation; a
delegation rests on a decision and, for a vidaredelegation, on the
delegation above it, up to the organ that holds the matter. Every link must
have been in force on the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.delegation_chain import BrokenLink, broken_link, chain_of
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow, with_chains
from lerum_flow.projections.registers import beslut_by_id
from lerum_flow.projections.store import Views


@dataclass(frozen=True)
class Link:
    delegering: DelegeringRow
    beslut: BeslutRow | None
    in_force: bool


@dataclass(frozen=True)
class Authority:
    """One matter: `chain` runs from the position's own delegation up to the organ's.
    Empty `chain`: the position holds the matter itself. `holder` is who holds the matter
    originally (the styrmodell's innehavare), under fullmäktige."""

    matter: str
    chain: tuple[Link, ...]
    holder: str
    # The link that breaks the chain on the day, if one does (never one of the position's own matter).
    broken: BrokenLink | None = None

    @property
    def valid(self) -> bool:
        """Whether the chain carried a decision on the day."""
        return self.broken is None

    @property
    def organ(self) -> str:
        """The organ at the top of the chain (who delegated first)."""
        return self.chain[-1].delegering.granted_by if self.chain else self.holder


def candidate_delegations(views: Views, position: str) -> set[UUID]:
    """The delegations ever granted to `position` and those they rest on: what a replay needs.
    Read by delegate, then up the chains by id: the cost follows the position's own delegations,
    not every delegation the view holds."""
    own = views.delegering.select(DelegeringRow, delegate=position)
    known = with_chains(views.delegering, own)
    return {link.id for row in own for link in chain_of(row, known.get)}


def authority(
    views: Views, position: str, *, on: date, holders: Mapping[str, str], root: str
) -> list[Authority]:
    """Matters `position` held itself (from `holders`, matter → innehavare; the root organ,
    fullmäktige, holds them all) and delegations to it in force on `on`, with their chains."""
    found = [
        Authority(matter, (), holder)
        for matter, holder in sorted(holders.items())
        if holder == position or position == root
    ]
    rows = {r.id: r for r in views.delegering.select(DelegeringRow)}
    beslut = beslut_by_id(views, {r.beslut_id for r in rows.values()})
    for row in sorted(rows.values(), key=lambda r: (r.matter, r.valid_from)):
        if row.delegate != position or not row.in_force_on(on):
            continue
        chain = chain_of(row, rows.get)
        links = tuple(Link(d, beslut.get(d.beslut_id), d.in_force_on(on)) for d in chain)
        found.append(Authority(row.matter, links, holders.get(row.matter, root), broken_link(chain, on)))
    return found
