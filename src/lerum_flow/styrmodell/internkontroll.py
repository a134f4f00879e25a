"""The internkontroll year as the styrmodell sets it: who adopts a plan, the risk scale, the deadlines.

One reading for the application (the scale, the first day of a report), the
workflow's plan (the deadlines it keeps) and what people are shown
(`internkontroll status`), so all three agree. Pure functions; no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.calendar_law import delarsrapport_by
from lerum_flow.domain.internkontroll_rules import report_not_before
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.values import Rapportperiod
from lerum_flow.styrmodell.model import Styrmodell


@dataclass(frozen=True)
class InternkontrollYear:
    """The deadlines of one year's internal control: the plan in it, the reports and KS's assessment."""

    year: int
    plan_by: date
    delar_from: date
    delar_by: date
    helar_from: date
    helar_by: date
    assessment_by: date

    def report_from(self, period: Rapportperiod) -> date:
        return self.delar_from if period is Rapportperiod.DELAR else self.helar_from

    def report_by(self, period: Rapportperiod) -> date:
        return self.delar_by if period is Rapportperiod.DELAR else self.helar_by


def internkontroll_year(styrmodell: Styrmodell, year: int) -> InternkontrollYear:
    """Year N: the plan by `plan_senast` in N, the results with the delårsrapport in N (the year's
    last, where the kalender has several) and after the year by `rapport_senast` in N+1, KS's
    assessment by `bedomning_senast` in N+1."""
    rules = styrmodell.internkontroll
    interim = styrmodell.kalender.interim_periods()[-1]
    period_end = interim.slutar.in_year(year)
    return InternkontrollYear(
        year=year,
        plan_by=rules.plan_senast.in_year(year),
        delar_from=report_not_before(Rapportperiod.DELAR, year, period_end),
        delar_by=delarsrapport_by(interim.rapport_senast.in_year(year), period_end),
        helar_from=report_not_before(Rapportperiod.HELAR, year, period_end),
        helar_by=rules.rapport_senast.in_year(year + 1),
        assessment_by=rules.bedomning_senast.in_year(year + 1),
    )


def risk_scale(styrmodell: Styrmodell) -> tuple[int, int]:
    """How many steps the probability and the consequence scales have."""
    rules = styrmodell.internkontroll
    return len(rules.sannolikhet), len(rules.konsekvens)


def plan_organs(styrmodell: Styrmodell) -> list[Position]:
    """The organs of the fixed chain that adopt a plan every year, in the file's order."""
    kinds = set(styrmodell.internkontroll.antas_av)
    return [p for p in styrmodell.styrkedja() if str(p.kind) in kinds]


def styrelse(styrmodell: Styrmodell) -> Position:
    """Kommunstyrelsen: it receives the organs' reports and assesses the whole (uppsiktsplikt)."""
    return next(p for p in styrmodell.styrkedja() if p.kind is PositionKind.STYRELSE)
