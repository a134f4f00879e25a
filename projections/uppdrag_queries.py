"""What chefs ask of the uppdrag view: the tree under a decision, and their own inbox."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import beslut_by_id
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import AWAITING_REPORT_VALUES, UppdragRow


@dataclass(frozen=True)
class UppdragNode:
    uppdrag: UppdragRow
    children: tuple[UppdragNode, ...]


@dataclass(frozen=True)
class BeslutTree:
    """A decision and the uppdrag that trace to it, each under the uppdrag it breaks down."""

    beslut_id: UUID | None
    beslut: BeslutRow | None
    roots: tuple[UppdragNode, ...]


def uppdrag_tree(
    views: Views,
    *,
    beslut_id: UUID | None = None,
    under: UUID | None = None,
    recipient: str = "",
    status: str = "",
) -> list[BeslutTree]:
    """One tree per originating decision (or only the given one), oldest decision first.

    `under`: only that uppdrag and what breaks it down; `recipient`: only the uppdrag
    given to that position and what breaks them down; `status`: only uppdrag with that
    status (one whose parent is left out becomes a root).
    """
    where: dict[str, object] = {} if beslut_id is None else {"origin_beslut_id": beslut_id}
    if under is not None:
        where["id"] = under
    if recipient:
        where["recipient"] = recipient
    whole_branches = under is not None or bool(recipient)
    if status and not whole_branches:
        where["status"] = status
    rows = views.uppdrag.query(UppdragRow, where)
    if whole_branches:
        rows += _descendants(views, {r.id for r in rows})
        if status:
            rows = [r for r in rows if r.status == status]
    by_origin: dict[UUID | None, list[UppdragRow]] = defaultdict(list)
    for row in rows:
        by_origin[row.origin_beslut_id].append(row)
    beslut = beslut_by_id(views, {o for o in by_origin if o is not None})
    trees = [
        BeslutTree(origin, beslut.get(origin) if origin else None, _forest(members))
        for origin, members in by_origin.items()
    ]
    return sorted(
        trees, key=lambda t: (t.beslut.decided_on.isoformat() if t.beslut else "", str(t.beslut_id))
    )


# Parents per read: well under SQLite's limit on parameters.
_CHUNK = 500


def _descendants(views: Views, ids: set[UUID]) -> list[UppdragRow]:
    """Every uppdrag that breaks down one of `ids`, at any depth: one indexed read per level."""
    found: list[UppdragRow] = []
    seen = set(ids)
    parents = ids
    while parents:
        ordered = sorted(parents)
        chunks = [tuple(ordered[i : i + _CHUNK]) for i in range(0, len(ordered), _CHUNK)]
        children = [
            r
            for chunk in chunks
            for r in views.uppdrag.select(UppdragRow, parent_id=chunk)
            if r.id not in seen
        ]
        found += children
        parents = {r.id for r in children}
        seen |= parents
    return found


def _forest(rows: list[UppdragRow]) -> tuple[UppdragNode, ...]:
    ids = {r.id for r in rows}
    children: dict[UUID | None, list[UppdragRow]] = defaultdict(list)
    for row in rows:
        # A parent outside this set (another origin, or not recorded) makes a root here.
        children[row.parent_id if row.parent_id in ids else None].append(row)

    def build(parent: UUID | None, path: frozenset[UUID]) -> tuple[UppdragNode, ...]:
        members = sorted(children.get(parent, []), key=lambda r: (r.issued_on, r.title))
        return tuple(UppdragNode(r, build(r.id, path | {r.id}) if r.id not in path else ()) for r in members)

    return build(None, frozenset())


# What waits for the recipient (to accept, or to report on: its report is awaited) and for the giver
# (to review, to complete).
RECEIVED_OPEN = AWAITING_REPORT_VALUES
GIVEN_OPEN = tuple(s.value for s in (UppdragStatus.REPORTED, UppdragStatus.REPORT_ACCEPTED))


@dataclass(frozen=True)
class Inbox:
    """What waits for one position: uppdrag to accept and to report, reports to review."""

    position: str
    to_accept: list[UppdragRow]
    to_report: list[UppdragRow]
    to_review: list[UppdragRow]
    to_complete: list[UppdragRow]


def inbox(views: Views, position: str) -> Inbox:
    # Only what waits for the position (indexes on recipient and on giver with status): not every
    # uppdrag it has ever given or received.
    received = views.uppdrag.query(UppdragRow, {"recipient": position, "status": RECEIVED_OPEN})
    given = views.uppdrag.query(UppdragRow, {"giver": position, "status": GIVEN_OPEN})

    def having(rows: list[UppdragRow], *statuses: UppdragStatus) -> list[UppdragRow]:
        wanted = {s.value for s in statuses}
        return sorted((r for r in rows if r.status in wanted), key=lambda r: (r.due or r.issued_on, r.title))

    return Inbox(
        position=position,
        to_accept=having(received, UppdragStatus.ISSUED),
        to_report=having(received, UppdragStatus.ACCEPTED, UppdragStatus.REPORT_RETURNED),
        to_review=having(given, UppdragStatus.REPORTED),
        to_complete=having(given, UppdragStatus.REPORT_ACCEPTED),
    )


def overdue_uppdrag(views: Views, on: date) -> list[UppdragRow]:
    """The uppdrag whose report was due before `on` and is not in, the earliest deadline first."""
    rows = views.uppdrag.query(UppdragRow, UppdragRow.overdue_conditions(on))
    # Sorted here, not by the database: titles in Python's order whatever the database's collation.
    return sorted(rows, key=lambda u: (u.due, u.title))
