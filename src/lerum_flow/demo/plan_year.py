"""One budget year of the municipality, planned in the order its parts depend on each other."""

from __future__ import annotations

from datetime import date

from lerum_flow import commands as c
from lerum_flow.demo.meetings import next_ks_meeting
from lerum_flow.demo.plan_avvikelse import deviations_year
from lerum_flow.demo.plan_beslut import delegated_year, political_year, vilja_och_mal
from lerum_flow.demo.plan_delegering import establish, new_mandate, staff_chain, turnover
from lerum_flow.demo.plan_uppdrag import uppdrag_year
from lerum_flow.demo.planning import Planning


def starts_on(p: Planning, year: int) -> date:
    """No command of budget year `year` comes before this day (its budget is adopted from June)."""
    return date(year - 1, 6, 1)


def plan_year(p: Planning, year: int) -> None:
    if year == p.profile.start_year:
        calendar = p.styrmodell.kalender
        staff_chain(p, starts_on(p, year))
        establish(p, calendar.mandatperiod_borjar.in_year(year - 1))
    if year == p.profile.start_year or p.election_year(year - 1):
        _mandate(p, year)
    else:
        turnover(p, year)
    decisions = political_year(p, year)
    delegated_year(p, year)
    uppdrag = uppdrag_year(p, year, decisions)
    deviations_year(p, year, uppdrag)


def _mandate(p: Planning, first_year: int) -> None:
    """A new KF's goals become its mål for KS; KS delegates anew for the period."""
    t = p.town
    day, goals = vilja_och_mal(p, first_year)
    mal = p.schedule.add(
        day,
        "issue_uppdrag",
        c.IssueUppdrag,
        **p.schedule.by(t.kf),
        kind="mal",
        recipient=t.ks,
        title=f"Mål för mandatperioden {first_year}–{first_year + 3}",
        due=date(first_year + 3, 12, 31),
        origin_beslut_id=goals,
        issued_on=day,
        key=p.key("MAL", first_year),
    )
    p.mal_uppdrag = mal.uppdrag_id()
    accepted = next_ks_meeting(day)
    p.schedule.add(
        accepted,
        "accept_uppdrag",
        c.AcceptUppdrag,
        **p.schedule.by(t.ks),
        uppdrag_id=p.mal_uppdrag,
        on=accepted,
    )
    new_mandate(p, first_year)
