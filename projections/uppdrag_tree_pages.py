"""The uppdrag tree a page at a time: the top of the tree (or one node's children), each with how many
parts it is broken down into, read by indexed queries of the uppdrag view instead of the whole tree.

Why: `uppdrag_tree` builds every branch at once, which on a mandate period's store
is tens of thousands of rows per page view; a page shows a few dozen of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import beslut_by_id
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import UppdragRow

TOP_PAGE = 20
CHILDREN_PAGE = 200
# The order of siblings, as the whole tree orders them.
SIBLING_ORDER = ("issued_on", "title")
# An uppdrag's ancestors shown above its children: a styrkedja is a few levels deep, and a cycle
# recorded by mistake must not loop.
MAX_DEPTH = 50


@dataclass(frozen=True)
class UppdragLink(Row):
    """Only which uppdrag breaks down which: what counting children reads."""

    table: ClassVar[str] = UppdragRow.table

    id: UUID
    parent_id: UUID | None
    status: str


@dataclass(frozen=True)
class TreeEntry:
    uppdrag: UppdragRow
    children: int  # its parts (with the status asked for, if one is)


@dataclass(frozen=True)
class TreeGroup:
    """Consecutive entries of a page from the same political decision (None: without one)."""

    beslut_id: UUID | None
    beslut: BeslutRow | None
    entries: tuple[TreeEntry, ...]


@dataclass(frozen=True)
class TreePage:
    """One page of the tree: its entries grouped by decision, where it starts, how many there are in
    all, and (for a node's children) the node and the uppdrag above it, top first."""

    groups: tuple[TreeGroup, ...]
    offset: int
    size: int
    total: int
    node: UppdragRow | None = None
    ancestors: tuple[UppdragRow, ...] = ()

    @property
    def shown(self) -> int:
        return sum(len(g.entries) for g in self.groups)

    @property
    def next_offset(self) -> int | None:
        after = self.offset + self.shown
        return after if after < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.size) if self.offset > 0 else None


def tree_page(
    views: Views,
    *,
    under: UUID | None = None,
    recipient: str = "",
    status: str = "",
    offset: int = 0,
    size: int | None = None,
) -> TreePage | None:
    """The top of the tree, or the children of `under`; None if `under` is no uppdrag.

    The top is the uppdrag breaking down no other; with `recipient`, the uppdrag given to that
    position; with `status` alone, every uppdrag with that status (as the whole tree makes one
    whose parent is left out a root). Children, and the parts counted, have `status` if given.
    """
    node = None
    where: dict[str, object] = {}
    if under is not None:
        found = views.uppdrag.select(UppdragRow, id=under)
        if not found:
            return None
        node = found[0]
        where["parent_id"] = under
    elif recipient:
        where["recipient"] = recipient
    elif not status:
        where["parent_id"] = None
    if status:
        where["status"] = status
    limit = size or (TOP_PAGE if under is None else CHILDREN_PAGE)
    rows = views.uppdrag.query(UppdragRow, where, order_by=SIBLING_ORDER, limit=limit, offset=offset)
    total = views.uppdrag.count(UppdragRow, where) if rows or offset else 0
    counts = _children_counts(views, [r.id for r in rows], status)
    entries = [TreeEntry(r, counts[r.id]) for r in rows]
    return TreePage(
        _grouped(views, entries),
        offset,
        limit,
        total,
        node,
        _ancestors(views, node) if node is not None else (),
    )


def _children_counts(views: Views, ids: list[UUID], status: str) -> Counter[UUID]:
    """How many parts each of `ids` has: one indexed read of their children's links."""
    if not ids:
        return Counter()
    where: dict[str, object] = {"parent_id": tuple(ids)}
    if status:
        where["status"] = status
    return Counter(link.parent_id for link in views.uppdrag.query(UppdragLink, where) if link.parent_id)


def _grouped(views: Views, entries: list[TreeEntry]) -> tuple[TreeGroup, ...]:
    beslut = beslut_by_id(views, {e.uppdrag.origin_beslut_id for e in entries if e.uppdrag.origin_beslut_id})
    groups: list[TreeGroup] = []
    for entry in entries:
        origin = entry.uppdrag.origin_beslut_id
        if groups and groups[-1].beslut_id == origin:
            last = groups[-1]
            groups[-1] = TreeGroup(last.beslut_id, last.beslut, (*last.entries, entry))
        else:
            groups.append(TreeGroup(origin, beslut.get(origin) if origin else None, (entry,)))
    return tuple(groups)


def _ancestors(views: Views, node: UppdragRow) -> tuple[UppdragRow, ...]:
    found: list[UppdragRow] = []
    seen = {node.id}
    parent = node.parent_id
    while parent is not None and parent not in seen and len(found) < MAX_DEPTH:
        rows = views.uppdrag.select(UppdragRow, id=parent)
        if not rows:
            break
        found.append(rows[0])
        seen.add(parent)
        parent = rows[0].parent_id
    return tuple(reversed(found))
