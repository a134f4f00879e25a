"""The test model Östervik's årshjul end to end on the time-skipping server, with its own dates.

Six nämnder with their own förvaltningar, two bolag, two delår, the budget in November
(tests/fixtures/styrmodell/sex_namnder.toml). KF adopts the budget; every nämnd but one adopts
its verksamhetsplan after it; the tekniska nämnden adopted its plan before the budget, which does
not count, and one bolag never sends its first delårsrapport. Each of those lands as a deviation
with the organ that owed it, and from a nämnd that lets it lie, goes on to KS under its uppsikt.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from temporal.temporal_harness import decide, ordinary_budget_year, time_skipping

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.starter import start_arshjul

OSTERVIK = Path(__file__).parent.parent / "fixtures" / "styrmodell" / "sex_namnder.toml"
NAMNDER = ("un", "son", "sbn", "kfn", "mhn", "tn")
BOLAG = ("osterviksbostader", "ostervik-energi")


def test_ostervik_runs_its_arshjul_with_namnd_plans_after_the_budget_and_two_delar(tmp_path: Path) -> None:
    ostervik = load_styrmodell(OSTERVIK)

    async def scenario() -> None:
        year = ordinary_budget_year(ostervik, municipal_today())
        plan = plan_cycle(ostervik, year)
        due = {s.key: s.deadline.on for s in plan.decisions}
        # The model's own dates: the budget in November, two delår, the nämnder's plans by 20 December.
        assert due["budget"] == date(year - 1, 11, 25)
        assert [r.deadline.on for r in plan.reports] == [
            date(year, 6, 20),
            date(year, 10, 25),
            date(year + 1, 4, 10),
        ]
        assert {due[f"{n}/verksamhetsplan"] for n in NAMNDER} == {date(year - 1, 12, 20)}

        async with time_skipping(tmp_path, styrmodell=ostervik, handle_at={"ks": "close"}) as h:
            decide(h.governance, "tn", BeslutKind.VERKSAMHETSPLAN, date(year - 1, 11, 10), f"TN plan {year}")
            budget = decide(h.governance, "kf", BeslutKind.BUDGET, date(year - 1, 11, 18), f"Budget {year}")
            decide(h.governance, "kf", BeslutKind.AGARDIREKTIV, date(year - 1, 11, 18), f"Direktiv {year}")
            decide(h.governance, "ks", BeslutKind.VERKSAMHETSPLAN, date(year - 1, 12, 1), f"Plan {year}")
            uppf = decide(
                h.governance, "ks", BeslutKind.UPPFOLJNINGSPLAN, date(year - 1, 12, 1), f"Uppf {year}"
            )
            for namnd in NAMNDER[:-1]:
                decide(h.governance, namnd, BeslutKind.VERKSAMHETSPLAN, date(year - 1, 12, 8), f"Plan {year}")
            for organ in (*NAMNDER, *BOLAG):
                if organ != "ostervik-energi":
                    decide(
                        h.governance, organ, BeslutKind.DELARSRAPPORT, date(year, 5, 25), f"Delår 1 {year}"
                    )
                decide(h.governance, organ, BeslutKind.DELARSRAPPORT, date(year, 9, 28), f"Delår 2 {year}")
                decide(
                    h.governance, organ, BeslutKind.ARSREDOVISNING, date(year + 1, 3, 10), f"Bokslut {year}"
                )
            decide(h.governance, "kf", BeslutKind.ANSVARSFRIHET, date(year + 1, 6, 14), f"Ansvar {year}")
            started = await start_arshjul(h.client, h.task_queue, ostervik.kommun.kod, year)
            result = await h.result(started.workflow_id, ArshjulResult)

            assert result.problems == []
            assert result.tally.deadlines_missed == 2
            reported = {e.description: e for e in h.events(Avvikelse.Reported.TOPIC)}
            missed_plan = reported[
                f"Tekniska nämndens verksamhetsplan och internbudget {year} har inte beslutats av "
                f"Tekniska nämnden senast {date(year - 1, 12, 20).isoformat()}."
            ]
            missed_report = reported[
                f"Östervik Energi AB:s delårsrapport 1 {year} till kommunstyrelsen har inte beslutats av "
                f"Östervik Energi AB senast {(date(year, 6, 20) - timedelta(days=21)).isoformat()}."
            ]
            assert len(reported) == 2
            # Recorded by the förvaltningschef (the VD), each lands with the organ that owed the step.
            assert (missed_plan.actor, missed_plan.level) == ("tn-forvaltningschef", "tn")
            assert (missed_report.actor, missed_report.level) == (
                "ostervik-energi-vd",
                "ostervik-energi",
            )
            # Nobody in the nämnd acknowledges it: it goes on to KS, not past it to KF, and KS closes it.
            missed = [
                e.level
                for e in h.events(Avvikelse.DeadlineMissed.TOPIC)
                if e.originator_id == missed_plan.originator_id
            ]
            moved = [
                (e.from_level, e.to_level)
                for e in h.events(Avvikelse.Escalated.TOPIC)
                if e.originator_id == missed_plan.originator_id
            ]
            assert (missed, moved) == (["tn"], [("tn", "ks")])
            closed = [
                e for e in h.events(Avvikelse.Closed.TOPIC) if e.originator_id == missed_plan.originator_id
            ]
            assert [e.actor for e in closed] == ["ks"]
            # Each nämnd asks its förvaltningschef for the monthly report on KF's budget (KS's
            # uppföljningsplan does not steer a nämnd it does not stand above); KS asks the director.
            monthly = [e for e in h.events(Uppdrag.Issued.TOPIC) if e.title.startswith("Månadsrapport")]
            asked = {(e.giver, e.recipient, e.origin_beslut_id) for e in monthly}
            assert asked == {(n, f"{n}-forvaltningschef", budget) for n in NAMNDER} | {
                ("ks", "kommundirektor", uppf)
            }
            # One request an area a month: March and September, the nämnder on two areas, KS on one.
            assert sorted(e.title for e in monthly if e.giver == "ks") == [
                f"Månadsrapport ekonomi {year}-03",
                f"Månadsrapport ekonomi {year}-09",
            ]
            assert len(monthly) == len(NAMNDER) * 2 * 2 + 2
            reminded = [r.title for r in h.people.reminded if not r.title.startswith("Månadsrapport")]
            assert reminded == [
                f"Delårsrapport 1 {year}",
                f"Delårsrapport 2 {year}",
                f"Årsredovisning {year}",
            ]

    asyncio.run(scenario())
