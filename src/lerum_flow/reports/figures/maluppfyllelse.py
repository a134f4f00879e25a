"""Måluppfyllelse: every mål and uppdrag from fullmäktige down, its latest assessment and the year's trend."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.reports.figures.counted import Counted, counted
from lerum_flow.reports.record import ReportRecord, Scale
from lerum_flow.styrmodell import Styrmodell

# Shapes, not colours, carry the assessment (WCAG 1.4.1): best, in between, worst.
BEST, MIDDLE, WORST = "✔", "◐", "✘"
COLOURS = {"grön": "#2e7d32", "gul": "#f9a825", "röd": "#c62828", "blå": "#1565c0", "orange": "#ef6c00"}
NEUTRAL = "#757575"
UNASSESSED = Scale(code="", label="Ej bedömt", symbol="–", colour=NEUTRAL, rank=-1)


def scale_of(styrmodell: Styrmodell) -> list[Scale]:
    """The styrmodell's assessment scale, best first, each with a label and a symbol."""
    levels = styrmodell.bedomningsskala
    last = len(levels) - 1
    return [
        Scale(
            code=level.kod,
            label=level.namn,
            symbol=BEST if rank == 0 else WORST if rank == last else MIDDLE,
            colour=COLOURS.get((level.farg or "").lower(), NEUTRAL),
            rank=rank,
        )
        for rank, level in enumerate(levels)
    ]


@dataclass(frozen=True)
class TrendPoint:
    period: str
    reported_on: date
    scale: Scale


@dataclass(frozen=True)
class Goal:
    id: UUID
    kind: str
    title: str
    giver: str
    recipient: str
    depth: int
    status: str
    latest: Scale
    text: str
    reported_on: date | None
    trend: tuple[TrendPoint, ...]


def goals(record: ReportRecord) -> list[Goal]:
    """The tree under fullmäktige's uppdrag that were alive in the report's year, depth first."""
    by_code = {s.code: s for s in scale_of(record.styrmodell)}
    reports: dict[UUID, list[ReportRow]] = defaultdict(list)
    for report in record.reports:
        reports[report.uppdrag_id].append(report)
    children: dict[UUID | None, list[UppdragRow]] = defaultdict(list)
    year_start = record.period.year_start
    for row in record.uppdrag:
        if row.issued_on <= record.on and (row.due is None or row.due >= year_start):
            children[row.parent_id].append(row)
    roots = [
        r for r in children[None] if record.positions.placement(r.giver).level == PositionKind.FULLMAKTIGE
    ]
    found: list[Goal] = []

    def visit(row: UppdragRow, depth: int) -> None:
        if record.positions.within(row.recipient, record.scope):
            found.append(_goal(row, depth, reports[row.id], by_code, year_start))
        for child in sorted(children[row.id], key=_order):
            visit(child, depth + 1)

    for root in sorted(roots, key=_order):
        visit(root, 0)
    return found


_DIGITS = re.compile(r"(\d+)")


def _order(row: UppdragRow) -> tuple[date, tuple[tuple[int, int | str], ...], UUID]:
    return (row.issued_on, reading_order(row.title), row.id)


def reading_order(title: str) -> tuple[tuple[int, int | str], ...]:
    """Numbers in a title compare as numbers, so "uppdrag 2" comes before "uppdrag 10" as a reader expects."""
    parts = (part for part in _DIGITS.split(title) if part)
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in parts)


def _goal(
    row: UppdragRow, depth: int, reports: Sequence[ReportRow], by_code: dict[str, Scale], year_start: date
) -> Goal:
    ordered = sorted(reports, key=lambda r: (r.reported_on, r.version))
    latest = ordered[-1] if ordered else None
    trend = tuple(
        TrendPoint(r.period, r.reported_on, by_code.get(r.assessment, UNASSESSED))
        for r in ordered
        if r.reported_on >= year_start
    )
    return Goal(
        id=row.id,
        kind=row.kind,
        title=row.title,
        giver=row.giver,
        recipient=row.recipient,
        depth=depth,
        status=row.status,
        latest=by_code.get(latest.assessment, UNASSESSED) if latest else UNASSESSED,
        text=latest.text if latest else "",
        reported_on=latest.reported_on if latest else None,
        trend=trend,
    )


def by_assessment(found: Sequence[Goal], scale: Sequence[Scale]) -> list[tuple[Scale, Counted]]:
    """How many mål and uppdrag stand at each step of the scale (and how many are not assessed)."""
    return [(step, counted(g.id for g in found if g.latest == step)) for step in [*scale, UNASSESSED]]
