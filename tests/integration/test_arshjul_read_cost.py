"""The årshjul of one budget year (its page and `GET /api/v1/arshjul/{budgetår}`) reads only the uppdrag
that can answer that year's steps, however many years of budget uppdrag and monthly reports the view
holds.

Counted, not timed: the rows the uppdrag view hands out (on SQLite and PostgreSQL), and on SQLite the
virtual-machine steps and plan of its two queries. The standings are held to what they are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from integration.test_per_item_lookup_cost import (
    counted,
    query_steps,
    rows_read,
    store_settings,
    views_holding,
)
from unit.view_rows import uid, uppdrag_row

from lerum_flow.domain.plan_steps import StepOutcome
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.rows import Row
from lerum_flow.projections.uppdrag import ReportRow, UppdragProjection, UppdragRow
from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.report_answers import budget_decision
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.web.arshjul import Answers, step_standings
from lerum_flow.web.reads import Moment
from lerum_flow.web.reads_arshjul import answering_conditions, reports_known
from lerum_flow.workflows.arshjul.models import CyclePlan
from lerum_flow.workflows.starter import plan_of_budget_year

YEAR = 2028
ON = date(YEAR + 1, 6, 1)
STAMP = datetime(2027, 1, 1, tzinfo=UTC)


def plan(year: int) -> CyclePlan:
    return plan_of_budget_year(default_styrmodell(), year)


def budget(year: int) -> BeslutTaget:
    """KF's budget for `year`, decided the June before."""
    return BeslutTaget(
        event_id=f"budget-{year}",
        beslut_id=uid(year),
        kind="budget",
        decided_by="kf",
        decided_on=date(year - 1, 6, 15),
        budget_year=year,
    )


def report(uppdrag: int, on: date) -> ReportRow:
    return ReportRow(
        uppdrag_id=uid(uppdrag),
        version=3,
        period="",
        assessment="uppfyllt",
        text="Rapport.",
        reported_on=on,
        recorded_at=STAMP,
        person="",
    )


def year_rows(year: int) -> list[Row]:
    """What one budget year recorded: KF's budget uppdrag to KS under another title than the årshjul
    names it (found by its decision), reported in the delårsrapport's window, and March's monthly
    reports asked of the kommundirektör, both in by the 15th; beside them an uppdrag KF gave KS of
    its own."""
    start = year * 1000
    march = next(f for f in plan(year).follow_ups if f.key == f"uppfoljning:{year}-03:forvaltningschef")
    rows: list[Row] = [
        uppdrag_row(
            start,
            f"KS uppdrag enligt budget {year}",
            origin=year,
            issued_on=date(year - 1, 6, 20),
            status=UppdragStatus.REPORTED,
        ),
        report(start, date(year, 10, 20)),
        uppdrag_row(start + 1, f"Utredning {year}", issued_on=date(year, 2, 1)),
    ]
    for n, request in enumerate(march.requests, start=2):
        rows += [
            uppdrag_row(
                start + n,
                request.title,
                giver=request.giver,
                recipient=request.recipient,
                issued_on=date(year, 3, 1),
                status=UppdragStatus.REPORTED,
            ),
            report(start + n, date(year, 3, 5 + 10 * (n % 2))),
        ]
    return rows


def other_years(count: int) -> list[Row]:
    """`count` years before and after the one asked about, each recorded as it is."""
    years = [y for y in range(YEAR - count, YEAR + count + 1) if y != YEAR]
    return [row for y in years for row in year_rows(y)]


def test_a_budget_years_standings_read_only_its_own_uppdrag_however_many_years_the_view_holds(
    tmp_path: Path, database_url: str
) -> None:
    """With 2 and with 30 other years' budget uppdrag, own uppdrag of KF to KS and monthly reports,
    the year's steps are answered by its own: the budget uppdrag found by its decision, its report in
    the delårsrapport's window, March's reports. The view hands out those three uppdrag and their
    three reports either way, and on SQLite its two queries take as many steps through indexes."""
    decided = [budget(y) for y in range(YEAR - 1, YEAR + 2)]
    the_plan = plan(YEAR)
    report_keys = {r.key for r in the_plan.reports} | {f.key for f in the_plan.follow_ups}
    budget_ids = {d.beslut_id for d in [budget_decision(the_plan, decided)] if d is not None}
    measured = []
    for count in (2, 30):
        directory = tmp_path / str(count)
        with views_holding(directory, database_url, [*year_rows(YEAR), *other_years(count)]) as store:
            views = counted(store.views)
            uppdrag, reports = reports_known(views.uppdrag, [the_plan], budget_ids, Moment(ON))
            read = rows_read(views)
        standings = step_standings(the_plan, Answers(decided, uppdrag, reports), ON)
        answered = {key: (s.outcome, s.answered_on) for key, s in standings.items() if key in report_keys}
        assert answered == {
            "delarsrapport": (StepOutcome.IN_TIME, date(YEAR, 10, 20)),
            "arsredovisning": (StepOutcome.MISSED, None),
            f"uppfoljning:{YEAR}-03:forvaltningschef": (StepOutcome.IN_TIME, date(YEAR, 3, 15)),
        }
        assert sorted(u.id.int for u in uppdrag) == [YEAR * 1000, YEAR * 1000 + 2, YEAR * 1000 + 3]
        steps: tuple[object, ...] = ()
        settings = store_settings(directory, database_url)
        if not settings.uses_postgres:
            view = settings.sqlite_path(UppdragProjection.name)
            by_title, by_decision = answering_conditions([the_plan], budget_ids)
            steps = (
                *query_steps(view, UppdragRow, by_title, 2),
                *query_steps(view, UppdragRow, by_decision, 1),
            )
        measured.append((read, steps))
    (small_read, small_steps), (large_read, large_steps) = measured
    assert small_read == large_read == {"uppdrag": 6}
    assert small_steps == large_steps
    if small_steps:
        assert "USING INDEX uppdrag_view_giver_title_idx" in str(small_steps[1])
        assert "USING INDEX uppdrag_view_origin_beslut_id_idx" in str(small_steps[3])
