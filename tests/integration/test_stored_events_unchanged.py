"""The same commands store the same rows, byte for byte, as the code of before the redesign did.

A fixed list of commands (every command, retries, refusals, a batch, the
escalation process's own commands) runs through `Governance` on a SQLite store
with a clock that ticks one second a command. The stored rows (originator id,
version, topic, state bytes) and every answer (outcome or refusal) are compared
with a golden file that the code before the redesign wrote. A change here means
stored events, command ids or refusals changed: old stores would no longer be
read as they were written. To write the golden file again (only for a deliberate,
documented change of the stored form): `python tests/integration/test_stored_events_unchanged.py`.

The people acting hold their positions (`unit.governance_world`'s staffing, and
the förordnande of the chef established on the way): those förordnanden and the
decisions they rest on are recorded by a second Governance on the same file with
a clock of its own, so the commands above see the same clock as before, and
their rows are left out of the comparison, which is of the rows the golden file
has always held.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import COMMAND_OF, appoint, staff

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.inforande import INFORANDE_ID
from lerum_flow.styrmodell import default_styrmodell

GOLDEN = Path(__file__).parent.parent / "fixtures" / "stored_events" / "golden.json"

START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
BUDGET_DAY = date(2026, 6, 15)
ORDNING_DAY = date(2026, 12, 10)
YEAR_START = date(2027, 1, 1)
DAY = date(2027, 3, 1)
PROCESS_STEP = UUID("6f1c1e52-6c53-5b0e-9a43-3f2f5d0a7e11")
PROCESS_INFORM = UUID("6f1c1e52-6c53-5b0e-9a43-3f2f5d0a7e12")
PROCESS_RETRY = UUID("6f1c1e52-6c53-5b0e-9a43-3f2f5d0a7e13")


@dataclass(frozen=True)
class Ref:
    """The id an earlier step's outcome answered with."""

    step: str


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    actor: str
    fields: dict[str, Any] = field(default_factory=dict)
    command: str = ""


COMMANDS: dict[str, type[c.Command]] = {
    **COMMAND_OF,
    "miss_acknowledgement_deadline": c.MissAcknowledgementDeadline,
    "inform_level": c.InformLevel,
}


def _budget(name: str = "budget") -> Step:
    return Step(
        name,
        "take_beslut",
        "kf",
        {
            "decided_by": "kf",
            "kind": "budget",
            "diarienummer": "KF 2026/10",
            "paragraf": "§ 55",
            "title": "Budget 2027",
            "decided_on": BUDGET_DAY,
        },
    )


def _avvikelse(name: str, actor: str, severity: str, description: str, **more: Any) -> Step:
    fields = {
        "subject_kind": "budgetomrade",
        "subject_ref": "forskola",
        "severity": severity,
        "category": "ekonomi",
        "description": description,
        "occurred_on": DAY,
    }
    return Step(name, "report_avvikelse", actor, fields | more)


STEPS: list[Step | list[Step]] = [
    _budget(),
    _budget("budget igen"),
    Step(
        "beslut av tjansteperson",
        "take_beslut",
        "kommundirektor",
        {
            "decided_by": "kommundirektor",
            "kind": "ovrigt",
            "diarienummer": "KS 2027/1",
            "title": "Egen policy",
            "decided_on": DAY,
        },
    ),
    Step(
        "fel slag",
        "take_beslut",
        "ks",
        {
            "decided_by": "ks",
            "kind": "budget",
            "diarienummer": "KS 2026/1",
            "title": "Budget av KS",
            "decided_on": BUDGET_DAY,
        },
    ),
    Step(
        "revisorer",
        "take_beslut",
        "revisorer",
        {
            "decided_by": "revisorer",
            "kind": "ovrigt",
            "diarienummer": "R 1",
            "title": "X",
            "decided_on": DAY,
        },
    ),
    Step(
        "kf uppdrag",
        "issue_uppdrag",
        "kf",
        {
            "recipient": "ks",
            "title": "Genomför budget 2027",
            "origin_beslut_id": Ref("budget"),
            "issued_on": BUDGET_DAY,
            "due": date(2027, 12, 31),
        },
    ),
    Step(
        "kf uppdrag igen",
        "issue_uppdrag",
        "kf",
        {
            "recipient": "ks",
            "title": "Genomför budget 2027",
            "origin_beslut_id": Ref("budget"),
            "issued_on": BUDGET_DAY,
            "due": date(2027, 12, 31),
        },
    ),
    Step(
        "kf uppdrag annat innehall",
        "issue_uppdrag",
        "kf",
        {
            "recipient": "ks",
            "title": "Genomför budget 2027",
            "origin_beslut_id": Ref("budget"),
            "issued_on": BUDGET_DAY,
            "due": date(2027, 11, 30),
        },
    ),
    Step(
        "uppdrag utan ursprung",
        "issue_uppdrag",
        "kf",
        {
            "recipient": "ks",
            "title": "Utan ursprung",
            "issued_on": BUDGET_DAY,
        },
    ),
    Step(
        "mal fran tjansteperson",
        "issue_uppdrag",
        "kommundirektor",
        {
            "kind": "mal",
            "recipient": "larande",
            "title": "Mål",
            "origin_beslut_id": Ref("budget"),
            "issued_on": DAY,
        },
    ),
    Step("ks tar emot", "accept_uppdrag", "ks", {"uppdrag_id": Ref("kf uppdrag"), "on": BUDGET_DAY}),
    Step("ks tar emot igen", "accept_uppdrag", "ks", {"uppdrag_id": Ref("kf uppdrag"), "on": BUDGET_DAY}),
    Step(
        "ordning",
        "take_beslut",
        "ks",
        {
            "decided_by": "ks",
            "kind": "delegationsordning",
            "diarienummer": "KS 2026/200",
            "paragraf": "§ 120",
            "title": "Delegationsordning 2027",
            "decided_on": ORDNING_DAY,
        },
    ),
    Step(
        "delegering",
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor"],
            "matter": "upphandling",
            "beslut_id": Ref("ordning"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "delegering igen",
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor"],
            "matter": "upphandling",
            "beslut_id": Ref("ordning"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "gemensam delegering",
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor", "larande"],
            "matter": "upphandling",
            "beslut_id": Ref("ordning"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "ej delegerbart",
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor"],
            "matter": "kvalitetskrav",
            "beslut_id": Ref("ordning"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "delegering med budgetbeslut",
        "grant_delegering",
        "kf",
        {
            "delegates": ["ks"],
            "matter": "upphandling",
            "beslut_id": Ref("budget"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "direktorens ordning",
        "take_beslut",
        "kommundirektor",
        {
            "decided_by": "kommundirektor",
            "kind": "delegationsordning",
            "diarienummer": "KS 2027/3",
            "title": "Vidaredelegation av upphandling",
            "decided_on": YEAR_START,
            "delegering_id": Ref("delegering"),
        },
    ),
    Step(
        "vidare",
        "grant_delegering",
        "kommundirektor",
        {
            "delegates": ["larande"],
            "matter": "upphandling",
            "beslut_id": Ref("direktorens ordning"),
            "parent_delegering_id": Ref("delegering"),
            "valid_from": YEAR_START,
        },
    ),
    Step(
        "delegationsbeslut",
        "take_beslut",
        "larande",
        {
            "decided_by": "larande",
            "kind": "ovrigt",
            "diarienummer": "L 2027/5",
            "title": "Avtal om skolskjuts",
            "decided_on": DAY,
            "delegering_id": Ref("vidare"),
        },
    ),
    Step(
        "delegationsbeslut fel delegat",
        "take_beslut",
        "samhallsbyggnad",
        {
            "decided_by": "samhallsbyggnad",
            "kind": "ovrigt",
            "diarienummer": "S 2027/5",
            "title": "Avtal",
            "decided_on": DAY,
            "delegering_id": Ref("vidare"),
        },
    ),
    Step(
        "delegationsbeslut fore",
        "take_beslut",
        "larande",
        {
            "decided_by": "larande",
            "kind": "ovrigt",
            "diarienummer": "L 2026/1",
            "title": "Tidigt avtal",
            "decided_on": date(2026, 12, 1),
            "delegering_id": Ref("vidare"),
        },
    ),
    Step(
        "delegationsbeslut annat omrade",
        "take_beslut",
        "larande",
        {
            "decided_by": "larande",
            "kind": "ovrigt",
            "diarienummer": "L 2027/6",
            "title": "Anställning",
            "decided_on": DAY,
            "delegering_id": Ref("vidare"),
            "matter": "personal",
        },
    ),
    Step(
        "anmalan",
        "report_beslut",
        "ks",
        {
            "beslut_id": Ref("delegationsbeslut"),
            "minutes_paragraf": "§ 14",
            "reported_on": DAY,
        },
    ),
    Step(
        "rattelse",
        "correct_beslut",
        "ks",
        {
            "beslut_id": Ref("ordning"),
            "diarienummer": "KS 2026/201",
            "paragraf": "§ 120",
            "title": "Delegationsordning 2027",
            "reason": "Fel diarienummer",
            "corrected_on": DAY,
        },
    ),
    Step(
        "chef",
        "establish_befattning",
        "larande",
        {
            "code": "chef-forskola",
            "name": "Förskolechef",
            "kind": "chef",
            "parent": "larande",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "medarbetare",
        "establish_befattning",
        "chef-forskola",
        {
            "code": "m-anna",
            "name": "Förskollärare",
            "kind": "medarbetare",
            "parent": "chef-forskola",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "befattning finns",
        "establish_befattning",
        "larande",
        {
            "code": "ks",
            "name": "X",
            "kind": "chef",
            "parent": "larande",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "fel slag av befattning",
        "establish_befattning",
        "larande",
        {
            "code": "x-1",
            "name": "X",
            "kind": "organ",
            "parent": "larande",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "annan sektors organisation",
        "establish_befattning",
        "larande",
        {
            "code": "x-3",
            "name": "X",
            "kind": "chef",
            "parent": "samhallsbyggnad",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "okand overordnad",
        "establish_befattning",
        "larande",
        {
            "code": "x-2",
            "name": "X",
            "kind": "chef",
            "parent": "ingen",
            "established_on": YEAR_START,
        },
    ),
    Step(
        "ks till direktoren",
        "issue_uppdrag",
        "ks",
        {
            "recipient": "kommundirektor",
            "title": "Lokalplan",
            "parent_id": Ref("kf uppdrag"),
            "issued_on": DAY,
        },
    ),
    Step(
        "nedbrytning av annan",
        "issue_uppdrag",
        "kommundirektor",
        {
            "recipient": "larande",
            "title": "Del",
            "parent_id": Ref("kf uppdrag"),
            "issued_on": DAY,
        },
    ),
    Step(
        "nedbrytning ej mottaget",
        "issue_uppdrag",
        "kommundirektor",
        {
            "recipient": "larande",
            "title": "Del",
            "parent_id": Ref("ks till direktoren"),
            "issued_on": DAY,
        },
    ),
    Step(
        "direktoren tar emot",
        "accept_uppdrag",
        "kommundirektor",
        {
            "uppdrag_id": Ref("ks till direktoren"),
            "on": DAY,
        },
    ),
    Step(
        "till sektorn",
        "issue_uppdrag",
        "kommundirektor",
        {
            "recipient": "larande",
            "title": "Lokaler för förskolan",
            "parent_id": Ref("ks till direktoren"),
            "issued_on": DAY,
            "key": "lokaler",
        },
    ),
    Step("sektorn tar emot", "accept_uppdrag", "larande", {"uppdrag_id": Ref("till sektorn"), "on": DAY}),
    Step(
        "till chefen",
        "issue_uppdrag",
        "larande",
        {
            "recipient": "chef-forskola",
            "title": "Lokaler i Gråbo",
            "parent_id": Ref("till sektorn"),
            "issued_on": DAY,
        },
    ),
    Step(
        "okand bedomning",
        "report_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "assessment": "lila",
            "text": "X",
        },
    ),
    Step(
        "rapport",
        "report_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "assessment": "delvis",
            "text": "Halvvägs",
            "period": "2027-02",
        },
    ),
    Step(
        "retur",
        "return_report",
        "kommundirektor",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "reason": "Komplettera",
        },
    ),
    Step(
        "retur igen",
        "return_report",
        "kommundirektor",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "reason": "Komplettera",
        },
    ),
    Step(
        "rapport igen",
        "report_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "assessment": "delvis",
            "text": "Halvvägs",
            "period": "2027-02",
        },
    ),
    Step(
        "andra returen",
        "return_report",
        "kommundirektor",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "reason": "Komplettera",
        },
    ),
    Step(
        "tredje rapporten",
        "report_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "assessment": "uppfyllt",
            "text": "Klart",
        },
    ),
    Step(
        "godkand",
        "accept_report",
        "kommundirektor",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "comment": "Bra",
        },
    ),
    Step(
        "andring utan innehall",
        "revise_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till chefen"),
            "on": DAY,
            "reason": "Inget",
        },
    ),
    Step(
        "andring",
        "revise_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till chefen"),
            "on": DAY,
            "due": date(2027, 9, 30),
            "reason": "Senare",
        },
    ),
    Step(
        "aterkallat",
        "withdraw_uppdrag",
        "larande",
        {
            "uppdrag_id": Ref("till chefen"),
            "on": DAY,
            "reason": "Behövs inte",
        },
    ),
    Step(
        "klart",
        "complete_uppdrag",
        "kommundirektor",
        {
            "uppdrag_id": Ref("till sektorn"),
            "on": DAY,
            "comment": "Avslutat",
        },
    ),
    Step(
        "till chefen igen",
        "issue_uppdrag",
        "larande",
        {
            "recipient": "chef-forskola",
            "title": "Lokaler i Gråbo",
            "parent_id": Ref("till sektorn"),
            "issued_on": DAY,
        },
    ),
    Step(
        "okant uppdrag",
        "accept_uppdrag",
        "ks",
        {
            "uppdrag_id": UUID("00000000-0000-0000-0000-000000000001"),
            "on": DAY,
        },
    ),
    Step("fel sorts post", "accept_uppdrag", "ks", {"uppdrag_id": Ref("budget"), "on": DAY}),
    _avvikelse("avvikelse", "larande", "avvikelse", "Underskott i förskolan."),
    _avvikelse("avvikelse igen", "larande", "avvikelse", "Underskott i förskolan."),
    _avvikelse("storre", "chef-forskola", "storre", "Brand i förskolan."),
    _avvikelse("okand grad", "larande", "katastrof", "X"),
    _avvikelse("okand kategori", "larande", "avvikelse", "Y", category="vader"),
    _avvikelse(
        "om uppdrag",
        "larande",
        "avvikelse",
        "Lokalerna blir sena.",
        subject_kind="uppdrag",
        subject_ref=Ref("till sektorn"),
    ),
    _avvikelse("om trasigt uppdrag", "larande", "avvikelse", "Z", subject_kind="uppdrag", subject_ref="abc"),
    Step(
        "bedomd",
        "assess_avvikelse",
        "kommundirektor",
        {
            "avvikelse_id": Ref("avvikelse"),
            "on": DAY,
            "severity": "storre",
            "reason": "Större än väntat",
        },
    ),
    Step(
        "okand bedomd grad",
        "assess_avvikelse",
        "kommundirektor",
        {
            "avvikelse_id": Ref("avvikelse"),
            "on": DAY,
            "severity": "jatte",
            "reason": "X",
        },
    ),
    Step(
        "eskalerad forbi",
        "escalate_avvikelse",
        "kommundirektor",
        {
            "avvikelse_id": Ref("om uppdrag"),
            "on": DAY,
            "to_level": "kf",
            "reason": "Budgetfråga",
        },
    ),
    Step(
        "eskalera nedat",
        "escalate_avvikelse",
        "kommundirektor",
        {
            "avvikelse_id": Ref("avvikelse"),
            "on": DAY,
            "to_level": "larande",
        },
    ),
    Step("eskalerad", "escalate_avvikelse", "kommundirektor", {"avvikelse_id": Ref("avvikelse"), "on": DAY}),
    Step(
        "eskalera fran toppen",
        "escalate_avvikelse",
        "kf",
        {
            "avvikelse_id": Ref("om uppdrag"),
            "on": DAY,
        },
    ),
    Step("kvitterad", "acknowledge_avvikelse", "ks", {"avvikelse_id": Ref("avvikelse"), "on": DAY}),
    Step("kvitterad igen", "acknowledge_avvikelse", "ks", {"avvikelse_id": Ref("avvikelse"), "on": DAY}),
    Step(
        "atgard",
        "decide_action",
        "ks",
        {
            "avvikelse_id": Ref("avvikelse"),
            "on": DAY,
            "action": "Omfördela ramen",
        },
    ),
    Step(
        "stangd",
        "close_avvikelse",
        "ks",
        {
            "avvikelse_id": Ref("avvikelse"),
            "on": DAY,
            "resolution": "Ramen omfördelad",
        },
    ),
    Step(
        "informerad",
        "inform_level",
        c.PROCESS_ACTOR,
        {
            "person": "eskalering-1",
            "command_id": PROCESS_INFORM,
            "avvikelse_id": Ref("storre"),
            "level": "kf",
            "on": DAY,
        },
    ),
    Step(
        "missad frist",
        "miss_acknowledgement_deadline",
        c.PROCESS_ACTOR,
        {
            "person": "eskalering-1",
            "command_id": PROCESS_STEP,
            "avvikelse_id": Ref("storre"),
            "level": "ks",
            "deadline": datetime(2027, 3, 1, 23, 30, tzinfo=UTC),
        },
    ),
    Step(
        "missad frist igen",
        "miss_acknowledgement_deadline",
        c.PROCESS_ACTOR,
        {
            "person": "eskalering-1",
            "command_id": PROCESS_STEP,
            "avvikelse_id": Ref("storre"),
            "level": "ks",
            "deadline": datetime(2027, 3, 1, 23, 30, tzinfo=UTC),
        },
    ),
    Step(
        "informera nedat",
        "inform_level",
        c.PROCESS_ACTOR,
        {
            "person": "eskalering-1",
            "command_id": PROCESS_RETRY,
            "avvikelse_id": Ref("storre"),
            "level": "larande",
            "on": DAY,
        },
    ),
    Step(
        "process som person",
        "inform_level",
        "ks",
        {
            "avvikelse_id": Ref("storre"),
            "level": "kf",
            "on": DAY,
        },
    ),
    Step(
        "process utan id",
        "inform_level",
        c.PROCESS_ACTOR,
        {
            "person": "eskalering-1",
            "avvikelse_id": Ref("storre"),
            "level": "kf",
            "on": DAY,
        },
    ),
    Step(
        "aterkallad",
        "revoke_delegering",
        "ks",
        {
            "delegering_id": Ref("delegering"),
            "reason": "Ny ordning",
            "valid_from": date(2027, 7, 1),
        },
    ),
    Step(
        "delegationsbeslut efter aterkallelse",
        "take_beslut",
        "larande",
        {
            "decided_by": "larande",
            "kind": "ovrigt",
            "diarienummer": "L 2027/9",
            "title": "Avtal om städning",
            "decided_on": date(2027, 4, 1),
            "delegering_id": Ref("vidare"),
        },
    ),
    [
        Step(
            "satsens beslut",
            "take_beslut",
            "ks",
            {
                "decided_by": "ks",
                "kind": "verksamhetsplan",
                "diarienummer": "KS 2027/50",
                "paragraf": "§ 200",
                "title": "Verksamhetsplan 2028",
                "decided_on": date(2027, 11, 1),
            },
        ),
        Step(
            "satsens uppdrag",
            "issue_uppdrag",
            "ks",
            {
                "recipient": "kommundirektor",
                "title": "Verksamhetsplan 2028",
                "origin_beslut_id": Ref("satsens beslut"),
                "issued_on": date(2027, 11, 1),
            },
        ),
        Step(
            "satsens mottagande",
            "accept_uppdrag",
            "kommundirektor",
            {
                "uppdrag_id": Ref("satsens uppdrag"),
                "on": date(2027, 11, 2),
            },
        ),
        Step(
            "satsens nekade",
            "issue_uppdrag",
            "larande",
            {
                "recipient": "ks",
                "title": "Uppåt",
                "origin_beslut_id": Ref("satsens beslut"),
                "issued_on": date(2027, 11, 1),
            },
        ),
        Step(
            "satsens vidare",
            "issue_uppdrag",
            "kommundirektor",
            {
                "recipient": "larande",
                "title": "Del av planen",
                "parent_id": Ref("satsens uppdrag"),
                "issued_on": date(2027, 11, 3),
            },
        ),
        _budget("satsens kopia av budgeten"),
    ],
    Step(
        "satsens beslut igen",
        "take_beslut",
        "ks",
        {
            "decided_by": "ks",
            "kind": "verksamhetsplan",
            "diarienummer": "KS 2027/50",
            "paragraf": "§ 200",
            "title": "Verksamhetsplan 2028",
            "decided_on": date(2027, 11, 1),
        },
    ),
]


class TickingClock:
    """A clock that moves one second each time it is read, from a fixed instant."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _resolve(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, Ref):
        return UUID(ids[value.step])
    return value


# Positions established on the way, and who holds them once they are, from the day they are (no
# förordnande reaches before a position exists).
APPOINTED_AFTER = {"chef": (("chef-forskola", YEAR_START),)}


def _run(app: Governance, step: Step, ids: dict[str, str]) -> dict[str, Any]:
    fields = {k: _resolve(v, ids) for k, v in step.fields.items()}
    if isinstance(fields.get("subject_ref"), UUID):
        fields["subject_ref"] = str(fields["subject_ref"])
    fields.setdefault("person", f"p-{step.actor}")
    try:
        command = c.parse_command(COMMANDS[step.method], actor=step.actor, **fields)
        outcome = getattr(app, step.method)(command)
    except Refusal as refusal:
        return {"step": step.name, "refusal": refusal.as_dict()}
    ids[step.name] = str(outcome.id)
    return {"step": step.name, "outcome": outcome.as_dict()}


def run_commands(path: Path) -> dict[str, Any]:
    """Run every step on a fresh SQLite store at `path`; the answers and the stored rows."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    staffing = Governance(default_styrmodell(), env=env)
    staffed = {INFORANDE_ID, *(outcome.id for outcome in staff(staffing))}
    app = Governance(default_styrmodell(), env=env, clock=TickingClock())
    ids: dict[str, str] = {}
    answers: list[dict[str, Any]] = []
    for item in STEPS:
        if isinstance(item, list):
            with app.batch():
                answers.extend(_run(app, step, ids) for step in item)
        else:
            answers.append(_run(app, item, ids))
            for position, on in APPOINTED_AFTER.get(item.name, ()):
                staffed.update(outcome.id for outcome in appoint(staffing, position, on=on))
    staffing.close()
    app.close()
    return {"answers": answers, "rows": list(_rows(path, leave_out={i.hex for i in staffed}))}


def _rows(path: Path, *, leave_out: frozenset[str] | set[str] = frozenset()) -> Iterator[dict[str, Any]]:
    with closing(sqlite3.connect(path)) as connection:
        cursor = connection.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
        )
        for originator_id, version, topic, state in cursor:
            if originator_id not in leave_out:
                yield {
                    "originator_id": originator_id,
                    "version": version,
                    "topic": topic,
                    "state": state.hex(),
                }


# Added since the golden file was written: the store's record of its styrmodell, whose
# first version is stored with the first write. The rows of every other kind are unchanged.
MODEL_TOPICS = ("lerum_flow:StyrmodellRecord.",)


def _without_model(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if not row["topic"].startswith(MODEL_TOPICS)]


@pytest.fixture(scope="module")
def now(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The answers and rows of one run of the commands, for every test here."""
    return run_commands(tmp_path_factory.mktemp("stored") / "governance.sqlite")


def test_the_same_commands_store_the_same_rows_and_answers_as_before(now: dict[str, Any]) -> None:
    """Stored topics, state bytes, ids and versions, and every outcome and refusal, match the golden file."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert now["answers"] == golden["answers"]
    expected_rows = _without_model(golden["rows"])
    rows = _without_model(now["rows"])
    assert len(rows) == len(expected_rows)
    for row, expected in zip(rows, expected_rows, strict=True):
        assert row == expected


def test_the_styrmodell_is_stored_once_with_the_first_write(now: dict[str, Any]) -> None:
    """The only new row is the styrmodell the store was begun with, stored just before the first command."""
    rows = now["rows"]
    model_rows = [i for i, row in enumerate(rows) if row["topic"].startswith(MODEL_TOPICS)]
    assert model_rows == [0]
    assert rows[0]["topic"] == "lerum_flow:StyrmodellRecord.Adopted"


def _write_golden(run: Callable[[Path], dict[str, Any]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        result = run(Path(directory) / "governance.sqlite")
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"{GOLDEN}: {len(result['rows'])} rader, {len(result['answers'])} svar\n")


if __name__ == "__main__":
    _write_golden(run_commands)
