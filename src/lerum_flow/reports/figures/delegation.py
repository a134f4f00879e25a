"""Delegated decisions taken in the report's window, per delegate and matter: anmälda or not yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.reports.figures.counted import Counted, counted
from lerum_flow.reports.record import ReportRecord


@dataclass(frozen=True)
class DelegationLine:
    delegate: str
    matter: str
    taken: Counted
    reported: Counted
    unreported: Counted


def delegated_in_window(record: ReportRecord) -> list[BeslutRow]:
    last = min(record.period.end, record.on)
    return [
        b
        for b in record.beslut
        if b.is_delegated
        and record.period.start <= b.decided_on <= last
        and record.positions.within(b.decided_by, record.scope)
    ]


def delegation_lines(record: ReportRecord, *, per_position: bool = True) -> list[DelegationLine]:
    """Per delegate and matter; without `per_position`, delegates are grouped by level and sector
    (`delegate` is then "level/sector"), as a report on the whole municipality shows them."""
    groups: dict[tuple[str, str], list[BeslutRow]] = defaultdict(list)
    for row in delegated_in_window(record):
        if per_position:
            delegate = row.decided_by
        else:
            placement = record.positions.placement(row.decided_by)
            delegate = f"{placement.level}/{placement.sector}"
        groups[(delegate, row.matter)].append(row)
    return [
        DelegationLine(
            delegate=delegate,
            matter=matter,
            taken=counted(b.id for b in rows),
            reported=counted(b.id for b in rows if b.reported),
            unreported=counted(b.id for b in rows if not b.reported),
        )
        for (delegate, matter), rows in sorted(groups.items())
    ]
