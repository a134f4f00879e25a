"""Planned uppdrag: the budget down the chain, broken down to every unit, followed up and completed.

For budget year N: KF's budget becomes KF's uppdrag to KS, KS's verksamhetsplan
the director's, the director breaks it down to the sectors, the sectors to
their units, the units to some employees. The director reports to KS every
follow-up month; sectors and units on the areas the uppföljningsplan names
that month; other uppdrag at the tertials. Some reports are returned, some
uppdrag revised or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.demo.meetings import (
    kf_meeting,
    ks_meeting,
    next_kf_meeting,
    next_ks_meeting,
    plus_working_days,
    some_working_day,
    working_day,
)
from lerum_flow.demo.plan_beslut import YearDecisions
from lerum_flow.demo.planning import Planning

RETURNED = 0.05
REVISED = 0.05
WITHDRAWN = 0.03
# Of the uppdrag left after the fixed ones (budget, plan, follow-ups), who gives them.
SHARES = {"kf": 0.01, "ks": 0.02, "sector": 0.03, "unit": 0.70, "employee": 0.24}
# Which follow-up months each area of a unit is reported on (the uppföljningsplan).
AREAS = {"ekonomi": None, "verksamhet": (3, 6, 9, 11), "kvalitet": (4, 8, 12)}
TERTIALS = ((4, 20), (8, 25), (12, 8))
ASSESSMENT_WEIGHTS = (0.7, 0.25, 0.05)


@dataclass
class YearUppdrag:
    """Uppdrag that deviations of the year may concern."""

    unit_followup: dict[str, UUID] = field(default_factory=dict)
    sector_main: dict[str, UUID] = field(default_factory=dict)


def uppdrag_year(p: Planning, year: int, decisions: YearDecisions) -> YearUppdrag:
    t = p.town
    fixed = 2 + len(t.sectors) + len(AREAS) * len(t.unit_list)
    rest = max(0, p.profile.uppdrag - fixed)
    budget = _budget_chain(p, year, decisions)
    plan = _plan(p, year, decisions, budget)
    _misc(p, t.kf, t.ks, decisions.kf_other, round(rest * SHARES["kf"]), year)
    _misc(p, t.ks, t.director, decisions.ks_other, round(rest * SHARES["ks"]), year)
    result = YearUppdrag()
    sector_other: dict[str, list[UUID]] = {s: [] for s in t.sectors}
    issued = working_day(date(year, 1, 8))
    for sector in t.sectors:
        main = _issue(p, issued, t.director, sector, f"Verksamhetsuppdrag {year}", year, parent=plan)
        _accept(p, plus_working_days(issued, 1), sector, main)
        _monthly(p, year, main, sector, t.director, offset=6, months=_months(p, year, None))
        _year_end(p, main, sector, t.director, date(year + 1, 2, 1))
        result.sector_main[sector] = main
    for n in range(round(rest * SHARES["sector"])):
        sector = t.sectors[n % len(t.sectors)]
        u = _issue(p, issued, t.director, sector, f"Utvecklingsuppdrag {n + 1}", year, parent=plan)
        _accept(p, plus_working_days(issued, 1), sector, u)
        if _tertials(p, year, u, sector, t.director, offset=4):
            _complete(p, u, t.director, date(year + 1, 1, 27))
            sector_other[sector].append(u)
    unit_other = _units(p, year, result, sector_other, round(rest * SHARES["unit"]))
    _employees(p, year, unit_other, round(rest * SHARES["employee"]))
    return result


def _budget_chain(p: Planning, year: int, d: YearDecisions) -> UUID:
    """KF's budget as its uppdrag to KS; with it, KS's reports on the mandate's goals."""
    t = p.town
    budget = _issue(p, d.budget_day, t.kf, t.ks, f"Genomför budget {year}", year, origin=d.budget)
    _accept(p, next_ks_meeting(d.budget_day), t.ks, budget)
    for u in (budget, p.mal_uppdrag):
        if u is None:
            continue
        _round(p, u, t.ks, t.kf, ks_meeting(year, 9), kf_meeting(year, 10), f"delår {year}")
        _round(p, u, t.ks, t.kf, ks_meeting(year + 1, 3), kf_meeting(year + 1, 4), f"helår {year}")
    _complete(p, budget, t.kf, kf_meeting(year + 1, 6))
    if p.mal_uppdrag is not None and p.election_year(year):
        _complete(p, p.mal_uppdrag, t.kf, kf_meeting(year + 1, 6))
    return budget


def _plan(p: Planning, year: int, d: YearDecisions, budget: UUID) -> UUID:
    """KS's verksamhetsplan as the director's uppdrag, followed up every month at KS."""
    t = p.town
    plan = _issue(p, d.plan_day, t.ks, t.director, f"Verkställ verksamhetsplan {year}", year, parent=budget)
    _accept(p, plus_working_days(d.plan_day, 1), t.director, plan)
    for month in p.styrmodell.kalender.uppfoljningsmanader:
        meeting = ks_meeting(year, month)
        _round(p, plan, t.director, t.ks, meeting - timedelta(days=4), meeting, f"{year}-{month:02d}")
    closing = ks_meeting(year + 1, 2)
    _round(p, plan, t.director, t.ks, closing - timedelta(days=4), closing, f"helår {year}")
    _complete(p, plan, t.ks, closing)
    return plan


def _misc(p: Planning, giver: str, to: str, decided: list[tuple[date, UUID]], count: int, year: int) -> None:
    """Uppdrag an organ gives in one of its decisions, reported on within months."""
    next_meeting = next_kf_meeting if giver == p.town.kf else next_ks_meeting
    for day, beslut in decided[:count]:
        u = _issue(p, day, giver, to, f"Utred och återkom ({beslut.hex[:6]})", year + 1, origin=beslut)
        _accept(p, plus_working_days(day, 3), to, u)
        reported = working_day(day + timedelta(days=p.rng.randint(60, 120)))
        accepted = next_meeting(plus_working_days(reported, 3))
        _round(p, u, to, giver, reported, accepted, "slutrapport")
        _complete(p, u, giver, accepted)


def _units(
    p: Planning, year: int, result: YearUppdrag, sector_other: dict[str, list[UUID]], count: int
) -> dict[str, list[UUID]]:
    """Each unit's follow-up areas and its share of the other uppdrag; returns those still open."""
    t = p.town
    open_other: dict[str, list[UUID]] = {u: [] for u in t.unit_list}
    issued: dict[str, date] = {}
    for unit in t.unit_list:
        sector = t.sector_of(unit)
        # After the sectors have accepted theirs, and early enough to report in February.
        issued[unit] = some_working_day(p.rng, date(year, 1, 12), date(year, 1, 19))
        for area, months in AREAS.items():
            u = _issue(
                p,
                issued[unit],
                sector,
                unit,
                f"Uppföljning {area} {year}",
                year,
                parent=result.sector_main[sector],
            )
            _accept(p, plus_working_days(issued[unit], p.rng.randint(1, 2)), unit, u)
            _monthly(p, year, u, unit, sector, offset=10, months=_months(p, year, months))
            _year_end(p, u, unit, sector, date(year + 1, 1, 20))
            if area == "ekonomi":
                result.unit_followup[unit] = u
    for n in range(count):
        unit = t.unit_list[n % len(t.unit_list)]
        sector = t.sector_of(unit)
        parents = sector_other[sector] or [result.sector_main[sector]]
        u = _issue(
            p, issued[unit], sector, unit, f"Uppdrag {n + 1} för enheten", year, parent=p.rng.choice(parents)
        )
        _accept(p, plus_working_days(issued[unit], p.rng.randint(1, 3)), unit, u)
        if _tertials(p, year, u, unit, sector, offset=2):
            _complete(p, u, sector, date(year + 1, 1, 22))
            open_other[unit].append(u)
    return open_other


def _employees(p: Planning, year: int, unit_other: dict[str, list[UUID]], count: int) -> None:
    """A unit gives one of its employees part of an uppdrag, reported on within months."""
    t = p.town
    units = [u for u in t.unit_list if unit_other[u]]
    for n in range(count if units else 0):
        unit = units[n % len(units)]
        employee = p.rng.choice(t.employees[unit])
        day = some_working_day(p.rng, date(year, 2, 1), date(year, 9, 30))
        u = _issue(p, day, unit, employee, f"Deluppdrag {n + 1}", year, parent=p.rng.choice(unit_other[unit]))
        _accept(p, plus_working_days(day, p.rng.randint(1, 2)), employee, u)
        reported = plus_working_days(day, p.rng.randint(15, 45))
        _round(p, u, employee, unit, reported, plus_working_days(reported, 4), "slutrapport")
        _complete(p, u, unit, plus_working_days(reported, 5))


def _months(p: Planning, year: int, area_months: tuple[int, ...] | None) -> list[int]:
    """Follow-up months below the director start in February, after the January breakdown."""
    months = [m for m in p.styrmodell.kalender.uppfoljningsmanader if m >= 2]
    return months if area_months is None else [m for m in months if m in area_months]


def _monthly(p: Planning, year: int, u: UUID, by: str, to: str, *, offset: int, months: list[int]) -> None:
    """Reported `offset` working days before KS meets, so each level has reported before the next."""
    for month in months:
        meeting = ks_meeting(year, month)
        day = plus_working_days(meeting - timedelta(days=offset + 7), 0)
        _round(p, u, by, to, day, plus_working_days(day, 4), f"{year}-{month:02d}")


def _tertials(p: Planning, year: int, u: UUID, by: str, to: str, *, offset: int) -> bool:
    """Tertial reports, a revision or a withdrawal; False if withdrawn (nothing more happens)."""
    for month, day_of_month in TERTIALS:
        day = working_day(date(year, month, day_of_month + offset))
        _round(
            p,
            u,
            by,
            to,
            day,
            plus_working_days(day, 4),
            f"{year}-T{TERTIALS.index((month, day_of_month)) + 1}",
        )
        if month == 4 and p.chance(WITHDRAWN):
            on = working_day(date(year, 5, 15))
            p.schedule.add(
                on,
                "withdraw_uppdrag",
                c.WithdrawUppdrag,
                **p.schedule.by(to),
                uppdrag_id=u,
                reason="Prioriteras bort.",
                on=on,
            )
            return False
        if month == 4 and p.chance(REVISED):
            on = working_day(date(year, 6, 10))
            p.schedule.add(
                on,
                "revise_uppdrag",
                c.ReviseUppdrag,
                **p.schedule.by(to),
                uppdrag_id=u,
                due=date(year + 1, 3, 31),
                reason="Nya förutsättningar efter tertialrapporten.",
                on=on,
            )
    return True


def _year_end(p: Planning, u: UUID, by: str, to: str, day: date) -> None:
    reported = working_day(day)
    accepted = plus_working_days(reported, 4)
    _round(p, u, by, to, reported, accepted, f"helår {day.year - 1}")
    _complete(p, u, to, plus_working_days(accepted, 1))


def _issue(
    p: Planning,
    day: date,
    giver: str,
    recipient: str,
    title: str,
    year: int,
    *,
    origin: UUID | None = None,
    parent: UUID | None = None,
) -> UUID:
    command = p.schedule.add(
        day,
        "issue_uppdrag",
        c.IssueUppdrag,
        **p.schedule.by(giver),
        recipient=recipient,
        title=title,
        due=max(date(year, 12, 31), day),
        origin_beslut_id=origin,
        parent_id=parent,
        issued_on=day,
        key=p.key("U", year),
    )
    ident: UUID = command.uppdrag_id()
    return ident


def _accept(p: Planning, day: date, recipient: str, u: UUID) -> None:
    p.schedule.add(day, "accept_uppdrag", c.AcceptUppdrag, **p.schedule.by(recipient), uppdrag_id=u, on=day)


def _round(p: Planning, u: UUID, by: str, to: str, day: date, accept_on: date, period: str) -> None:
    """A report, sometimes returned and made again, accepted by the giver on `accept_on` at the latest."""
    s = p.schedule
    assessment = p.rng.choices(p.styrmodell.assessment_codes(), weights=ASSESSMENT_WEIGHTS)[0]
    text = f"Uppföljning {period}: bedömning {assessment}."
    s.add(
        day,
        "report_uppdrag",
        c.ReportUppdrag,
        **s.by(by),
        uppdrag_id=u,
        assessment=assessment,
        text=text,
        period=period,
        on=day,
    )
    if p.chance(RETURNED):
        returned = day + timedelta(days=1)
        again = returned + timedelta(days=1)
        reason = "Komplettera med utfall och åtgärder."
        s.add(returned, "return_report", c.ReturnReport, **s.by(to), uppdrag_id=u, reason=reason, on=returned)
        s.add(
            again,
            "report_uppdrag",
            c.ReportUppdrag,
            **s.by(by),
            uppdrag_id=u,
            assessment=assessment,
            text=text + " Kompletterad.",
            period=period,
            on=again,
        )
        accept_on = max(accept_on, again + timedelta(days=1))
    s.add(accept_on, "accept_report", c.AcceptReport, **s.by(to), uppdrag_id=u, on=accept_on)


def _complete(p: Planning, u: UUID, giver: str, day: date) -> None:
    p.schedule.add(day, "complete_uppdrag", c.CompleteUppdrag, **p.schedule.by(giver), uppdrag_id=u, on=day)
