"""One worker process serves every municipality: each escalation is recorded in its own schema only.

On the real dev server and PostgreSQL. The fleet starts with Lerum registered;
Norrvik is added while it runs and is taken on at the next reading of the
register, in a namespace the fleet registers itself. A deviation reported in
each, a day late, misses its first level's deadline at once: the worker
records that miss in the municipality's own store and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from integration.test_kommuner import GRANNBY, LERUM, MODELS, Deployment, grannby_model
from temporal.escalation_world import establish_unit, report, reported_at
from temporal.temporal_harness import DEV_SERVER_STARTUP, binary, events
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.health_server import WorkerHealth
from lerum_flow.settings import Settings, kommun_namespace
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.workflows.fleet import serve_fleet

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
TIMEOUT = 90


def test_one_worker_serves_each_municipality_and_records_its_escalation_in_its_own_schema(
    postgres_database_url: str, tmp_path: Path
) -> None:
    deployment = Deployment(postgres_database_url)
    assert deployment.add(LERUM, MODELS / "lerum.toml")[0] == 0
    a_day_ago = datetime.now(UTC) - timedelta(hours=30)

    async def scenario() -> None:
        install_runtime()
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=binary("temporal"),
            data_converter=pydantic_data_converter,
            dev_server_startup_timeout=DEV_SERVER_STARTUP,
            # Lerum's namespace as `start-dev --namespace` pre-registers it; Grannby's the fleet registers.
            dev_server_extra_args=["--namespace", kommun_namespace(LERUM)],
        )
        stop = asyncio.Event()
        health = WorkerHealth()
        fleet = asyncio.create_task(
            serve_fleet(
                env.client,
                Settings(database_url=postgres_database_url),
                "lerum-flow",
                stop,
                rescan_seconds=0.5,
                poll_seconds=0.2,
                health=health,
            )
        )
        try:
            assert deployment.add(GRANNBY, grannby_model(tmp_path))[0] == 0
            reported = {}
            for kod in (LERUM, GRANNBY):
                governance = deployment.governance(kod)
                establish_unit(governance, a_day_ago.date() - timedelta(days=1))
                reported[kod] = reported_at(
                    governance, a_day_ago, functools.partial(report, governance, "medarbetare-test", key=kod)
                )
                governance.close()
            for kod in (LERUM, GRANNBY):
                governance = deployment.governance(kod)
                try:
                    waited = 0.0
                    while not events(governance, Avvikelse.DeadlineMissed.TOPIC):
                        assert not fleet.done(), fleet
                        assert waited < TIMEOUT, f"kommun {kod}: ingen missad frist registrerades"
                        await asyncio.sleep(0.5)
                        waited += 0.5
                    missed = events(governance, Avvikelse.DeadlineMissed.TOPIC)
                    # Only this municipality's own deviation, never the other's.
                    assert {e.originator_id for e in missed} == {reported[kod]}
                finally:
                    governance.close()
            assert health.ready() == (True, "tar uppgifter från Temporal")
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(fleet, 30)
            await env.shutdown()
        assert health.ready()[0] is False  # stopping: no new tasks

    try:
        asyncio.run(scenario())
    finally:
        deployment.remove(LERUM, GRANNBY)
