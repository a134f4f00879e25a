"""A worker process as deployed: probes and Prometheus metrics on its port, and a graceful stop on SIGTERM.

Each test runs a real worker process against the Temporal dev server, on a
port of its own, and reads it from outside as Kubernetes and Prometheus would.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from integration.smtp_server import local_smtp
from local_http import get
from temporal.escalation_world import CHEF, MEDARBETARE, establish_unit, report
from temporal.slow_step import SlowStep
from temporal.temporal_harness import DEV_SERVER_STARTUP, binary
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.application import Governance
from lerum_flow.leadership import leader_present
from lerum_flow.local_ports import free_local_port
from lerum_flow.municipal_time import municipal_today
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay import RelayPosition
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

pytestmark = [pytest.mark.slow, pytest.mark.temporal]

TESTS = Path(__file__).resolve().parents[1]
SRC = TESTS.parent / "src"
WAIT_SECONDS = 120.0
ALERTS = TESTS.parent / "deploy" / "prometheus" / "alerts.yml"


async def until(check: Callable[[], bool], what: str, worker: WorkerProcess | None = None) -> None:
    """Wait until `check` holds; the generous bound only makes a broken worker fail instead of hang,
    and then says what the worker wrote (its output stays in files of the test's folder)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() >= deadline:
            told = worker.err.read_text(errors="replace")[-4000:] if worker is not None else ""
            raise AssertionError(f"väntade förgäves på: {what}\n{told}")
        await asyncio.sleep(0.3)


def alerted_metrics() -> set[str]:
    """The metric names the alert rules in deploy/prometheus/alerts.yml read."""
    rules = ALERTS.read_text(encoding="utf-8")
    return set(re.findall(r"\b(?:lerum_flow|temporal)_[a-z_]+", rules))


def metric(text: str, name: str) -> float | None:
    """The value of one sample line (`name` with its labels, as printed), or None if absent."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


@asynccontextmanager
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        dev_server_startup_timeout=DEV_SERVER_STARTUP,
    )
    try:
        yield env
    finally:
        await env.shutdown()


@dataclass
class WorkerProcess:
    """A worker in a process of its own, its output in files (a full pipe would stop it)."""

    process: subprocess.Popen[bytes]
    out: Path
    err: Path

    async def stop(self) -> int:
        """SIGTERM, as Kubernetes sends it; the exit code once it has stopped."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, WAIT_SECONDS)

    def output(self) -> tuple[str, str]:
        return self.out.read_text(), self.err.read_text()


@contextmanager
def worker_process(command: list[str], env: dict[str, str], folder: Path) -> Iterator[WorkerProcess]:
    out, err = folder / "worker.out", folder / "worker.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, *command], env=env, stdout=stdout, stderr=stderr)
    try:
        yield WorkerProcess(process, out, err)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def stopping_or_gone(port: int) -> bool:
    """Whether /readyz says the worker is stopping (WorkerHealth.ready's words), or nothing answers."""
    status, body = get(f"http://127.0.0.1:{port}/readyz")
    return status == 0 or "stängs" in body


def worker_environment(data_dir: Path, client: Client, task_queue: str, health_port: int) -> dict[str, str]:
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    return kept | {
        "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)]),
        "LERUM_FLOW_DATA_DIR": str(data_dir),
        "LERUM_FLOW_TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "LERUM_FLOW_TEMPORAL_TASK_QUEUE": task_queue,
        "LERUM_FLOW_HEALTH_PORT": str(health_port),
        "LERUM_FLOW_METRICS_SAMPLE_SECONDS": "0.5",
        "LERUM_FLOW_GRACEFUL_STOP_SECONDS": "30",
        "LERUM_FLOW_LOG_LEVEL": "INFO",
    }


def a_deviation_waiting(data_dir: Path) -> None:
    """A store with one deviation waiting at the chef's level, its views up to date, its relay at the
    start of the deviation (so the worker's relay starts one escalation)."""
    settings = Settings(data_dir=data_dir)
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    try:
        establish_unit(governance, municipal_today())
        position = RelayPosition(settings)
        try:
            position.set(governance.name, governance.head())
        finally:
            position.close()
        report(governance, MEDARBETARE)
        views = ViewStore.open(settings)
        try:
            views.projector().catch_up()
        finally:
            views.close()
    finally:
        governance.close()


def mail_environment(port: int, folder: Path) -> dict[str, str]:
    """The e-mail channel to a local server, the chef's notices to one mailbox."""
    addresses = folder / "adresser.toml"
    addresses.write_text(f'[adresser]\n"{CHEF}" = "enhetschef@lerum.se"\n', encoding="utf-8")
    return {
        "LERUM_FLOW_SMTP_HOST": "127.0.0.1",
        "LERUM_FLOW_SMTP_PORT": str(port),
        "LERUM_FLOW_SMTP_SECURITY": "ingen",
        "LERUM_FLOW_SMTP_FROM": "styrning@lerum.se",
        "LERUM_FLOW_WEB_URL": "https://styrning.lerum.se",
        "LERUM_FLOW_NOTICE_ADDRESSES": str(addresses),
    }


def test_the_cli_worker_answers_probes_serves_its_metrics_mails_notices_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    """`lerum-flow worker` with a health port and the e-mail channel: live, then ready; /metrics has
    our gauges and counters and the Temporal SDK's own; the chef is mailed the deviation to
    acknowledge, with a link; SIGTERM ends it with exit code 0."""

    async def scenario() -> None:
        a_deviation_waiting(tmp_path)
        port = free_local_port()
        base = f"http://127.0.0.1:{port}"
        async with dev_server() as env:
            with (
                local_smtp() as (mailbox, smtp_port),
                worker_process(
                    ["-m", "lerum_flow.cli.main", "worker"],
                    worker_environment(tmp_path, env.client, f"drift-{uuid.uuid4()}", port)
                    | mail_environment(smtp_port, tmp_path),
                    tmp_path,
                ) as worker,
            ):
                await until(lambda: get(f"{base}/healthz")[0] == 200, "/healthz svarar 200")
                await until(lambda: get(f"{base}/readyz")[0] == 200, "/readyz svarar 200")
                _, body = get(f"{base}/readyz")
                assert json.loads(body)["status"] == "ok"

                def scraped() -> str:
                    return get(f"{base}/metrics")[1]

                # The relay starts the deviation's escalation; its first step is counted.
                await until(
                    lambda: (
                        (metric(scraped(), 'lerum_flow_commands_total{kind="eskalering.follow"}') or 0) >= 1
                    ),
                    "eskaleringens första steg räknat",
                )
                # The relay has handed the deviation on, so the next sample sees it caught up.
                await until(lambda: metric(scraped(), "lerum_flow_relay_lag_events") == 0, "reläet ikapp")
                text = scraped()
                assert metric(text, "lerum_flow_escalations_waiting") == 1
                assert metric(text, 'lerum_flow_projection_lag_events{view="avvikelse_view"}') == 0
                assert "temporal_worker_task_slots_available{" in text, "SDK:ns egna mätvärden"
                # Every metric an alert rule reads is served (one Temporal counter appears at its
                # first failure only).
                appears_on_failure = {"temporal_long_request_failure_total"}
                assert (
                    sorted(alerted_metrics() - appears_on_failure - set(re.findall(r"[a-z_]+", text))) == []
                )
                assert get(f"{base}/saknas")[0] == 404
                await until(lambda: bool(mailbox.messages), "notisen till enhetschefen")
                (mail,) = mailbox.messages
                assert mail["To"] == "enhetschef@lerum.se"
                assert mail["Subject"].startswith("Avvikelse att kvittera senast")

                returncode = await worker.stop()
            _, errors = worker.output()
            assert returncode == 0, errors
            assert "worker_stoppad" in errors

    asyncio.run(scenario())


def test_sigterm_lets_a_running_activity_finish_and_the_worker_exit_cleanly(tmp_path: Path) -> None:
    """SIGTERM while a step runs: the step completes on its first attempt, the worker then exits 0,
    and it is not ready while it stops."""

    async def scenario() -> None:
        port = free_local_port()
        markers = tmp_path / "markers"
        markers.mkdir()
        task_queue = f"drift-{uuid.uuid4()}"
        async with dev_server() as env:
            with worker_process(
                [str(Path(__file__).with_name("watched_worker.py"))],
                worker_environment(tmp_path, env.client, task_queue, port),
                tmp_path,
            ) as worker:
                handle = await env.client.start_workflow(
                    SlowStep.run, str(markers), id=f"langsamt-{uuid.uuid4()}", task_queue=task_queue
                )
                await until(lambda: (markers / "started").exists(), "steget har börjat", worker)
                stopping = asyncio.create_task(worker.stop())
                await until(
                    lambda: get(f"http://127.0.0.1:{port}/readyz")[0] in (503, 0), "/readyz slutar svara 200"
                )
                await until(lambda: stopping_or_gone(port), "/readyz säger att workern stängs")
                # Said to be stopping means the relay's lead is given up already: another replica
                # relays while this one finishes its step.
                led_while_stopping = leader_present(Settings(data_dir=tmp_path), "relay")
                returncode = await stopping
            out, errors = worker.output()
            assert led_while_stopping is False, errors
            assert returncode == 0, errors
            assert "STOPPAD" in out
            assert (markers / "finished").read_text() == "1"
            history = await handle.fetch_history()
            kinds = [event.event_type for event in history.events]
            assert EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED in kinds
            assert EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED not in kinds
            assert EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT not in kinds

    asyncio.run(scenario())
