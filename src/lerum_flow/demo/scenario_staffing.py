"""The scenario's first chapter: who holds which position, recorded before anyone acts in one.

The kanslienhet takes the register of förordnanden into use, records the
voters' choice from Länsstyrelsen's bevis, KF elects KS and the revisorer, KS
appoints the kommundirektör and its own sekreterare, the kommundirektör the
sektorschefer; the unit chefs are appointed by their sectors once their units
exist. One step shows the rule every command now keeps: a person acts only in a
position they held that day.
"""

from __future__ import annotations

from datetime import date

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.organisation import KANSLI
from lerum_flow.demo.script import PEOPLE, Chapter, Script
from lerum_flow.staffing import Seat, staffing_plan

MANDATE_STARTS = date(2026, 10, 15)
MANDATE_ENDS = date(2030, 10, 14)
UNITS_FROM = date(2027, 1, 10)

# Who the voters and KF chose besides the kanslienhet and the officials of PEOPLE.
KF_LEDAMOT = "p-0101"
KS_LEDAMOT = "p-0301"

CHAIN = [
    Seat("kf", KF_LEDAMOT),
    Seat("ks", KS_LEDAMOT),
    Seat("ks", KANSLI, "sekreterare"),
    Seat("revisorer", PEOPLE["revisorer"]),
    Seat("kommundirektor", PEOPLE["kommundirektor"]),
    Seat("larande", PEOPLE["larande"]),
    Seat("vard-och-omsorg", PEOPLE["vard-och-omsorg"]),
]
UNITS = ["rektor-vallhamra", "rektor-torpskolan", "enhetschef-solgarden"]


def chain_staffed(s: Script) -> Chapter[None]:
    """The fixed chain staffed from the mandate period's first day; one person out of place refused."""
    s.chapter = "Styrkedjan bemannas"
    plan = staffing_plan(
        CHAIN,
        s.governance.position,
        on=MANDATE_STARTS,
        until=MANDATE_ENDS,
        introduce=Seat("kf", KANSLI),
    )
    for act in plan:
        yield s.planned(act)
    yield s.attempt(
        "Kommundirektören försöker fatta ett beslut som KS",
        Governance.take_beslut,
        c.TakeBeslut,
        **s.by("ks", person=PEOPLE["kommundirektor"]),
        decided_by="ks",
        kind="ovrigt",
        diarienummer="KS 2026/399",
        paragraf="§ 150",
        title="Egen policy",
        decided_on="2026-11-02",
    )


def units_staffed(s: Script) -> Chapter[None]:
    """The sectors appoint the chefs of the units they established."""
    held = [Seat(code, person) for code, person in PEOPLE.items() if code in ("larande", "vard-och-omsorg")]
    plan = staffing_plan(
        [Seat(unit, PEOPLE[unit]) for unit in UNITS],
        s.governance.position,
        on=UNITS_FROM,
        until=MANDATE_ENDS,
        held=held,
    )
    for act in plan:
        yield s.planned(act)
