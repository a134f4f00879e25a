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

from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
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

    @property
    def valid(self) -> bool:
        """Every link in force, and the top one granted by an organ, not resting on a missing one."""
        if not self.chain:
            return True
        return all(link.in_force for link in self.chain) and self.chain[-1].delegering.parent_id is None

    @property
    def organ(self) -> str:
        """The organ at the top of the chain (who delegated first)."""
        return self.chain[-1].delegering.granted_by if self.chain else self.holder


def candidate_delegations(views: Views, position: str) -> set[UUID]:
    """The delegations ever granted to `position` and those they rest on: what a replay needs."""
    rows = {r.id: r for r in views.delegering.select(DelegeringRow)}
    found: set[UUID] = set()
    for row in rows.values():
        if row.delegate != position:
            continue
        current: DelegeringRow | None = row
        while current is not None and current.id not in found:
            found.add(current.id)
            current = rows.get(current.parent_id) if current.parent_id else None
    return found


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
        chain: list[Link] = []
        current: DelegeringRow | None = row
        while current is not None and all(link.delegering.id != current.id for link in chain):
            chain.append(Link(current, beslut.get(current.beslut_id), current.in_force_on(on)))
            current = rows.get(current.parent_id) if current.parent_id else None
        found.append(Authority(row.matter, tuple(chain), holders.get(row.matter, root)))
    return found
