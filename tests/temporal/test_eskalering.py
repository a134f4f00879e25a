"""The escalation of a deviation on the time-skipping server: up the chain until someone acknowledges it."""

from __future__ import annotations

import asyncio
import collections
import itertools
import uuid
from pathlib import Path
from typing import Any

from temporal.escalation_world import (
    CHEF,
    FROM_MEDARBETARE,
    LEVEL_HOURS,
    MEDARBETARE,
    SECTOR,
    deadlines_recorded,
    establish_unit,
    history,
    hours,
    report,
)
from temporal.temporal_harness import Harness, events, on_dev_server, time_skipping

from lerum_flow import commands as c
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.municipal_time import municipal_today
from lerum_flow.notifications import NoticeKind
from lerum_flow.relay_contract import SIGNAL_AVVIKELSE, AvvikelseAndrad, eskalering_workflow_id, event_id
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.eskalering.models import EskaleringInput, EskaleringResult
from lerum_flow.workflows.eskalering.workflow import Eskalering
from lerum_flow.workflows.models import QUERY_STATUS, WorkflowStatus

# The history length at which the server suggests that a workflow continue as new.
SUGGEST_CONTINUE_AS_NEW = "limit.historyCount.suggestContinueAsNew"


def kinds(h: Harness, avvikelse_id: Any) -> list[str]:
    return [type(e).__name__ for e in history(h.governance, avvikelse_id)]


def notified(h: Harness, kind: NoticeKind) -> list[str]:
    return [n.recipient for n in h.people.notices if n.kind is kind]


def test_a_deviation_nobody_acknowledges_climbs_to_the_top_with_each_miss_recorded_once(
    tmp_path: Path,
) -> None:
    """Ignored at every level: five deadlines missed once each, in order, each level notified once."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            establish_unit(h.governance, municipal_today())
            avvikelse_id = report(h.governance, MEDARBETARE)
            await h.relay.catch_up()
            workflow_id = eskalering_workflow_id(avvikelse_id)
            result = await h.result(workflow_id, EskaleringResult)

            assert (result.outcome, result.level, result.missed) == ("obesvarad", "kf", FROM_MEDARBETARE)
            missed = deadlines_recorded(history(h.governance, avvikelse_id))
            assert [level for level, _, _ in missed] == FROM_MEDARBETARE
            # Each level had its own kvittens_timmar from when the deviation reached it.
            assert [deadline - since for _, since, deadline in missed] == [
                hours(LEVEL_HOURS[level]) for level in FROM_MEDARBETARE
            ]
            escalated = [e for e in history(h.governance, avvikelse_id) if isinstance(e, Avvikelse.Escalated)]
            assert [(e.from_level, e.to_level) for e in escalated] == list(
                itertools.pairwise(FROM_MEDARBETARE)
            )
            assert notified(h, NoticeKind.KVITTERA) == FROM_MEDARBETARE
            assert "Informed" not in kinds(h, avvikelse_id)

            # The relay delivering the report again (after a crash) starts nothing new.
            handle = h.client.get_workflow_handle(workflow_id)
            run_before = (await handle.describe()).run_id
            (reported,) = [e for e in events(h.governance) if isinstance(e, Avvikelse.Reported)]
            await h.relay.routes[0](reported, 1)
            assert (await handle.describe()).run_id == run_before

    asyncio.run(scenario())


def test_a_deviation_acknowledged_at_the_second_level_stops_there(tmp_path: Path) -> None:
    """The chef lets it pass; the sektorschef acknowledges, decides and closes: nothing goes higher."""

    async def scenario() -> None:
        async with time_skipping(tmp_path, handle_at={SECTOR: "close"}) as h:
            establish_unit(h.governance, municipal_today())
            avvikelse_id = report(h.governance, MEDARBETARE)
            await h.relay.catch_up()
            result = await h.result(eskalering_workflow_id(avvikelse_id), EskaleringResult)

            assert (result.outcome, result.level, result.missed) == ("stangd", SECTOR, [CHEF])
            assert kinds(h, avvikelse_id) == [
                "Reported",
                "DeadlineMissed",
                "Escalated",
                "Acknowledged",
                "ActionDecided",
                "Closed",
            ]
            assert notified(h, NoticeKind.KVITTERA) == [CHEF, SECTOR]

    asyncio.run(scenario())


def test_a_level_that_escalates_further_gives_the_next_level_its_own_deadline(tmp_path: Path) -> None:
    """The sektorschef acknowledges and escalates; the kommundirektör misses its deadline; KS closes."""

    async def scenario() -> None:
        async with time_skipping(tmp_path, handle_at={SECTOR: "escalate", "ks": "close"}) as h:
            establish_unit(h.governance, municipal_today())
            avvikelse_id = report(h.governance, CHEF)
            await h.relay.catch_up()
            result = await h.result(eskalering_workflow_id(avvikelse_id), EskaleringResult)

            assert (result.outcome, result.level, result.missed) == ("stangd", "ks", ["kommundirektor"])
            recorded = history(h.governance, avvikelse_id)
            ((level, since, deadline),) = deadlines_recorded(recorded)
            by_person = next(e for e in recorded if isinstance(e, Avvikelse.Escalated))
            assert (level, by_person.actor, since) == ("kommundirektor", SECTOR, by_person.timestamp)
            assert deadline - since == hours(LEVEL_HOURS["kommundirektor"])
            assert notified(h, NoticeKind.KVITTERA) == [SECTOR, "kommundirektor", "ks"]

    asyncio.run(scenario())


def test_a_storre_avvikelse_goes_straight_to_ks_and_kf_is_informed(tmp_path: Path) -> None:
    """Graded 'storre', it skips the routine levels; KF is informed once; KS acknowledges and closes."""

    async def scenario() -> None:
        async with time_skipping(tmp_path, handle_at={"ks": "close"}) as h:
            establish_unit(h.governance, municipal_today())
            avvikelse_id = report(h.governance, MEDARBETARE, severity="storre")
            await h.relay.catch_up()
            result = await h.result(eskalering_workflow_id(avvikelse_id), EskaleringResult)

            assert (result.outcome, result.level, result.missed, result.informed) == (
                "stangd",
                "ks",
                [],
                ["kf"],
            )
            recorded = history(h.governance, avvikelse_id)
            assert recorded[0].level == "ks"
            informed = [e for e in recorded if isinstance(e, Avvikelse.Informed)]
            assert [(e.level, e.actor) for e in informed] == [("kf", "system")]
            assert notified(h, NoticeKind.FOR_KANNEDOM) == ["kf"]
            assert notified(h, NoticeKind.KVITTERA) == ["ks"]
            assert collections.Counter(kinds(h, avvikelse_id))["DeadlineMissed"] == 0

    asyncio.run(scenario())


def test_a_long_escalation_continues_as_new_and_ignores_an_event_delivered_again(tmp_path: Path) -> None:
    """Acknowledged, it continues as new; the acknowledgement delivered again to the new run does nothing."""

    async def scenario() -> None:
        # A server that suggests continuing as new early, as a real one does when a history
        # grows long: low enough that the second round of the workflow's loop continues as new.
        async with on_dev_server(tmp_path, dynamic_config={SUGGEST_CONTINUE_AS_NEW: "15"}) as h:
            establish_unit(h.governance, municipal_today())
            avvikelse_id = report(h.governance, MEDARBETARE)
            workflow_id = eskalering_workflow_id(avvikelse_id)
            handle = await h.client.start_workflow(
                Eskalering.run,
                EskaleringInput(avvikelse_id=avvikelse_id),
                id=workflow_id,
                task_queue=h.task_queue,
            )
            await h.relay.catch_up()  # its start of the same escalation is a no-op
            first_run = (await handle.describe()).run_id
            # Acknowledged once the workflow has read the deviation, so that it hears of it by signal.
            await wait_for_phase(h, workflow_id, f"väntar på kvittens från {CHEF}")
            h.people.act(
                c.AcknowledgeAvvikelse,
                h.governance.acknowledge_avvikelse,
                CHEF,
                avvikelse_id=avvikelse_id,
                on=municipal_today(),
            )
            await h.relay.catch_up()
            second_run = await wait_for_new_run(h, workflow_id, first_run)

            acknowledged = next(e for e in events(h.governance) if isinstance(e, Avvikelse.Acknowledged))
            await h.client.get_workflow_handle(workflow_id).signal(
                SIGNAL_AVVIKELSE,
                AvvikelseAndrad(
                    event_id=event_id(avvikelse_id, acknowledged.originator_version),
                    avvikelse_id=avvikelse_id,
                    version=acknowledged.originator_version,
                    what="kvitterad",
                ),
            )
            await wait_for_phase(h, workflow_id, f"kvitterad av {CHEF}")
            for command_class, handler, extra in (
                (c.DecideAction, h.governance.decide_action, {"action": "Åtgärd."}),
                (c.CloseAvvikelse, h.governance.close_avvikelse, {"resolution": "Löst."}),
            ):
                h.people.act(
                    command_class, handler, CHEF, avvikelse_id=avvikelse_id, on=municipal_today(), **extra
                )
            await h.relay.catch_up()
            result = await h.result(workflow_id, EskaleringResult)

            assert (result.outcome, result.runs, result.missed) == ("stangd", 2, [])
            second = await h.client.get_workflow_handle(workflow_id, run_id=second_run).fetch_history()
            reads = [e for e in second.events if e.HasField("activity_task_scheduled_event_attributes")]
            # One read on starting, one for the closing; none for the repeated acknowledgement.
            assert len(reads) == 2

    asyncio.run(scenario())


async def wait_for_new_run(h: Harness, workflow_id: str, run_id: str | None) -> str:
    handle = h.client.get_workflow_handle(workflow_id)
    for _ in range(300):
        description = await handle.describe()
        if description.run_id != run_id:
            assert description.run_id is not None
            return description.run_id
        await asyncio.sleep(0.1)
    raise AssertionError(f"{workflow_id} fortsatte aldrig som ny")


async def wait_for_phase(h: Harness, workflow_id: str, phase: str) -> None:
    handle = h.client.get_workflow_handle(workflow_id)
    for _ in range(300):
        status = await handle.query(QUERY_STATUS, result_type=WorkflowStatus)
        if status.phase.startswith(phase):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{workflow_id} kom aldrig till '{phase}'")


def test_an_escalation_of_a_deviation_that_does_not_exist_ends_with_the_problem_named(tmp_path: Path) -> None:
    """Started by hand with a wrong id: it ends at once, saying why, instead of retrying for ever."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            unknown = uuid.uuid4()
            handle = await h.client.start_workflow(
                Eskalering.run,
                EskaleringInput(avvikelse_id=unknown),
                id=eskalering_workflow_id(unknown),
                task_queue=h.task_queue,
            )
            result = await wait_for_result(handle)

            assert (result.outcome, result.missed) == ("problem", [])
            assert result.problems == [
                f"Avvikelsen kunde inte läsas: Det finns ingen avvikelse med id {unknown}."
            ]

    asyncio.run(scenario())
