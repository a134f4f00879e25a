"""Temporal: the escalation latency (not measurable until the escalation workers exist), its
baseline (a signal's round trip on a local dev server), and the simulated mandate period."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import uuid
from pathlib import Path

from temporalio.client import Client
from temporalio.worker import Worker

from lerum_flow.benchmarks.echo_workflow import Echo
from lerum_flow.benchmarks.report import Figure, Goal, GoalKind, not_measured
from lerum_flow.benchmarks.stores import sqlite_settings
from lerum_flow.benchmarks.timing import percentile, stopwatch
from lerum_flow.simulation import run_simulation
from lerum_flow.temporal_runtime import UI_PORT_OFFSET, DevServer, TemporalSettings, connect, is_listening

ESCALATION_P99_GOAL = Goal(GoalKind.VALUE_AT_MOST, 1000.0, "p99 ≤ 1 s")
SIMULATION_GOAL = Goal(GoalKind.VALUE_AT_MOST, 300.0, "≤ 5 min")
ESCALATION_REASON = (
    "ej mätt: kräver eskaleringsarbetarna (eskaleringsflödet för avvikelser är inte klart och incheckat än)"
)


def escalation(samples: int) -> list[Figure]:
    """The figure stays unmeasured; its baseline is measured so the row is ready when it is."""
    try:
        round_trips = asyncio.run(_signal_round_trips(samples))
    except Exception as error:  # a missing binary or a dev server that did not start
        reason = f"{ESCALATION_REASON}; baslinjen kunde inte heller mätas: {type(error).__name__}: {error}"
        return [
            not_measured(
                "escalation_p99", "Eskaleringslatens, p99", "ms", reason[:300], goal=ESCALATION_P99_GOAL
            )
        ]
    return [
        Figure(
            f"escalation_p{q}",
            f"Eskaleringslatens, p{q}",
            "ms",
            baseline=percentile(round_trips, q) * 1000,
            baseline_name="en signal till ett Temporal-flöde och tills en fråga ser den (lokal dev-server)",
            goal=ESCALATION_P99_GOAL if q == 99 else None,
            not_measured=ESCALATION_REASON,
            details={"signaler": len(round_trips)},
        )
        for q in (50, 99)
    ]


async def _signal_round_trips(samples: int) -> list[float]:
    # Our own DevServer, not WorkflowEnvironment.start_local: that one lets the server
    # print its banner on our stdout, which must carry nothing but the JSON report.
    settings = TemporalSettings(address=f"127.0.0.1:{_free_port()}")
    with tempfile.TemporaryDirectory() as tmp:
        server = DevServer(settings, Path(tmp))
        server.start()
        try:
            client = await connect(settings)
            queue = f"bench-{uuid.uuid4()}"
            async with Worker(client, task_queue=queue, workflows=[Echo]):
                handle = await client.start_workflow(
                    Echo.run, id=f"bench-echo-{uuid.uuid4()}", task_queue=queue
                )
                times = [await _round_trip(client, handle.id, n) for n in range(1, samples + 1)]
                await handle.signal(Echo.stop)
                await handle.result()
        finally:
            server.stop()
    return times


def _free_port() -> int:
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
