"""Uppdrag given in the report's window, per level and sector of the recipient, by how far each has come."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.reports.figures.counted import Counted, counted
from lerum_flow.reports.positions import level_rank
from lerum_flow.reports.record import ReportRecord

# Reporting needs an accepted uppdrag, completing an accepted report: each of these was accepted.
ACCEPTED = frozenset(
    {
        UppdragStatus.ACCEPTED,
        UppdragStatus.REPORTED,
        UppdragStatus.REPORT_ACCEPTED,
        UppdragStatus.REPORT_RETURNED,
        UppdragStatus.COMPLETED,
    }
)
COLUMNS = (
    ("given", "Givna"),
    ("accepted", "Mottagna"),
    ("reported", "Återrapporterade"),
    ("completed", "Slutförda"),
    ("late", "Försenade"),
    ("withdrawn", "Återkallade"),
)


@dataclass(frozen=True)
class UppdragLine:
    level: str
    sector: str
    given: Counted
    accepted: Counted
    reported: Counted
    completed: Counted
    late: Counted
    withdrawn: Counted


def in_window(record: ReportRecord) -> list[UppdragRow]:
    """Uppdrag given from the window's first day to its last (or the as-of day, if earlier)."""
    last = min(record.period.end, record.on)
    return [
        u
        for u in record.uppdrag
        if record.period.start <= u.issued_on <= last and record.positions.within(u.recipient, record.scope)
    ]


def uppdrag_lines(record: ReportRecord) -> list[UppdragLine]:
    groups: dict[tuple[str, str], list[UppdragRow]] = defaultdict(list)
    for row in in_window(record):
        placement = record.positions.placement(row.recipient)
        groups[(placement.level, placement.sector)].append(row)
    return [
        _line(level, sector, rows, record)
        for (level, sector), rows in sorted(groups.items(), key=lambda g: (level_rank(g[0][0]), g[0]))
    ]


def total(lines: Sequence[UppdragLine]) -> UppdragLine:
    def join(name: str) -> Counted:
        return counted(i for line in lines for i in getattr(line, name).records)

    return UppdragLine("", "", *(join(name) for name, _ in COLUMNS))


def _line(level: str, sector: str, rows: Sequence[UppdragRow], record: ReportRecord) -> UppdragLine:
    return UppdragLine(
        level=level,
        sector=sector,
        given=counted(u.id for u in rows),
        accepted=counted(u.id for u in rows if u.status in ACCEPTED),
        reported=counted(u.id for u in rows if u.reports > 0),
        completed=counted(u.id for u in rows if u.status == UppdragStatus.COMPLETED),
        late=counted(u.id for u in rows if u.is_overdue(record.on)),
        withdrawn=counted(u.id for u in rows if u.status == UppdragStatus.WITHDRAWN),
    )
