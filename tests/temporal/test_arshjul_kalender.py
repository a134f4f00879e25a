"""The årshjul with two delårsperioder, and a tilläggsbudget that is no budget for next year."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from uuid import UUID

from temporal.temporal_harness import PERSON, decide, ordinary_budget_year, time_skipping

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind, BudgetKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.styrmodell import load_styrmodell, shipped_styrmodell_path
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.starter import start_arshjul


def tillaggsbudget(governance: Governance, year: int) -> UUID:
    """KF's tilläggsbudget for `year`, decided in March of it."""
    return governance.take_beslut(
        c.TakeBeslut(
            actor="kf",
            person=PERSON,
            decided_by="kf",
            kind=BeslutKind.BUDGET,
            diarienummer=f"KF {year}/7",
            paragraf="§ 12",
            title=f"Tilläggsbudget {year}",
            decided_on=date(year, 3, 16),
            budget_year=year,
            budget_kind=BudgetKind.TILLAGGSBUDGET,
        )
    ).id


def test_two_delarsrapporter_are_asked_for_and_a_tillaggsbudget_does_not_answer_the_budget(
    tmp_path: Path,
) -> None:
    """Norrvik: a tilläggsbudget in March is not next year's budget; the budget of November is.

    KS is reminded of and reports both delårsrapporter and the årsredovisning; every deadline is met.
    """
    norrvik = load_styrmodell(shipped_styrmodell_path("norrvik"))

    async def scenario() -> None:
        year = ordinary_budget_year(norrvik, municipal_today())
        async with time_skipping(tmp_path, styrmodell=norrvik) as h:
            tillagg = tillaggsbudget(h.governance, year - 1)
            budget = decide(h.governance, "kf", BeslutKind.BUDGET, date(year - 1, 11, 16), f"Budget {year}")
            decide(h.governance, "ks", BeslutKind.VERKSAMHETSPLAN, date(year - 1, 11, 25), f"Plan {year}")
            decide(h.governance, "ks", BeslutKind.UPPFOLJNINGSPLAN, date(year - 1, 11, 25), f"Uppf {year}")
            decide(h.governance, "kf", BeslutKind.ANSVARSFRIHET, date(year + 1, 6, 14), f"Ansvar {year}")
            started = await start_arshjul(h.client, h.task_queue, norrvik.kommun.kod, year)
            result = await h.result(started.workflow_id, ArshjulResult)

            assert result.problems == []
            assert result.tally.deadlines_missed == 0
            assert h.events(Avvikelse.Reported.TOPIC) == []
            (budget_uppdrag,) = [e for e in h.events(Uppdrag.Issued.TOPIC) if e.title == f"Budget {year}"]
            assert budget_uppdrag.origin_beslut_id == budget != tillagg
            reminded = [r.title for r in h.people.reminded if not r.title.startswith("Månadsrapport")]
            assert reminded == [
                f"Delårsrapport 1 {year}",
                f"Delårsrapport 2 {year}",
                f"Årsredovisning {year}",
            ]
            reported = [
                e for e in h.events(Uppdrag.Reported.TOPIC) if e.originator_id == budget_uppdrag.originator_id
            ]
            assert [e.effective_on.month for e in reported] == [5, 10, 4]

    asyncio.run(scenario())


def test_a_tillaggsbudget_alone_leaves_the_budget_step_missed(tmp_path: Path) -> None:
    """Without the annual budget the cycle records the missed budget, whatever tilläggsbudget there is."""
    norrvik = load_styrmodell(shipped_styrmodell_path("norrvik"))

    async def scenario() -> None:
        year = ordinary_budget_year(norrvik, municipal_today())
        async with time_skipping(tmp_path, styrmodell=norrvik) as h:
            tillaggsbudget(h.governance, year - 1)
            started = await start_arshjul(h.client, h.task_queue, norrvik.kommun.kod, year)
            result = await h.result(started.workflow_id, ArshjulResult)

            assert any(f"Ingen budget för {year}" in p for p in result.problems)
            missed = [e for e in h.events(Avvikelse.Reported.TOPIC) if "budget" in e.description.lower()]
            assert len(missed) == 1
            assert [e for e in h.events(Uppdrag.Issued.TOPIC) if e.title == f"Budget {year}"] == []

    asyncio.run(scenario())
