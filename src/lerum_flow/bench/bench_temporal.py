"""Temporal: the escalation latency beside its baseline (a signal's round trip on the same local dev
server), and the simulated mandate period."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import uuid
from pathlib import Path

from temporalio.client import Client
from temporalio.worker import Worker

from lerum_flow.bench import bench_escalation
from lerum_flow.bench.bench_escalation import BASELINE_NAME, ESCALATION_P99_GOAL
from lerum_flow.bench.echo_workflow import Echo
from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.bench.stores import PostgresServer, sqlite_settings
from lerum_flow.bench.timing import percentile, stopwatch
from lerum_flow.demo import run_simulation
from lerum_flow.temporal_runtime import UI_PORT_OFFSET, DevServer, TemporalSettings, connect, is_listening
from lerum_flow.workflow_result import wait_for_result

SIMULATION_GOAL = Goal(GoalKind.VALUE_AT_MOST, 300.0, "≤ 5 min")
# The reason in a report row is kept short enough to read in the table.
REASON_CHARS = 300


def escalation(signals: int, deviations: int, burst: int, pg: PostgresServer) -> list[Figure]:
    """Escalation latency p50/p99 (bench_escalation) on a dev server of its own and a database of `pg`.

    The baseline, `signals` round trips of a signal, is measured first on the
    same server. What cannot be measured (no `temporal` binary, a server that
    does not start, no PostgreSQL, a failed run) is reported as such.
    """
    settings = TemporalSettings(address=f"127.0.0.1:{free_port()}")
    with tempfile.TemporaryDirectory(prefix="lerum-eskalering-") as tmp:
        # Our own DevServer, not WorkflowEnvironment.start_local: that one lets the server
        # print its banner on our stdout, which must carry nothing but the JSON report.
        server = DevServer(settings, Path(tmp) / "temporal")
        try:
            return _on_dev_server(server, signals, deviations, burst, pg, Path(tmp) / "lager")
        finally:
            server.stop()


def _on_dev_server(
    server: DevServer, signals: int, deviations: int, burst: int, pg: PostgresServer, work: Path
) -> list[Figure]:
    try:
        server.start()
        round_trips = asyncio.run(_signal_round_trips(server.settings, signals))
    except Exception as error:  # a missing binary or a dev server that did not start
        return escalation_not_measured(f"Temporals utvecklingsserver kunde inte användas: {_say(error)}")
    missing = pg.unavailable()
    if missing:
        return escalation_not_measured(missing, round_trips)
    try:
        run = bench_escalation.measure(server.settings, pg.create(), work, deviations=deviations, burst=burst)
    except Exception as error:
        return escalation_not_measured(f"mätningen misslyckades: {_say(error)}", round_trips)
    return bench_escalation.figures(run, round_trips)


def escalation_not_measured(reason: str, round_trips: list[float] | None = None) -> list[Figure]:
    """Both rows without a value, saying why; with the baseline if it was measured."""
    return [
        Figure(
            f"escalation_p{q}",
            f"Eskaleringslatens, p{q}",
            "ms",
            baseline=percentile(round_trips, q) * 1000 if round_trips else None,
            baseline_name=BASELINE_NAME if round_trips else "",
            goal=ESCALATION_P99_GOAL if q == 99 else None,
            not_measured=f"ej mätt: {reason}"[:REASON_CHARS],
            details={"signaler": len(round_trips)} if round_trips else {},
        )
        for q in (50, 99)
    ]


def _say(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


async def _signal_round_trips(settings: TemporalSettings, samples: int) -> list[float]:
    client = await connect(settings)
    queue = f"bench-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[Echo]):
        handle = await client.start_workflow(Echo.run, id=f"bench-echo-{uuid.uuid4()}", task_queue=queue)
        times = [await _round_trip(client, handle.id, n) for n in range(1, samples + 1)]
        await handle.signal(Echo.stop)
        await wait_for_result(handle)
    return times


def free_port() -> int:
    """A free port whose neighbour a thousand above (the dev server's Web UI) is free too."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + UI_PORT_OFFSET < 65536 and not is_listening("127.0.0.1", port + UI_PORT_OFFSET):
            return port
    raise RuntimeError("ingen ledig port för Temporal")


async def _round_trip(client: Client, workflow_id: str, n: int) -> float:
    handle = client.get_workflow_handle(workflow_id)
    with stopwatch() as elapsed:
        await handle.signal(Echo.ping, n)
        while await handle.query(Echo.seen) < n:
            await asyncio.sleep(0.001)
    return elapsed.wall


def simulation(years: int) -> Figure:
    """The simulated mandate period (`years` budget years) on the time-skipping test server."""
    name = f"Simulerad mandatperiod, {years} budgetår, tidshoppande server (väggtid)"
    with tempfile.TemporaryDirectory() as tmp, stopwatch() as elapsed:
        summary = run_simulation(sqlite_settings(Path(tmp)), None, years=years)
    made = summary.as_dict()
    return Figure(
        "simulation",
        name,
        "s",
        value=elapsed.wall,
        goal=SIMULATION_GOAL,
        without_baseline="väggtid mot målet; uppdraget anger ingen baslinje",
        details={
            "budgetar": years,
            "handelser": made["antal_handelser"],
            "cykler_avslutade": made["cykler_avslutade"],
            "tidsgranser_hallna": made["tidsgranser_hallna"],
            "tidsgranser_missade": made["tidsgranser_missade"],
            "cpu_sekunder": round(elapsed.cpu, 3),
        },
    )
