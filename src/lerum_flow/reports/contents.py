"""A report's contents: every figure of its record, computed once, in the order the report shows them."""

from __future__ import annotations

from dataclasses import dataclass

from lerum_flow.reports.figures.arshjul import Deadline, deadlines
from lerum_flow.reports.figures.avvikelser import AvvikelseFigures, avvikelse_figures
from lerum_flow.reports.figures.delegation import DelegationLine, delegation_lines
from lerum_flow.reports.figures.maluppfyllelse import Goal, goals, scale_of
from lerum_flow.reports.figures.uppdrag_counts import UppdragLine, uppdrag_lines
from lerum_flow.reports.record import ReportRecord, Scale
from lerum_flow.workflows.starter import plan_of_budget_year


@dataclass(frozen=True)
class Contents:
    record: ReportRecord
    scale: tuple[Scale, ...]
    goals: tuple[Goal, ...]
    uppdrag: tuple[UppdragLine, ...]
    avvikelser: AvvikelseFigures
    delegation: tuple[DelegationLine, ...]
    deadlines: tuple[Deadline, ...]


def contents_of(record: ReportRecord) -> Contents:
    year = record.period.year
    # The budget year before (its årsredovisning falls in this year), this one, and the next (its budget).
    plans = [plan_of_budget_year(record.styrmodell, y) for y in (year - 1, year, year + 1)]
    return Contents(
        record=record,
        scale=tuple(scale_of(record.styrmodell)),
        goals=tuple(goals(record)),
        uppdrag=tuple(uppdrag_lines(record)),
        avvikelser=avvikelse_figures(record),
        # A report on the whole municipality groups the delegates by level and sector; a sector's, by person.
        delegation=tuple(delegation_lines(record, per_position=record.scope is not None)),
        deadlines=tuple(deadlines(record, plans)),
    )
