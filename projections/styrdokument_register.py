"""What people ask of the styrdokument view: the register, the tree under a document, and what is
due for review in a period. Each document comes with the decision that adopted it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.styrdokument import StyrdokumentStatus
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import EVERYTHING, Page, Paging, Period, beslut_by_id
from lerum_flow.projections.sql import Range
from lerum_flow.projections.store import Views
from lerum_flow.projections.styrdokument import StyrdokumentRow


@dataclass(frozen=True)
class StyrdokumentEntry:
    """A document and the decision that adopted it (None if that decision is not in the views)."""

    document: StyrdokumentRow
    beslut: BeslutRow | None


@dataclass(frozen=True)
class Selection:
    """Which documents: of a type, adopted by an organ, governing a scope, with a status (empty: any)."""

    document_type: str = ""
    organ: str = ""
    scope: str = ""
    status: str = ""

    def where(self) -> dict[str, object]:
        columns = {
            "document_type": self.document_type,
            "adopted_by": self.organ,
            "scope": self.scope,
            "status": self.status,
        }
        return {column: value for column, value in columns.items() if value}


EVERY_DOCUMENT = Selection()
IN_FORCE = Selection(status=str(StyrdokumentStatus.IN_FORCE))


def styrdokument_register(
    views: Views, selection: Selection = EVERY_DOCUMENT, paging: Paging = EVERYTHING
) -> Page[StyrdokumentEntry]:
    """The documents selected, by type and title, each with its adopting decision."""
    where = selection.where()
    order = ("document_type", "title", "valid_from")
    rows = views.styrdokument.query(
        StyrdokumentRow, where, order_by=order, limit=paging.limit, offset=paging.offset
    )
    total = len(rows) if paging == EVERYTHING else views.styrdokument.count(StyrdokumentRow, where)
    return Page(_with_beslut(views, rows), total, paging.offset)


@dataclass(frozen=True)
class StyrdokumentNode:
    entry: StyrdokumentEntry
    children: tuple[StyrdokumentNode, ...]


def styrdokument_tree(
    views: Views, *, root: UUID | None = None, selection: Selection = IN_FORCE
) -> list[StyrdokumentNode]:
    """The documents selected, each under the one it derives from: from `root` down, or every tree.

    A document whose parent is not selected (repealed, say) heads a tree of its own.
    """
    rows = views.styrdokument.query(StyrdokumentRow, selection.where(), order_by=("valid_from", "title"))
    entries = {e.document.id: e for e in _with_beslut(views, rows)}
    children: dict[UUID | None, list[StyrdokumentEntry]] = defaultdict(list)
    for entry in entries.values():
        parent = entry.document.parent_id
        children[parent if parent in entries else None].append(entry)

    def node(entry: StyrdokumentEntry) -> StyrdokumentNode:
        return StyrdokumentNode(entry, tuple(node(c) for c in children[entry.document.id]))

    if root is not None:
        return [node(entries[root])] if root in entries else []
    return [node(e) for e in children[None]]


def due_for_review(views: Views, period: Period) -> list[StyrdokumentRow]:
    """Documents in force due for review in `period` (from its start, or overdue ones too if it has
    none), and those flagged because what they derive from changed; the earliest due first."""
    in_force = StyrdokumentRow.IN_FORCE
    due = views.styrdokument.query(
        StyrdokumentRow, {**in_force, "review_by": Range(period.start, period.end)}, order_by=("review_by",)
    )
    flagged = views.styrdokument.query(StyrdokumentRow, {**in_force, "review_flagged": True})
    return due + [row for row in flagged if row not in due]


def _with_beslut(views: Views, rows: list[StyrdokumentRow]) -> list[StyrdokumentEntry]:
    beslut = beslut_by_id(views, {r.beslut_id for r in rows})
    return [StyrdokumentEntry(r, beslut.get(r.beslut_id)) for r in rows]


def overdue_styrdokument(views: Views, on: date) -> list[StyrdokumentRow]:
    """Documents in force whose review was due before `on`, in the view's order."""
    return views.styrdokument.query(StyrdokumentRow, StyrdokumentRow.overdue_conditions(on))
