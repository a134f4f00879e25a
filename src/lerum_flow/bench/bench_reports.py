"""The årsredovisning of a mandate-period store, made in full, beside the as-of replay it rests on."""

from __future__ import annotations

from datetime import date

from lerum_flow.bench.bench_read import first_and_last_day
from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.bench.timing import stopwatch
from lerum_flow.projections.asof import AsOf, replay
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.reports.making import make_report
from lerum_flow.reports.period import annual_period
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell

# The replay is the floor; the rest is reads of the views, the figures, the charts and the templates.
GOAL = Goal(GoalKind.REPORT_ONLY, 0.0)


def arsredovisning(settings: Settings, styrmodell: Styrmodell, *, with_pdf: bool) -> list[Figure]:
    """Seconds to make the årsredovisning of the store's middle year as HTML, beside the as-of replay
    of that year's last day."""
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        first, last = first_and_last_day(log)
        year = (first + (last - first) / 2).year
        on = date(year, 12, 31)
        with stopwatch() as query:
            replay(log, AsOf(on)).close()
        with stopwatch() as html:
            made = make_report(log, annual_period(year), AsOf(on), styrmodell=styrmodell)
        details: dict[str, object] = {
            "ar": year,
            "handelser_i_loggen": log.recorder.max_notification_id() or 0,
            "html_byte": len(made),
        }
        if with_pdf:
            with stopwatch() as pdf:
                made = make_report(log, annual_period(year), AsOf(on), styrmodell=styrmodell, as_pdf=True)
            details |= {"pdf_sekunder": round(pdf.wall, 2), "pdf_byte": len(made)}
    finally:
        log.close()
    return [
        Figure(
            id="rapport_arsredovisning_html",
            name=f"Årsredovisning {year} som HTML, hela kedjan",
            unit="s",
            value=html.wall,
            baseline=query.wall,
            baseline_name="as-of-uppspelningen den bygger på, samma lager",
            goal=GOAL,
            details=details,
        )
    ]
