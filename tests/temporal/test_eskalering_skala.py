"""On the real dev server: 200 deviations at once, three worker processes on one queue, one SIGKILLed midway.

Nobody acknowledges anything, so every deviation climbs from its sektorschef
to KF, missing four deadlines. The workers run the production worker and
relay on a store whose clock runs an hour minus a few seconds behind
(escalation_worker.py), so each level's hour lasts a few real seconds. When
half of all the missed deadlines are recorded, one worker is killed just
after one of its commits, before its activity completes. Every deviation
must still reach the top, with each level's miss recorded exactly once and
no command twice. (The three also start at once, creating the store's tables
together, as workers started by a deployment do.)
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporal.escalation_fleet import LEVELS_ABOVE_SECTOR, assert_each_climbed_once, dev_server, kill_all
from temporal.escalation_world import PERSON, report
from temporal.temporal_harness import events
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from unit.governance_world import appoint, staff

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.short_deadlines import late_clock, one_hour_styrmodell
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.local_ports import free_local_port
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.eskalering.models import EskaleringResult

WORKER = Path(__file__).with_name("escalation_worker.py")
WORKERS = 3
SECTORS = ("larande", "samhallsbyggnad", "vard-och-omsorg", "internt-stod")
PER_SECTOR = 50
# Each level's one hour ends this many real seconds after the deviation reaches it.
SECONDS_PER_LEVEL = 2.0
CLOCK_BEHIND = 3600 - SECONDS_PER_LEVEL
TIMEOUT = 80

# Held since yesterday: the report is dated by the store's clock (UTC) and the machine's date may
# differ from it around midnight.
SINCE = municipal_today() - timedelta(days=1)


def establish_chefs(governance: Governance) -> dict[str, str]:
    """A chef under each sector, PERSON holding the chain and every chef."""
    staff(governance, person=PERSON)
    chefs = {}
    for sector in SECTORS:
        chefs[sector] = f"chef-{sector}"
        governance.establish_befattning(
            c.EstablishBefattning(
                actor=sector,
                person=PERSON,
                code=chefs[sector],
                name=f"Chef i {sector}",
                kind="chef",
                parent=sector,
                established_on=SINCE,
            )
        )
        appoint(governance, chefs[sector], PERSON, on=SINCE, holder=PERSON)
    return chefs


def late_store(tmp_path: Path, database_url: str = "") -> tuple[Settings, Governance]:
    """A store (SQLite in `tmp_path`, or at `database_url`) whose clock runs CLOCK_BEHIND, on the
    one-hour styrmodell, and a Governance on it."""
    styrmodell = one_hour_styrmodell(tmp_path)
    settings = Settings(data_dir=tmp_path, styrmodell_path=styrmodell, database_url=database_url)
    governance = Governance(
        load_styrmodell(styrmodell),
        env=settings.eventsourcing_env(),
        clock=late_clock(timedelta(seconds=CLOCK_BEHIND)),
    )
    return settings, governance


async def start_worker(
    address: str, task_queue: str, settings: Settings, *options: str
) -> asyncio.subprocess.Process:
    """A worker process (escalation_worker.py) on the settings' store; `options` are its further ones."""
    assert settings.styrmodell_path is not None
    # Its log is kept in the test's directory, to read when a worker fails the test.
    log = (settings.data_dir / f"worker-{uuid.uuid4().hex[:8]}.log").open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        "--address",
        address,
        "--task-queue",
        task_queue,
        "--data-dir",
        str(settings.data_dir),
        "--styrmodell",
        str(settings.styrmodell_path),
        "--clock-behind",
        str(CLOCK_BEHIND),
        *options,
        stdout=asyncio.subprocess.PIPE,
        stderr=log,
        env={k: v for k, v in os.environ.items() if not k.startswith("LERUM_FLOW_")},
    )
    log.close()  # the worker has its own copy
    assert process.stdout is not None
    said = (await asyncio.wait_for(process.stdout.readline(), 60)).strip()
    if said == b"UPPTAGEN":
        await process.wait()
        raise PortTakenError
    assert said == b"REDO", said
    return process


class PortTakenError(Exception):
    """The health port chosen free was taken by another process before the worker opened it."""


async def start_watched_worker(
    address: str, task_queue: str, settings: Settings, *options: str
) -> tuple[asyncio.subprocess.Process, int]:
    """A worker with a health port (/readyz says whether its relay leads), and that port.

    A port found free may be taken by another test's process before the
    worker, seconds later, opens it: then another is chosen.
    """
    for _ in range(10):
        port = free_local_port()
        try:
            worker = await start_worker(address, task_queue, settings, *options, "--health-port", str(port))
        except PortTakenError:
            continue
        return worker, port
    raise AssertionError("ingen ledig hälsoport hittades på tio försök")


async def kill_after_a_commit(worker: asyncio.subprocess.Process, halfway: asyncio.Event) -> None:
    """SIGKILL the worker right after it says it committed a missed deadline, once `halfway` is set."""
    assert worker.stdout is not None
    while True:
        line = await worker.stdout.readline()
        assert line, "workern avslutades av sig själv"
        if line.startswith(b"SPARAT") and halfway.is_set():
            worker.send_signal(signal.SIGKILL)
            await worker.wait()
            return


async def drain(worker: asyncio.subprocess.Process) -> None:
    """Read what a worker says, so that its stdout pipe never fills and blocks it."""
    assert worker.stdout is not None
    while await worker.stdout.readline():
        pass


async def results(client: Client, workflow_ids: list[str]) -> list[EskaleringResult]:
    async def one(workflow_id: str) -> EskaleringResult:
        handle = client.get_workflow_handle(workflow_id, result_type=EskaleringResult)
        while True:
            try:
                result: EskaleringResult = await wait_for_result(handle)
            except RPCError as error:
                # Not started yet: the relays are still working through the reports.
                if error.status is not RPCStatusCode.NOT_FOUND:
                    raise
                await asyncio.sleep(0.2)
                continue
            return result

    return await asyncio.gather(*(one(w) for w in workflow_ids))


@pytest.mark.slow
def test_200_deviations_on_three_workers_one_killed_each_climb_once_to_the_top(tmp_path: Path) -> None:
    """All 200 reach KF; every level's missed deadline is recorded exactly once; nothing is lost."""

    async def scenario() -> None:
        install_runtime()
        settings, governance = late_store(tmp_path)
        chefs = establish_chefs(governance)
        env = await dev_server()
        address = env.client.service_client.config.target_host
        task_queue = f"eskalering-{uuid.uuid4()}"
        workers: list[asyncio.subprocess.Process] = []
        started = time.monotonic()
        try:
            workers = list(
                await asyncio.gather(*(start_worker(address, task_queue, settings) for _ in range(WORKERS)))
            )
            with governance.batch():  # reported at once: one transaction, one relay page
                reported = [
                    report(governance, chef, key=f"skala-{n}")
                    for chef in chefs.values()
                    for n in range(PER_SECTOR)
                ]
            expected_misses = len(reported) * (1 + len(LEVELS_ABOVE_SECTOR))
            drains = [asyncio.create_task(drain(w)) for w in workers[1:]]
            # Killed half way, just after one of its commits and before its activity completes.
            halfway = asyncio.Event()
            killing = asyncio.create_task(kill_after_a_commit(workers[0], halfway))
            while len(events(governance, Avvikelse.DeadlineMissed.TOPIC)) < expected_misses // 2:
                assert time.monotonic() - started < TIMEOUT, "eskaleringarna kom aldrig halvvägs"
                await asyncio.sleep(0.2)
            halfway.set()
            await asyncio.wait_for(killing, TIMEOUT)
            assert len(events(governance, Avvikelse.DeadlineMissed.TOPIC)) < expected_misses

            remaining = TIMEOUT - (time.monotonic() - started)
            finished = await asyncio.wait_for(
                results(env.client, [eskalering_workflow_id(a) for a in reported]), remaining
            )
            for task in drains:
                task.cancel()
        finally:
            await kill_all(workers)
            await env.shutdown()

        assert workers[0].returncode == -signal.SIGKILL
        assert len(events(governance, Avvikelse.DeadlineMissed.TOPIC)) == expected_misses
        assert_each_climbed_once(governance, chefs, reported, finished)
        governance.close()

    asyncio.run(scenario())
