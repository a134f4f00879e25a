"""Three worker processes on one PostgreSQL store: one relay leads, the leader SIGKILLed, another takes over.

Each worker (escalation_worker.py: the production worker and relay on a
store whose clock runs late, so each level's hour lasts a few real seconds)
serves /metrics, whose `lerum_flow_leader{role="relay"}` says whether its
relay leads. Deviations reported before the kill are handed on by the first
leader, those reported after it by the next: every deviation must still
climb to KF with each level's miss recorded once and no command twice, and
no two replicas may say at once that they lead.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import re
import signal
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
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
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow import commands as c
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.relay import RelayPosition
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.workflows.worker_process import free_local_port

WORKERS = 3
PER_CHEF = 3
TIMEOUT = 120
LEADER_LINE = re.compile(rb'^lerum_flow_leader\{role="relay"\} (\S+)$', re.MULTILINE)


def leads(port: int) -> bool | None:
    """Whether the worker on `port` says its relay leads; None if it does not answer (killed)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as answer:
            found = LEADER_LINE.search(answer.read())
    except OSError:
        return None
    assert found is not None, "lerum_flow_leader saknas i /metrics"
    return float(found.group(1)) == 1.0


def readyz_leader(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
            body = answer.read()
    except urllib.error.HTTPError as not_ready:  # 503 still carries the answer
        body = not_ready.read()
    return bool(json.loads(body)["ledare"])


async def the_leader(ports: list[int], seen_at_once: list[int]) -> int:
    """The one port whose worker leads, waiting for it; how many lead at once is noted in `seen_at_once`."""
    started = time.monotonic()
    while True:
        answers = [await asyncio.to_thread(leads, port) for port in ports]
        leading = [port for port, leads_now in zip(ports, answers, strict=True) if leads_now]
        seen_at_once.append(len(leading))
        if len(leading) == 1:
            return leading[0]
        assert time.monotonic() - started < TIMEOUT, "ingen worker tog ledningen"
        await asyncio.sleep(0.2)


@pytest.mark.postgres
@pytest.mark.slow
def test_three_workers_one_relay_leads_and_another_takes_over_when_it_is_killed(
    tmp_path: Path, postgres_database_url: str
) -> None:
    async def scenario() -> None:
        install_runtime()
        settings, governance = late_store(tmp_path, postgres_database_url)
        chefs = establish_chefs(governance)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=binary("temporal"),
            data_converter=pydantic_data_converter,
            dev_server_startup_timeout=DEV_SERVER_STARTUP,
        )
        address = env.client.service_client.config.target_host
        task_queue = f"ledare-{uuid.uuid4()}"
        ports = [free_local_port() for _ in range(WORKERS)]
        workers: list[asyncio.subprocess.Process] = []
        seen_at_once: list[int] = []
        position = RelayPosition(settings)
        try:
            workers = list(
                await asyncio.gather(
                    *(
                        start_worker(
                            address,
                            task_queue,
                            settings,
                            "--database-url",
                            postgres_database_url,
                            "--health-port",
                            str(port),
                        )
                        for port in ports
                    )
                )
            )
            drains = [asyncio.create_task(drain(w)) for w in workers]
            first = await the_leader(ports, seen_at_once)
            assert await asyncio.to_thread(readyz_leader, first)
            assert not any([await asyncio.to_thread(readyz_leader, p) for p in ports if p != first])

            with governance.batch():
                before = [
                    report(governance, chef, key=f"fore-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]
            # The first leader hands every one of them on before it dies.
            while await asyncio.to_thread(position.get, governance.name) < governance.head():
                await asyncio.sleep(0.2)
            killed = workers[ports.index(first)]
            killed.send_signal(signal.SIGKILL)
            await killed.wait()
            with governance.batch():
                after = [
                    report(governance, chef, key=f"efter-{n}")
                    for chef in chefs.values()
                    for n in range(PER_CHEF)
                ]

            survivors = [p for p in ports if p != first]
            second = await the_leader(survivors, seen_at_once)
            reported = before + after
            finished = await asyncio.wait_for(
                results(env.client, [eskalering_workflow_id(a) for a in reported]), TIMEOUT
            )
            # Still one leader among the survivors, the same one.
            assert await the_leader(survivors, seen_at_once) == second
            for task in drains:
                task.cancel()
        finally:
            for process in workers:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGKILL)
                with contextlib.suppress(Exception):
                    await process.wait()
            position.close()
            await env.shutdown()

        assert max(seen_at_once) == 1
        assert second != first
        stored = events(governance)
        first_levels = {e.originator_id: e.actor for e in stored if isinstance(e, Avvikelse.Reported)}
        assert set(first_levels) == set(reported)
        sector_of = {chef: sector for sector, chef in chefs.items()}
        misses: dict[uuid.UUID, list[str]] = collections.defaultdict(list)
        for event in stored:
            if isinstance(event, Avvikelse.DeadlineMissed):
                misses[event.originator_id].append(event.level)
        # Nothing lost: each deviation, handed on before or after the kill, climbed every level once.
        for avvikelse_id, chef in first_levels.items():
            assert misses[avvikelse_id] == [sector_of[chef], *LEVELS_ABOVE_SECTOR], avvikelse_id
        # Nothing twice: no command recorded more than once.
        commands = collections.Counter((e.command_id, type(e).__name__) for e in stored)
        assert [command for command, n in commands.items() if n > 1] == []
        assert {(r.outcome, r.level) for r in finished} == {("obesvarad", "kf")}
        assert all(e.actor == c.PROCESS_ACTOR for e in stored if isinstance(e, Avvikelse.Escalated))
        governance.close()

    asyncio.run(scenario())
