"""The Temporal server stopped and started again (its state kept in a file) under two running workers.

While it is down the relay cannot start escalations for the deviations
reported meanwhile (it says `relay_fel` and tries again each round) and the
running ones wait. Once it is back, on the same address and with the same
state, every deviation, reported before or during the outage, climbs to KF
with each level's miss recorded once and no command twice.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from temporal.escalation_fleet import assert_all_running, assert_each_climbed_once, dev_server, kill_all
from temporal.escalation_world import report
from temporal.test_eskalering_skala import (
    drain,
    establish_chefs,
    late_store,
    results,
    start_worker,
)
from temporalio.testing import WorkflowEnvironment

from lerum_flow.local_ports import free_local_port
from lerum_flow.relay import RelayPosition
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.temporal_runtime import install_runtime

pytestmark = pytest.mark.slow

WORKERS = 2
PER_CHEF = 2
TIMEOUT = 180


async def temporal_server(port: int, state: Path) -> WorkflowEnvironment:
    """The dev server on `port`, its state kept in the file `state` (so a restart keeps it)."""
    return await dev_server("--db-filename", str(state), port=port, ui_port=free_local_port())


def test_a_temporal_restart_under_running_workers_loses_and_repeats_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        install_runtime()
        settings, governance = late_store(tmp_path)
        chefs = establish_chefs(governance)
        port = free_local_port()
        state = tmp_path / "temporal.sqlite"
        env = await temporal_server(port, state)
        address = f"127.0.0.1:{port}"
        task_queue = f"temporal-omstart-{uuid.uuid4()}"
        workers: list[asyncio.subprocess.Process] = []
        position = RelayPosition(settings)
        try:
            workers = list(
                await asyncio.gather(*(start_worker(address, task_queue, settings) for _ in range(WORKERS)))
            )
            drains = [asyncio.create_task(drain(w)) for w in workers]
            with governance.batch():
                reported = [
                    report(governance, chef, key=f"fore-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]
            while await asyncio.to_thread(position.get, governance.name) < governance.head():
                await asyncio.sleep(0.2)

            await env.shutdown()
            with governance.batch():
                reported += [
                    report(governance, chef, key=f"under-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]
            await asyncio.sleep(2)  # the relay tries, and fails, while the server is down
            assert await asyncio.to_thread(position.get, governance.name) < governance.head()
            env = await temporal_server(port, state)

            finished = await asyncio.wait_for(
                results(env.client, [eskalering_workflow_id(a) for a in reported]), TIMEOUT
            )
            assert_all_running(workers, settings.data_dir)
            for task in drains:
                task.cancel()
        finally:
            await kill_all(workers)
            position.close()
            await env.shutdown()

        assert_each_climbed_once(governance, chefs, reported, finished)
        governance.close()

    asyncio.run(scenario())
