"""Planned decisions: the organs' decisions at their meetings, and delegated decisions with their anmälan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.demo.meetings import (
    kf_meeting,
    kf_meetings,
    ks_meeting,
    ks_meetings,
    next_kf_meeting,
    next_ks_meeting,
    some_working_day,
)
from lerum_flow.demo.organisation import HANDLAGGARE_MATTERS, SECTOR_MATTERS, UNIT_MATTERS
from lerum_flow.demo.planning import Planning

# KF takes about one decision in seven; KS, which prepares everything, the rest.
KF_SHARE = 0.15
CORRECTED_SHARE = 0.02
# Who decides on delegation, and how often: units and handläggare take most.
DELEGATE_MIX = (("unit", 0.70), ("handlaggare", 0.20), ("sector", 0.08), ("director", 0.02))
TITLES = (
    "Motion om {}",
    "Riktlinje för {}",
    "Svar på medborgarförslag om {}",
    "Investering i {}",
    "Taxa för {}",
    "Avtal om {}",
    "Yttrande över remiss om {}",
)
SUBJECTS = (
    "gång- och cykelvägar",
    "skolskjuts",
    "äldreboende",
    "förskoleplatser",
    "bredband",
    "vatten och avlopp",
    "idrottshall",
    "bibliotek",
    "kollektivtrafik",
    "energi",
)
DELEGATED_TITLES = {
    "personal": ("Anställning av {}", "Lönesättning för {}", "Tjänstledighet för {}"),
    "upphandling": ("Tilldelning av avtal om {}", "Avrop från ramavtal om {}"),
    "inkop_inom_budget": ("Inköp av {}", "Beställning av {}"),
}
# Every meeting's minutes list the reported delegated decisions under one paragraph.
ANMALAN_PARAGRAF = "§ 3 Anmälan av delegationsbeslut"
DELEGATED_SUBJECTS = (
    "lärare",
    "undersköterska",
    "kontorsmaterial",
    "IT-utrustning",
    "möbler",
    "konsulttjänst",
)


@dataclass
class YearDecisions:
    """The decisions of one budget year that uppdrag trace to."""

    budget: UUID
    verksamhetsplan: UUID
    budget_day: date
    plan_day: date
    # Other decisions by KF and KS in the year, (day, id), some of which become uppdrag.
    kf_other: list[tuple[date, UUID]] = field(default_factory=list)
    ks_other: list[tuple[date, UUID]] = field(default_factory=list)


def budget_day(p: Planning, year: int) -> date:
    """KF adopts the budget for `year` in June, or in November after an election."""
    return kf_meeting(year - 1, 11 if p.election_year(year - 1) else 6)


def political_year(p: Planning, year: int) -> YearDecisions:
    """The budget cycle's decisions for budget year `year`, and the organs' other decisions in it."""
    t = p.town
    day = budget_day(p, year)
    budget = _organ_decision(
        p, t.kf, day, "budget", f"Budget {year} med plan {year + 1}–{year + 2}", "budget"
    )
    plan_day = ks_meeting(year - 1, 12)
    plan = _organ_decision(p, t.ks, plan_day, "verksamhetsplan", f"Verksamhetsplan {year}", "verksamhetsplan")
    _organ_decision(p, t.ks, plan_day, "uppfoljningsplan", f"Uppföljningsplan {year}", "uppfoljningsplan")
    _organ_decision(p, t.ks, ks_meeting(year, 9), "delarsrapport", f"Delårsrapport {year}")
    _organ_decision(p, t.kf, kf_meeting(year, 10), "delarsrapport", f"Delårsrapport {year}")
    _organ_decision(p, t.ks, ks_meeting(year + 1, 3), "arsredovisning", f"Årsredovisning {year}")
    _organ_decision(p, t.kf, kf_meeting(year + 1, 4), "arsredovisning", f"Årsredovisning {year}")
    _organ_decision(
        p, t.kf, kf_meeting(year + 1, 6), "ansvarsfrihet", f"Ansvarsfrihet för {year}", "ansvarsfrihet"
    )
    decisions = YearDecisions(budget, plan, day, plan_day)
    other = max(0, p.profile.political_decisions - 8)
    for _ in range(other):
        kf = p.chance(KF_SHARE)
        organ = t.kf if kf else t.ks
        meeting = p.rng.choice(kf_meetings(year) if kf else ks_meetings(year))
        title = p.rng.choice(TITLES).format(p.rng.choice(SUBJECTS))
        ident = _organ_decision(p, organ, meeting, "ovrigt", title)
        (decisions.kf_other if kf else decisions.ks_other).append((meeting, ident))
        if p.chance(CORRECTED_SHARE):
            _correct(p, organ, meeting, ident, title)
    return decisions


def vilja_och_mal(p: Planning, first_year: int) -> tuple[date, UUID]:
    """The new KF's goals for its mandate period, adopted in November of the election year."""
    day = kf_meeting(first_year - 1, 11)
    title = f"Vilja och mål {first_year}–{first_year + 3}"
    return day, _organ_decision(p, p.town.kf, day, "vilja_och_mal", title, "vilja_och_mal")


def _organ_decision(p: Planning, organ: str, day: date, kind: str, title: str, matter: str = "") -> UUID:
    command = p.schedule.add(
        day,
        "take_beslut",
        c.TakeBeslut,
        **p.schedule.by(organ),
        decided_by=organ,
        kind=kind,
        matter=matter,
        diarienummer=p.diarienummer("KS", day.year),
        paragraf=p.paragraf(organ, day.year),
        title=title,
        decided_on=day,
    )
    ident: UUID = command.beslut_id()
    return ident


def _correct(p: Planning, organ: str, decided: date, ident: UUID, title: str) -> None:
    """A wrong title noticed and corrected at the organ's next meeting."""
    meeting = next_kf_meeting(decided) if organ == p.town.kf else next_ks_meeting(decided)
    p.schedule.add(
        meeting,
        "correct_beslut",
        c.CorrectBeslut,
        **p.schedule.by(organ),
        beslut_id=ident,
        diarienummer=p.diarienummer("KS", decided.year),
        paragraf=p.paragraf(organ, decided.year),
        title=f"{title} (rättad)",
        reason="Fel titel i protokollet.",
        corrected_on=meeting,
    )


def delegated_year(p: Planning, year: int) -> None:
    """The year's delegated decisions, each reported (anmält) to KS at its next meeting."""
    t = p.town
    first, last = date(year, 1, 10), date(year, 12, 20)
    for _ in range(p.profile.delegated_decisions):
        delegate, matters = _delegate(p)
        matter = p.rng.choice(matters)
        day = some_working_day(p.rng, first, last)
        delegering = t.delegations.in_force(matter, delegate, day)
        assert delegering is not None, f"{delegate} holds {matter} on {day}"
        title = p.rng.choice(DELEGATED_TITLES[matter]).format(p.rng.choice(DELEGATED_SUBJECTS))
        command = p.schedule.add(
            day,
            "take_beslut",
            c.TakeBeslut,
            **p.schedule.by(delegate),
            decided_by=delegate,
            kind="ovrigt",
            diarienummer=p.diarienummer("KS", year),
            title=title,
            decided_on=day,
            delegering_id=delegering,
        )
        if p.chance(p.profile.unreported_share):
            continue
        meeting = next_ks_meeting(day)
        p.schedule.add(
            meeting,
            "report_beslut",
            c.ReportBeslut,
            **p.schedule.by(t.ks),
            beslut_id=command.beslut_id(),
            minutes_paragraf=ANMALAN_PARAGRAF,
            reported_on=meeting,
        )


def _delegate(p: Planning) -> tuple[str, tuple[str, ...]]:
    t = p.town
    who = p.rng.choices([w for w, _ in DELEGATE_MIX], weights=[s for _, s in DELEGATE_MIX])[0]
    if who == "unit":
        return p.rng.choice(t.unit_list), UNIT_MATTERS
    if who == "handlaggare" and t.handlaggare:
        return p.rng.choice(t.handlaggare), HANDLAGGARE_MATTERS
    if who == "director":
        return t.director, SECTOR_MATTERS
    return p.rng.choice(t.sectors), SECTOR_MATTERS
