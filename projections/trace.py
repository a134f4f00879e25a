"""The auditor's trace: from an uppdrag up through the uppdrag it breaks down to the political
decision it comes from, and the uppdrag that trace to none (orphans).

One uppdrag's trace reads its chain a row at a time by key and then its origin decision: its cost
follows the chain, not the number of uppdrag and decisions the views hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import beslut_by_id
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import UppdragRow

Find = Callable[[UUID], UppdragRow | None]


@dataclass(frozen=True)
class Trace:
    """`chain` runs from the uppdrag asked about up to the top one; `problem` says (in Swedish)
    why it reaches no political decision, and is empty when it does."""

    chain: tuple[UppdragRow, ...]
    beslut: BeslutRow | None
    problem: str

    @property
    def is_orphan(self) -> bool:
        return bool(self.problem)


@dataclass(frozen=True)
class _Chain:
    """The uppdrag from the one asked about up to the top one found, and whether the top one's
    parent is missing from the views (else a parent named is one already in the chain: a loop)."""

    rows: tuple[UppdragRow, ...]
    parent_missing: bool


def trace(views: Views, uppdrag_id: UUID) -> Trace | None:
    """The trace of one uppdrag, or None if there is no such uppdrag."""

    def find(wanted: UUID) -> UppdragRow | None:
        found = views.uppdrag.select(UppdragRow, id=wanted)
        return found[0] if found else None

    first = find(uppdrag_id)
    if first is None:
        return None
    chain = _chain(first, find)
    origin = chain.rows[-1].origin_beslut_id
    beslut = beslut_by_id(views, {origin}) if origin else {}
    return _judge(chain, beslut)


def orphans(views: Views) -> list[Trace]:
    """Every uppdrag whose chain does not end in a political decision, oldest first.

    A question about the whole municipality: every uppdrag is read, but of the decisions only
    those the chains end in."""
    rows = {r.id: r for r in views.uppdrag.select(UppdragRow)}
    chains = [_chain(row, rows.get) for row in rows.values()]
    origins = {o for c in chains if (o := c.rows[-1].origin_beslut_id) is not None}
    beslut = beslut_by_id(views, origins)
    traces = [_judge(chain, beslut) for chain in chains]
    found = [t for t in traces if t.is_orphan]
    return sorted(found, key=lambda t: (t.chain[0].issued_on, t.chain[0].title))


def _chain(first: UppdragRow, find: Find) -> _Chain:
    chain = [first]
    seen = {first.id}
    while (parent_id := chain[-1].parent_id) is not None:
        if parent_id in seen:
            return _Chain(tuple(chain), parent_missing=False)
        parent = find(parent_id)
        if parent is None:
            return _Chain(tuple(chain), parent_missing=True)
        chain.append(parent)
        seen.add(parent_id)
    return _Chain(tuple(chain), parent_missing=False)


def _judge(found: _Chain, beslut: dict[UUID, BeslutRow]) -> Trace:
    chain = found.rows
    top = chain[-1]
    if top.parent_id is not None:
        problem = (
            f"uppdraget {top.parent_id} som det bryter ned finns inte"
            if found.parent_missing
            else "uppdragen bildar en slinga"
        )
        return Trace(chain, None, problem)
    if top.origin_beslut_id is None:
        return Trace(chain, None, "inget beslut angivet som ursprung")
    decision = beslut.get(top.origin_beslut_id)
    if decision is None:
        return Trace(chain, None, f"ursprungsbeslutet {top.origin_beslut_id} finns inte")
    if decision.is_delegated:
        return Trace(chain, decision, "ursprunget är ett delegationsbeslut, inte ett politiskt beslut")
    return Trace(chain, decision, "")
