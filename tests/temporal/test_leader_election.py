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
import json
import re
import signal
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from temporal.escalation_fleet import assert_each_climbed_once, dev_server, kill_all
from temporal.escalation_world import report
from temporal.test_eskalering_skala import (
    drain,
    establish_chefs,
    late_store,
    results,
    start_watched_worker,
)

from lerum_flow.relay import RelayPosition
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.temporal_runtime import install_runtime

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
        env = await dev_server()
        address = env.client.service_client.config.target_host
        task_queue = f"ledare-{uuid.uuid4()}"
        workers: list[asyncio.subprocess.Process] = []
        seen_at_once: list[int] = []
        position = RelayPosition(settings)
        try:
            started = await asyncio.gather(
                *(
                    start_watched_worker(
                        address, task_queue, settings, "--database-url", postgres_database_url
                    )
                    for _ in range(WORKERS)
                )
            )
            workers = [worker for worker, _ in started]
            ports = [port for _, port in started]
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
            await kill_all(workers)
            position.close()
            await env.shutdown()

        assert max(seen_at_once) == 1
        assert second != first
        assert_each_climbed_once(governance, chefs, reported, finished)
        governance.close()

    asyncio.run(scenario())
