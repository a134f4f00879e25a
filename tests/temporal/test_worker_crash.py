"""On the real dev server: a worker killed with SIGKILL in the middle of activities, again and again.

The cycle runs on a compressed calendar (crash_worker.py) in a worker
process that the test kills at chosen moments, before a command's commit and
after it, and starts again. The cycle must still complete, and every command
it recorded must exist exactly once.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import signal
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporal.temporal_harness import DEV_SERVER_STARTUP, binary, events, ordinary_budget_year, staffed
from temporal.test_arshjul import decide_the_year
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import arshjul_workflow_id
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.arshjul.models import ArshjulInput
from lerum_flow.workflows.arshjul.workflow import Arshjul

WORKER = Path(__file__).with_name("crash_worker.py")
# Kill when the n-th line with the marker is seen, counted over all workers:
# before a commit and after one, in a single command and in a batch.
KILLS = [("STEG", 1), ("SPARAT", 6), ("STEG", 14), ("SPARAT", 24)]
RESULT_TIMEOUT = 240


async def start_worker(
    address: str, task_queue: str, data_dir: Path, t0: float
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        "--address",
        address,
        "--task-queue",
        task_queue,
        "--data-dir",
        str(data_dir),
        "--t0",
        str(t0),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("LERUM_FLOW_")},
    )


@pytest.mark.slow
def test_a_worker_killed_mid_activity_again_and_again_still_records_every_command_once(
    tmp_path: Path,
) -> None:
    """Four SIGKILLs around commits; the cycle completes and no command is recorded twice."""

    async def scenario() -> None:
        year = ordinary_budget_year(default_styrmodell(), municipal_today())
        settings = Settings(data_dir=tmp_path)
        governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
        staffed(governance, settings)
        decide_the_year(governance, year)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=binary("temporal"),
            data_converter=pydantic_data_converter,
            dev_server_startup_timeout=DEV_SERVER_STARTUP,
        )
        address = env.client.service_client.config.target_host
        task_queue = f"crash-{uuid.uuid4()}"
        t0 = time.time() + 4
        workers: list[asyncio.subprocess.Process] = []
        kills_done = 0
        try:
            worker = await start_worker(address, task_queue, tmp_path, t0)
            workers.append(worker)
            handle = await env.client.start_workflow(
                Arshjul.run,
                ArshjulInput(kommunkod="1441", budget_year=year),
                id=arshjul_workflow_id("1441", year),
                task_queue=task_queue,
                # A killed worker's workflow task is handed to the next one sooner.
                task_timeout=timedelta(seconds=2),
            )
            seen: collections.Counter[str] = collections.Counter()

            async def supervise() -> None:
                nonlocal worker, kills_done
                while kills_done < len(KILLS):
                    line = await worker.stdout.readline() if worker.stdout else b""
                    if not line:
                        await asyncio.sleep(0.05)
                        continue
                    marker = line.decode().split(" ", 1)[0].strip()
                    seen[marker] += 1
                    if (marker, seen[marker]) == KILLS[kills_done]:
                        worker.send_signal(signal.SIGKILL)
                        await worker.wait()
                        kills_done += 1
                        worker = await start_worker(address, task_queue, tmp_path, t0)
                        workers.append(worker)
                # Keep reading so the pipe never fills.
                while worker.stdout and await worker.stdout.readline():
                    pass

            supervisor = asyncio.create_task(supervise())
            result = await asyncio.wait_for(wait_for_result(handle), RESULT_TIMEOUT)
            supervisor.cancel()
        finally:
            for process in workers:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGKILL)
                with contextlib.suppress(Exception):
                    await process.wait()
            await env.shutdown()

        assert kills_done == len(KILLS)
        assert [w.returncode for w in workers[: len(KILLS)]] == [-signal.SIGKILL] * len(KILLS)
        stored = events(governance)
        by_command = collections.Counter(e.command_id for e in stored)
        assert [c for c, n in by_command.items() if n > 1] == []
        issued = [e for e in stored if isinstance(e, Uppdrag.Issued)]
        (budget,) = [e for e in issued if e.title == f"Budget {year}"]
        monthly = [e for e in issued if e.title.startswith("Månadsrapport")]
        assert monthly
        # Nobody reports in this test: every report asked for becomes one avvikelse, and
        # KF's budget uppdrag two (the delårsrapport and the årsredovisning).
        missing = collections.Counter(e.subject_ref for e in stored if isinstance(e, Avvikelse.Reported))
        assert missing == collections.Counter(
            {str(budget.originator_id): 2} | {str(e.originator_id): 1 for e in monthly}
        )
        assert result.tally.deadlines_met == 4
        governance.close()

    asyncio.run(scenario())
