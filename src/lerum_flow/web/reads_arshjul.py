"""The årshjul read from the record, for the API and the page alike: the budget years running on a
day, and each step of a year with how it stands by what was recorded (as known on a day)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from uuid import UUID

from lerum_flow.decisions_taken import ViewDecisions
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.projections.view import ViewReads
from lerum_flow.relay_contract import BeslutTaget
from lerum_flow.report_answers import budget_decision
from lerum_flow.web import models_arshjul as a
from lerum_flow.web.arshjul import Answers, running_years, step_standings
from lerum_flow.web.reads import Moment
from lerum_flow.web.record import WebRecord
from lerum_flow.workflows.arshjul.models import CyclePlan
from lerum_flow.workflows.starter import FIRST_YEAR, LAST_YEAR, plan_of_budget_year


def check_day_in_calendar(on: date) -> None:
    """Refuse a day no budget year's calendar could reach (its plan would lie outside every year
    a cycle can be planned for)."""
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        raise InvalidInput(
            f"Dagen {on.isoformat()} ligger utanför årshjulets år; ange en dag mellan "
            f"{FIRST_YEAR}-01-01 och {LAST_YEAR}-12-31.",
            field="as_of",
            rule="utanfor_arshjulet",
        )


def years_running(record: WebRecord, at: Moment) -> list[int]:
    check_day_in_calendar(at.on)
    return [y for y in running_years(record.styrmodell(), at.on) if FIRST_YEAR <= y <= LAST_YEAR]


def decisions_known(record: WebRecord, plans: Sequence[CyclePlan], at: Moment) -> list[BeslutTaget]:
    """Every decision the plans' steps could be answered by, taken by the day and known on the day:
    one indexed read of the beslut view."""
    steps = [step for plan in plans for step in plan.decisions]
    if not steps:
        return []
    with record.views() as store:
        return ViewDecisions(store).taken(
            sorted({s.kind for s in steps}),
            sorted({s.organ for s in steps}),
            min(s.not_before for s in steps),
            not_after=at.on,
            known_until=at.known_until,
        )


def answering_conditions(
    plans: Sequence[CyclePlan], budget_ids: Collection[UUID]
) -> tuple[dict[str, object], dict[str, object]]:
    """The uppdrag view's two queries for what could answer the plans' steps (`report_answers` picks
    among them): the uppdrag the plans name by giver and title (KF's budget uppdrag to KS, the monthly
    reports asked for; each title names its year), and the uppdrag the plans' budget decisions gave
    (KF's budget uppdrag to KS may carry another title). Neither reads another year's uppdrag."""
    givers = {p.budget_uppdrag.giver for p in plans} | {
        r.reports_to for p in plans for f in p.follow_ups for r in f.reporters
    }
    titles = {p.budget_uppdrag.title for p in plans} | {
        q.title for p in plans for f in p.follow_ups for q in f.requests
    }
    by_title: dict[str, object] = {"giver": tuple(sorted(givers)), "title": tuple(sorted(titles))}
    # By the decision alone (its index): what else a budget decision gave is few rows, and a giver
    # beside it could lead the database to the index on giver, every year's.
    by_decision: dict[str, object] = {"origin_beslut_id": tuple(sorted(budget_ids))}
    return by_title, by_decision


def reports_known(
    view: ViewReads, plans: Sequence[CyclePlan], budget_ids: Collection[UUID], at: Moment
) -> tuple[list[UppdragRow], list[ReportRow]]:
    """The uppdrag the plans' report steps and follow-ups could be answered on (KF's budget uppdrag to
    KS, given by one of `budget_ids` or named as the årshjul names it; the monthly reports asked for)
    issued by the day, and their reports made by the day and known on the day: indexed reads of the
    uppdrag view (`answering_conditions`)."""
    found: dict[UUID, UppdragRow] = {}
    for where in answering_conditions(plans, budget_ids):
        found.update((u.id, u) for u in view.query(UppdragRow, where))
    until = at.known_until
    uppdrag = [u for u in found.values() if u.issued_on <= at.on and (until is None or u.issued_at < until)]
    reports = view.query(ReportRow, {"uppdrag_id": tuple(u.id for u in uppdrag)}) if uppdrag else []
    return uppdrag, [
        r for r in reports if r.reported_on <= at.on and (until is None or r.recorded_at < until)
    ]


def answers_known(record: WebRecord, plans: Sequence[CyclePlan], at: Moment) -> Answers:
    """Everything the record holds that could answer the plans' steps, on the day as known on the day:
    the decisions first, for the uppdrag the budget decisions gave."""
    decided = decisions_known(record, plans, at)
    budgets = [budget_decision(plan, decided) for plan in plans]
    budget_ids = {d.beslut_id for d in budgets if d is not None}
    with record.views() as store:
        uppdrag, reports = reports_known(store.views.uppdrag, plans, budget_ids, at)
    return Answers(decided, uppdrag, reports)


def read_years(record: WebRecord, at: Moment) -> a.ArshjulOversikt:
    return a.ArshjulOversikt(datum=at.on, kant_per=at.known_on, budgetar=years_running(record, at))


def read_year(record: WebRecord, year: int, at: Moment) -> a.ArshjulBudgetar:
    plan = plan_of_budget_year(record.styrmodell(), year)
    standings = step_standings(plan, answers_known(record, [plan], at), at.on)
    steps = []
    for step in plan.dated_steps():
        standing = standings.get(step.key)
        steps.append(
            a.ArshjulSteg(
                nyckel=step.key,
                slag=step.kind,
                vad=step.what,
                av=step.owed_by,
                till=step.owed_to,
                fran=step.opens,
                senast=step.by,
                passerat=step.is_passed(at.on),
                lage=standing.outcome if standing else None,
                besvarat=standing.answered_on if standing else None,
            )
        )
    return a.ArshjulBudgetar(budgetar=year, datum=at.on, kant_per=at.known_on, steg=steps)
