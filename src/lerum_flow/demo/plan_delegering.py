"""Planned organisation and delegation: units and employees established, delegations granted,
revoked at each new mandate, and a few replaced every year (managers come and go)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.demo.meetings import ks_meeting, next_ks_meeting
from lerum_flow.demo.organisation import (
    HANDLAGGARE_MATTERS,
    PERSONAL,
    SECTOR_MATTERS,
    UNIT_MATTERS,
    Level,
)
from lerum_flow.demo.planning import Planning
from lerum_flow.domain.delegering import delegering_id

# Share of the units' staff delegations handed to a new manager each year.
TURNOVER = 0.08


def staff_chain(p: Planning, on: date) -> None:
    """The förordnanden of the fixed chain, before anyone acts in it (the register taken into use)."""
    _plan_staffing(p, "chain", on)


def establish(p: Planning, on: date) -> None:
    """Every unit under its sector, its chef appointed, then every employee under their unit and
    appointed by that chef."""
    for employees in (False, True):
        for planned in p.town.establishments(units=not employees, employees=employees):
            p.schedule.add(
                on,
                "establish_befattning",
                c.EstablishBefattning,
                **p.schedule.by(planned.parent),
                established_on=on,
                code=planned.code,
                name=planned.name,
                kind=planned.kind,
                parent=planned.parent,
            )
        _plan_staffing(p, "employees" if employees else "units", on)


def _plan_staffing(p: Planning, level: Level, on: date) -> None:
    # The elected hold their seats for the whole history generated.
    until = date(p.profile.end_year, 12, 31)
    for act in p.town.staffing(p.styrmodell.styrkedja(), level, on=on, until=until):
        p.schedule.add_planned(on, act.method, act.command)


def new_mandate(p: Planning, first_year: int) -> UUID:
    """KS's delegationsordning for the mandate, and the director's vidaredelegation under it.

    The delegations of the previous mandate end the day the new ones start.
    Returns the delegationsordning beslut.
    """
    t, s = p.town, p.schedule
    adopted = ks_meeting(first_year - 1, 12)
    ordning = s.add(
        adopted,
        "take_beslut",
        c.TakeBeslut,
        **s.by(t.ks),
        decided_by=t.ks,
        kind="delegationsordning",
        matter="delegationsordning",
        diarienummer=p.diarienummer("KS", first_year - 1),
        paragraf=p.paragraf(t.ks, first_year - 1),
        title=f"Delegationsordning för kommunstyrelsen {first_year}–{first_year + 3}",
        decided_on=adopted,
    ).beslut_id()
    start = date(first_year, 1, 1)
    _revoke_all(p, start)
    to_director: dict[str, UUID] = {}
    for matter in SECTOR_MATTERS:
        s.add(
            start,
            "grant_delegering",
            c.GrantDelegering,
            **s.by(t.ks),
            delegates=[t.director],
            matter=matter,
            beslut_id=ordning,
            valid_from=start,
        )
        to_director[matter] = delegering_id(ordning, matter, t.director)
        t.delegations.grant(matter, t.director, start, to_director[matter])
    granted = date(first_year, 1, 4)
    for matter in SECTOR_MATTERS:
        delegates = [
            *t.sectors,
            *(t.unit_list if matter in UNIT_MATTERS else []),
            *(t.handlaggare if matter in HANDLAGGARE_MATTERS else []),
        ]
        _vidaredelegation(p, matter, to_director[matter], delegates, granted, "Vidaredelegation")
    return ordning


def turnover(p: Planning, year: int) -> None:
    """New managers at some units: their staff delegation is revoked and granted anew."""
    t = p.town
    units = [u for u in t.unit_list if p.chance(TURNOVER)]
    if not units:
        return
    on = date(year, 4, 1)
    for unit in units:
        p.schedule.add(
            on,
            "revoke_delegering",
            c.RevokeDelegering,
            **p.schedule.by(t.director),
            delegering_id=t.delegations.end(PERSONAL, unit, on),
            reason="Ny enhetschef.",
            valid_from=on,
        )
    parent = t.delegations.in_force(PERSONAL, t.director, on)
    assert parent is not None, "the director holds staff matters all mandate"
    _vidaredelegation(p, PERSONAL, parent, units, on, "Ändrad vidaredelegation")


def _vidaredelegation(
    p: Planning, matter: str, parent: UUID, delegates: list[str], on: date, title: str
) -> None:
    """The director's decision (itself taken on delegation, so reported to KS) and its grants."""
    t, s = p.town, p.schedule
    beslut = s.add(
        on,
        "take_beslut",
        c.TakeBeslut,
        **s.by(t.director),
        decided_by=t.director,
        kind="delegationsordning",
        diarienummer=p.diarienummer("KS", on.year),
        title=f"{title}: {matter}",
        decided_on=on,
        delegering_id=parent,
    )
    meeting = next_ks_meeting(on)
    s.add(
        meeting,
        "report_beslut",
        c.ReportBeslut,
        **s.by(t.ks),
        beslut_id=beslut.beslut_id(),
        minutes_paragraf=p.paragraf(t.ks, meeting.year),
        reported_on=meeting,
    )
    for delegate in delegates:
        s.add(
            on,
            "grant_delegering",
            c.GrantDelegering,
            **s.by(t.director),
            delegates=[delegate],
            matter=matter,
            beslut_id=beslut.beslut_id(),
            parent_delegering_id=parent,
            valid_from=on,
        )
        t.delegations.grant(matter, delegate, on, delegering_id(beslut.beslut_id(), matter, delegate))


def _revoke_all(p: Planning, on: date) -> None:
    """End the previous mandate's delegations: the director's grants first, then KS's to the director."""
    t = p.town
    current = t.delegations.current()
    for matter, delegate, _ in sorted(current, key=lambda d: d[1] == t.director):
        grantor = t.ks if delegate == t.director else t.director
        p.schedule.add(
            on,
            "revoke_delegering",
            c.RevokeDelegering,
            **p.schedule.by(grantor),
            delegering_id=t.delegations.end(matter, delegate, on),
            reason="Ny delegationsordning för mandatperioden.",
            valid_from=on,
        )
