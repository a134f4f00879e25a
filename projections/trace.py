"""The auditor's trace: from an uppdrag up through the uppdrag it breaks down to the political
decision it comes from, and the uppdrag that trace to none (orphans)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import beslut_by_id
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import UppdragRow


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


def trace(views: Views, uppdrag_id: UUID) -> Trace | None:
    """The trace of one uppdrag, or None if there is no such uppdrag."""
    rows = {r.id: r for r in views.uppdrag.select(UppdragRow)}
    if uppdrag_id not in rows:
        return None
    chain = _chain(rows, uppdrag_id)
    origin = chain[-1].origin_beslut_id
    beslut = beslut_by_id(views, {origin}) if origin else {}
    return _judge(rows, chain, beslut)


def orphans(views: Views) -> list[Trace]:
    """Every uppdrag whose chain does not end in a political decision, oldest first."""
    rows = {r.id: r for r in views.uppdrag.select(UppdragRow)}
    beslut = {b.id: b for b in views.beslut.select(BeslutRow)}
    traces = [_judge(rows, _chain(rows, uppdrag_id), beslut) for uppdrag_id in rows]
    found = [t for t in traces if t.is_orphan]
    return sorted(found, key=lambda t: (t.chain[0].issued_on, t.chain[0].title))


def _chain(rows: dict[UUID, UppdragRow], uppdrag_id: UUID) -> tuple[UppdragRow, ...]:
    chain = [rows[uppdrag_id]]
    while (parent := chain[-1].parent_id) is not None and parent in rows:
        if any(r.id == parent for r in chain):
            break
        chain.append(rows[parent])
    return tuple(chain)


def _judge(
    rows: dict[UUID, UppdragRow], chain: tuple[UppdragRow, ...], beslut: dict[UUID, BeslutRow]
) -> Trace:
    top = chain[-1]
    if top.parent_id is not None:
        problem = (
            f"uppdraget {top.parent_id} som det bryter ned finns inte"
            if top.parent_id not in rows
            else "uppdragen bildar en slinga"
        )
        return Trace(chain, None, problem)
    if top.origin_beslut_id is None:
        return Trace(chain, None, "inget beslut angivet som ursprung")
    found = beslut.get(top.origin_beslut_id)
    if found is None:
        return Trace(chain, None, f"ursprungsbeslutet {top.origin_beslut_id} finns inte")
    if found.is_delegated:
        return Trace(chain, found, "ursprunget är ett delegationsbeslut, inte ett politiskt beslut")
    return Trace(chain, found, "")
