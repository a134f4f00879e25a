"""Re-record the workflow histories that test_replay.py replays.

Run after a deliberate, compatible change of workflow code, or to add a
scenario; never to make a failing replay pass (that failure means running
workflows would break: version the change with `workflow.patched` instead):

    PYTHONPATH=tests python -m temporal.record_histories              # every workflow
    PYTHONPATH=tests python -m temporal.record_histories eskalering   # only those named so
    PYTHONPATH=tests python -m temporal.record_histories internkontroll
    PYTHONPATH=tests python -m temporal.record_histories utkast           # a cycle making drafts

Each file in histories/ holds every run of one workflow (a continue-as-new
chain), recorded on the time-skipping test server with the Lerum styrmodell.
Before re-recording after a patch, move the files recorded before it to a
folder of their own (as before-activity-renaming/): they keep the old path replaying.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from temporal.escalation_world import MEDARBETARE, establish_unit, report
from temporal.temporal_harness import Harness, election_budget_year, ordinary_budget_year, time_skipping
from temporal.test_arshjul import decide_the_year
from temporal.test_internkontroll import YEAR, internkontroll_world
from unit.governance_world import send
from unit.styrdokument_world import adopt, decide

from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import eskalering_workflow_id, uppfoljning_workflow_id
from lerum_flow.reports.drafting import ReportDrafts
from lerum_flow.styrdokument_contract import aktualitetsprovning_workflow_id
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell, shipped_styrmodell_path
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.clock import local_date
from lerum_flow.workflows.eskalering.models import EskaleringResult
from lerum_flow.workflows.internkontroll.models import InternkontrollResult
from lerum_flow.workflows.internkontroll.starter import start_internkontroll
from lerum_flow.workflows.mandatperiod.models import MandatperiodResult
from lerum_flow.workflows.starter import start_arshjul, start_mandatperiod
from lerum_flow.workflows.styrdokument.models import AktualitetsprovningResult

HISTORIES = Path(__file__).parent / "histories"


async def chain(h: Harness, workflow_id: str) -> dict[str, Any]:
    """Every run of a workflow, first to last, as JSON."""
    handle = h.client.get_workflow_handle(workflow_id)
    run_id: str | None = (
        await handle.describe()
    ).raw_description.workflow_execution_info.first_run_id or None
    runs = []
    while run_id:
        history = await h.client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        runs.append(history.to_json_dict())
        continued = history.events[-1].workflow_execution_continued_as_new_event_attributes
        run_id = continued.new_execution_run_id or None
    return {"workflow_id": workflow_id, "runs": runs}


def write(name: str, recorded: dict[str, Any]) -> None:
    """Keep the first runs, one from the middle and the last ones: every kind of phase, in less space."""
    runs = recorded["runs"]
    keep = sorted(
        {
            i
            for i in (0, 1, 2, 3, len(runs) // 2, len(runs) - 3, len(runs) - 2, len(runs) - 1)
            if 0 <= i < len(runs)
        }
    )
    recorded = {**recorded, "runs": [runs[i] for i in keep]}
    path = HISTORIES / f"{name}.json"
    path.write_text(json.dumps(recorded, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
        f"{len(recorded['runs'])} körningar"
    )


async def record_cycle() -> None:
    styrmodell = default_styrmodell()
    year = election_budget_year(styrmodell, municipal_today())
    silent = ("larande", f"Månadsrapport ekonomi {year}-03")
    with tempfile.TemporaryDirectory() as tmp:
        async with time_skipping(Path(tmp), silent=[silent]) as h:
            decide_the_year(h, year)
            h.decide("kf", BeslutKind.BUDGET, date(year - 1, 11, 18), f"Budget {year} (nyvalt KF)")
            h.decide("kf", BeslutKind.VILJA_OCH_MAL, date(year - 1, 11, 10), "Vilja och mål")
            cycle = await start_arshjul(h.client, h.task_queue, "1441", year)
            period = await start_mandatperiod(h.client, h.task_queue, "1441", year - 1)
            await h.result(cycle.workflow_id, ArshjulResult)
            await h.result(period.workflow_id, MandatperiodResult)
            write("arshjul-valar", await chain(h, cycle.workflow_id))
            write("mandatperiod", await chain(h, period.workflow_id))
            late = uppfoljning_workflow_id("1441", year, f"{year}-03", "sektorschef")
            write("uppfoljning-saknad-rapport", await chain(h, late))
    with tempfile.TemporaryDirectory() as tmp:
        async with time_skipping(Path(tmp)) as h:
            cycle = await start_arshjul(h.client, h.task_queue, "1441", year + 1)
            await h.result(cycle.workflow_id, ArshjulResult)
            write("arshjul-utan-beslut", await chain(h, cycle.workflow_id))


async def record_drafts() -> None:
    """An ordinary year whose worker makes the report drafts: the årshjul's and the month's to KS."""
    styrmodell = default_styrmodell()
    year = ordinary_budget_year(styrmodell, municipal_today())
    with tempfile.TemporaryDirectory() as tmp:
        async with time_skipping(Path(tmp), with_worker=False) as h:
            decide_the_year(h, year)
            async with h.worker(drafts=ReportDrafts(h.governance, styrmodell)):
                cycle = await start_arshjul(h.client, h.task_queue, "1441", year)
                await h.result(cycle.workflow_id, ArshjulResult)
                write("arshjul-utkast", await chain(h, cycle.workflow_id))
                to_ks = uppfoljning_workflow_id("1441", year, f"{year}-03", "forvaltningschef")
                write("uppfoljning-utkast", await chain(h, to_ks))


async def record_escalations() -> None:
    """One deviation nobody acknowledges; one större, escalated on to KF by KS and closed there."""
    scenarios = {
        "eskalering-obesvarad": ({}, "avvikelse"),
        "eskalering-storre-vidare-till-kf": ({"ks": "escalate", "kf": "close"}, "storre"),
    }
    for name, (handle_at, severity) in scenarios.items():
        with tempfile.TemporaryDirectory() as tmp:
            async with time_skipping(Path(tmp), handle_at=handle_at) as h:
                establish_unit(h.governance, municipal_today())
                avvikelse_id = report(h.governance, MEDARBETARE, severity=severity)
                await h.relay.catch_up()
                workflow_id = eskalering_workflow_id(avvikelse_id)
                await h.result(workflow_id, EskaleringResult)
                write(name, await chain(h, workflow_id))


async def record_internkontroll() -> None:
    """Norrvik's year: every organ but one nämnd adopts and reports; the missing plan becomes a deviation."""
    styrmodell = load_styrmodell(shipped_styrmodell_path("norrvik"))
    with tempfile.TemporaryDirectory() as tmp:
        async with internkontroll_world(Path(tmp), styrmodell, silent={"bun"}, handle_at={"kf": "close"}) as (
            h,
            _,
        ):
            started = await start_internkontroll(h.client, h.task_queue, "9999", YEAR)
            await h.result(started.workflow_id, InternkontrollResult)
            write("internkontroll-saknad-plan", await chain(h, started.workflow_id))


async def record_review_timer() -> None:
    """KF's policy with KS's riktlinje under it: the policy is revised after its reminder (the
    riktlinje is flagged), then left unreviewed past its next due day, then repealed."""
    with tempfile.TemporaryDirectory() as tmp:
        async with time_skipping(Path(tmp)) as h:
            g = h.governance

            async def today() -> date:
                return local_date(await h.env.get_current_time())

            on = await today()
            policy = adopt(g, "kf", decide(g, "kf", on, "Policy", number=1), "policy", "Policy", "ks")
            riktlinje = decide(g, "ks", on, "Riktlinje", number=2)
            adopt(
                g, "ks", riktlinje, "riktlinje", "Riktlinje", "kommundirektor", parent_styrdokument_id=policy
            )
            await h.relay.catch_up()
            await h.env.sleep(timedelta(days=4 * 365 - 30))
            revision = decide(g, "kf", await today(), "Revidering", number=3)
            send(g, "revise_styrdokument", "kf", styrdokument_id=policy, beslut_id=revision, reason="Ny lag.")
            await h.relay.catch_up()
            await h.env.sleep(timedelta(days=5 * 365))
            repeal = decide(g, "kf", await today(), "Upphävande", number=4)
            send(g, "repeal_styrdokument", "kf", styrdokument_id=policy, beslut_id=repeal)
            await h.relay.catch_up()
            workflow_id = aktualitetsprovning_workflow_id(policy)
            await h.result(workflow_id, AktualitetsprovningResult)
            write("styrdokument-reviderad-forsenad-upphavd", await chain(h, workflow_id))


RECORDERS = {
    "arshjul": record_cycle,
    "utkast": record_drafts,
    "eskalering": record_escalations,
    "styrdokument": record_review_timer,
    "internkontroll": record_internkontroll,
}


async def record(names: list[str]) -> None:
    HISTORIES.mkdir(exist_ok=True)
    for name, recorder in RECORDERS.items():
        if not names or name in names:
            await recorder()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(record(sys.argv[1:]))
    sys.stdout.flush()
    # The temporalio SDK can crash at interpreter exit (sdk-python issue 300); skip teardown.
    os._exit(0)
