"""A monthly follow-up on the time-skipping server: reports requested, reminded, missing ones recorded."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from temporal.temporal_harness import PERSON, ordinary_budget_year, time_skipping

from lerum_flow import commands as c
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import uppfoljning_workflow_id
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.uppfoljning.models import UppfoljningInput
from lerum_flow.workflows.uppfoljning.workflow import Uppfoljning


def test_a_report_missing_at_the_deadline_becomes_an_avvikelse(tmp_path: Path) -> None:
    """A sector that does not report is reminded; its missing report becomes an avvikelse for its chief."""

    async def scenario() -> None:
        styrmodell = default_styrmodell()
        year = ordinary_budget_year(styrmodell, municipal_today())
        plan = plan_cycle(styrmodell, year)
        step = next(f for f in plan.follow_ups if f.led == "sektorschef")
        late = ("larande", f"Månadsrapport ekonomi {step.period}")
        async with time_skipping(tmp_path, silent=[late]) as h:
            origin = h.decide("ks", BeslutKind.UPPFOLJNINGSPLAN, date(year - 1, 11, 25), "Uppföljningsplan")
            workflow_id = uppfoljning_workflow_id("1441", year, step.period, step.led)
            handle = await h.client.start_workflow(
                Uppfoljning.run,
                UppfoljningInput(
                    kommunkod="1441",
                    budget_year=year,
                    step=step,
                    origin_beslut_id=origin,
                    avvikelse_severity=plan.avvikelse_severity,
                    avvikelse_category=plan.avvikelse_category,
                ),
                id=workflow_id,
                task_queue=h.task_queue,
            )
            result = await wait_for_result(handle)

            assert result.requested == 5 * 2
            assert result.tally.reports_on_time == 9
            assert result.tally.reports_missing == 1
            assert result.tally.avvikelser == 1
            assert [r.recipient for r in h.people.reminded] == ["larande"]
            missing = next(e for e in h.events(Uppdrag.Issued.TOPIC) if (e.recipient, e.title) == late)
            (avvikelse,) = h.events(Avvikelse.Reported.TOPIC)
            assert avvikelse.subject_ref == str(missing.originator_id)
            assert (avvikelse.actor, avvikelse.level) == ("larande", "kommundirektor")
            assert avvikelse.effective_on > step.deadline.on

            # The report that comes after all is recorded; the ended follow-up records nothing more.
            h.governance.report_uppdrag(
                c.ReportUppdrag(
                    actor="larande",
                    person=PERSON,
                    uppdrag_id=missing.originator_id,
                    on=date(year, 2, 3),
                    assessment="delvis",
                    text="Sen rapport.",
                )
            )
            await h.relay.catch_up()
            assert len(h.events(Avvikelse.Reported.TOPIC)) == 1

    asyncio.run(scenario())
