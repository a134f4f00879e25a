"""Planned deviations: reported at the bottom, most handled at the first level, some escalated,
a few judged major and sent straight to KS, and a very few on to KF."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.demo.meetings import (
    next_kf_meeting,
    next_ks_meeting,
    plus_working_days,
    some_working_day,
)
from lerum_flow.demo.plan_uppdrag import YearUppdrag
from lerum_flow.demo.planning import Planning

# Who reports: employees to their unit, units to their sector, sectors to the director.
REPORTER_MIX = (("employee", 0.60), ("unit", 0.30), ("sector", 0.10))
REPORTED_MAJOR = 0.03  # judged major at once: straight to KS
LEFT_OPEN = 0.05
ESCALATED = 0.20
JUDGED_MAJOR = 0.04  # judged major by the first level, then sent to KS
TO_KF = 0.25  # of those at KS, sent on to KF
ABOUT_UPPDRAG = 0.25
DESCRIPTIONS = (
    "Budgetunderskott i {}.",
    "Bemanningen räcker inte i {}.",
    "Leveransen är försenad i {}.",
    "Kvalitetsmålet nås inte i {}.",
    "Arbetsmiljöproblem i {}.",
)


def deviations_year(p: Planning, year: int, uppdrag: YearUppdrag) -> None:
    for _ in range(p.profile.deviations):
        _deviation(p, year, uppdrag)


def _deviation(p: Planning, year: int, uppdrag: YearUppdrag) -> None:
    t = p.town
    reporter, level, subject = _reporter(p, uppdrag)
    day = some_working_day(p.rng, date(year, 2, 1), date(year, 11, 30))
    major = p.chance(REPORTED_MAJOR)
    # Drawn in this order: the history generated from a seed stays the same.
    about_uppdrag = bool(subject) and p.chance(ABOUT_UPPDRAG)
    category = p.rng.choice(p.styrmodell.avvikelsekategorier)
    description = p.rng.choice(DESCRIPTIONS).format(level)
    a: UUID = p.schedule.add(
        day,
        "report_avvikelse",
        c.ReportAvvikelse,
        **p.schedule.by(reporter),
        subject_kind="uppdrag" if about_uppdrag else "handelse",
        severity="storre" if major else "avvikelse",
        category=category,
        description=description,
        occurred_on=day,
        key=p.key("AV", year),
        subject_ref=str(subject) if about_uppdrag else f"{reporter}-{day.isoformat()}",
    ).avvikelse_id()
    if major:
        _at_organ(p, a, t.ks, day)
    elif p.chance(LEFT_OPEN):
        return
    elif p.chance(JUDGED_MAJOR):
        on = plus_working_days(day, 1)
        p.schedule.add(
            on, "acknowledge_avvikelse", c.AcknowledgeAvvikelse, **p.schedule.by(level), avvikelse_id=a, on=on
        )
        p.schedule.add(
            on,
            "assess_avvikelse",
            c.AssessAvvikelse,
            **p.schedule.by(level),
            avvikelse_id=a,
            on=on,
            severity="storre",
            reason="Påverkar brukarnas säkerhet.",
        )
        p.schedule.add(
            on,
            "escalate_avvikelse",
            c.EscalateAvvikelse,
            **p.schedule.by(level),
            avvikelse_id=a,
            on=on,
            to_level=t.ks,
            reason="Större avvikelse.",
        )
        _at_organ(p, a, t.ks, on)
    elif p.chance(ESCALATED):
        on = plus_working_days(day, 1)
        p.schedule.add(
            on,
            "escalate_avvikelse",
            c.EscalateAvvikelse,
            **p.schedule.by(level),
            avvikelse_id=a,
            on=on,
            reason="Kräver beslut på högre nivå.",
        )
        _handled(p, a, _above(p, level), plus_working_days(on, 2))
    else:
        _handled(p, a, level, plus_working_days(day, 1))


def _reporter(p: Planning, uppdrag: YearUppdrag) -> tuple[str, str, UUID | None]:
    """Who reports, the level that receives it, and an uppdrag it may concern."""
    t = p.town
    roll = p.rng.random()
    if roll < REPORTER_MIX[0][1]:
        unit = p.rng.choice(t.unit_list)
        return p.rng.choice(t.employees[unit]), unit, uppdrag.unit_followup.get(unit)
    if roll < REPORTER_MIX[0][1] + REPORTER_MIX[1][1]:
        unit = p.rng.choice(t.unit_list)
        return unit, t.sector_of(unit), uppdrag.unit_followup.get(unit)
    sector = p.rng.choice(t.sectors)
    return sector, t.director, uppdrag.sector_main.get(sector)


def _above(p: Planning, level: str) -> str:
    t = p.town
    if level in t.sectors:
        return t.director
    if level == t.director:
        return t.ks
    return t.sector_of(level)


def _handled(p: Planning, a: UUID, level: str, day: date) -> None:
    """Acknowledged, an action decided (mostly), closed within weeks."""
    p.schedule.add(
        day, "acknowledge_avvikelse", c.AcknowledgeAvvikelse, **p.schedule.by(level), avvikelse_id=a, on=day
    )
    if p.chance(0.7):
        p.schedule.add(
            plus_working_days(day, 2),
            "decide_action",
            c.DecideAction,
            **p.schedule.by(level),
            avvikelse_id=a,
            on=plus_working_days(day, 2),
            action="Åtgärdsplan upprättad.",
        )
    closed = plus_working_days(day, p.rng.randint(5, 25))
    p.schedule.add(
        closed,
        "close_avvikelse",
        c.CloseAvvikelse,
        **p.schedule.by(level),
        avvikelse_id=a,
        on=closed,
        resolution="Åtgärdat och uppföljt.",
    )


def _at_organ(p: Planning, a: UUID, organ: str, after: date) -> None:
    """KS takes it up at its next meeting; some it sends on to KF, which acts at its own."""
    t = p.town
    meeting = next_ks_meeting(after)
    p.schedule.add(
        meeting,
        "acknowledge_avvikelse",
        c.AcknowledgeAvvikelse,
        **p.schedule.by(organ),
        avvikelse_id=a,
        on=meeting,
    )
    if p.chance(TO_KF):
        p.schedule.add(
            meeting,
            "escalate_avvikelse",
            c.EscalateAvvikelse,
            **p.schedule.by(organ),
            avvikelse_id=a,
            on=meeting,
            to_level=t.kf,
            reason="Kan påverka budgeten.",
        )
        kf = next_kf_meeting(meeting)
        p.schedule.add(
            kf, "acknowledge_avvikelse", c.AcknowledgeAvvikelse, **p.schedule.by(t.kf), avvikelse_id=a, on=kf
        )
        p.schedule.add(
            kf,
            "decide_action",
            c.DecideAction,
            **p.schedule.by(t.kf),
            avvikelse_id=a,
            on=kf,
            action="Budgeten revideras.",
        )
        p.schedule.add(
            kf + timedelta(days=1),
            "close_avvikelse",
            c.CloseAvvikelse,
            **p.schedule.by(t.kf),
            avvikelse_id=a,
            on=kf + timedelta(days=1),
            resolution="Beslutat i fullmäktige.",
        )
        return
    p.schedule.add(
        meeting,
        "decide_action",
        c.DecideAction,
        **p.schedule.by(organ),
        avvikelse_id=a,
        on=meeting,
        action="Åtgärdsplan beslutad av kommunstyrelsen.",
    )
    later = next_ks_meeting(meeting)
    p.schedule.add(
        later,
        "close_avvikelse",
        c.CloseAvvikelse,
        **p.schedule.by(organ),
        avvikelse_id=a,
        on=later,
        resolution="Återrapporterat till kommunstyrelsen.",
    )
