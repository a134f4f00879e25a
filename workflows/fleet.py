"""One worker process for every municipality of a deployment (`lerum-flow worker --alla-kommuner`).

Each municipality is served as a single-municipality worker is (its workflows,
its activities on its own store, its relay), in its own Temporal namespace,
on the one connection the process holds: a client per namespace made from
the same service client. The register is read again every `rescan_seconds`,
so a municipality added with `kommun add` is served by the running fleet
without a new process; a register that does not answer (the database down
or restarting) is asked again at the next tick, and a municipality whose
worker fails is logged and started again at the next tick.

Why namespaces and not one namespace with a queue per municipality: workflow
ids are the relay contract (`arshjul-2027`, an escalation's id from its
deviation) and repeat from one municipality to the next, and ids are unique
within a namespace. A namespace each keeps them apart without changing a
recorded id, and Temporal's own access control then separates them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from google.protobuf.duration_pb2 import Duration
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from lerum_flow.application import Governance
from lerum_flow.health_server import WorkerHealth
from lerum_flow.kommun_register import RegisteredKommun, registered
from lerum_flow.logs import get_logger
from lerum_flow.notifications import Notifier
from lerum_flow.schema import prepared
from lerum_flow.settings import Settings
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.workflows.governance_steps import DecisionsTaken
from lerum_flow.workflows.worker import Watching, serve

RESCAN_SECONDS = 60.0
# How often the loop tells the probes it lives (well inside health_server.LOOP_STUCK_SECONDS).
TICK_SECONDS = 5.0
# Pools that hold no idle connection of their own: a single-municipality worker keeps about nine
# open (measured, `bench kommuner`), which for hundreds of municipalities in one process would pass
# any server's max_connections. Connections are opened when used and closed after ten idle minutes.
# POSTGRES_POOL_SIZE and POSTGRES_MAX_OVERFLOW in the environment still win.
FLEET_POOL = {"POSTGRES_POOL_SIZE": "0", "POSTGRES_MAX_OVERFLOW": "4"}
# How long Temporal keeps a closed workflow's history in a namespace the fleet registers itself.
RETENTION = timedelta(days=30)


class ClosableDecisions(DecisionsTaken, Protocol):
    def close(self) -> None: ...


@dataclasses.dataclass(frozen=True)
class FleetParts:
    """What the entrypoint gives each municipality's worker, made from its own settings."""

    decisions: Callable[[Settings], ClosableDecisions | None] = lambda _: None
    notifier: Callable[[Settings], Notifier | None] = lambda _: None


async def serve_fleet(
    client: Client,
    settings: Settings,
    task_queue: str,
    stop: asyncio.Event,
    *,
    parts: FleetParts | None = None,
    rescan_seconds: float = RESCAN_SECONDS,
    poll_seconds: float | None = None,
    graceful_stop: timedelta = timedelta(0),
    health: WorkerHealth | None = None,
    metrics: WorkerMetrics | None = None,
    sample_seconds: float = 15.0,
) -> None:
    """Serve every registered municipality until `stop` is set, taking on new ones as they are added.

    With `health` the probes learn that the loop lives, whether the register answers, when the
    municipalities found at the first reading have been set going, and when the fleet stops; and
    per municipality (`health.kommuner`) whether this process leads its relay, how far the relay
    lags and whether its store answers (sampled every `sample_seconds`). With `metrics` as well,
    the process serves each municipality's figures under a `kommun` label instead of its own.
    """
    parts = parts or FleetParts()
    log = get_logger("lerum_flow.fleet")
    running: dict[str, asyncio.Task[None]] = {}
    # Kept across a municipality's restarts: its counters go on from where they were.
    kommun_metrics: dict[str, WorkerMetrics] = {}
    if metrics is not None:
        metrics.by_kommun(kommun_metrics)
    next_reading = 0.0
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        if health is not None:
            health.tick()
        if any(task.done() for task in running.values()):
            next_reading = 0.0  # a municipality's worker ended: start it again now, not at the next reading
        if loop.time() >= next_reading:
            next_reading = loop.time() + rescan_seconds
            _forget_finished(running, log)
            try:
                kommuner = await asyncio.to_thread(registered, settings)
            except Exception as error:  # the register does not answer: ask again at the next tick
                log.error("kommunregistret_svarar_inte", error=repr(error))
                next_reading = loop.time() + min(TICK_SECONDS, rescan_seconds)
                if health is not None:
                    health.store_answers = False
            else:
                for kommun in kommuner:
                    if kommun.kod not in running:
                        log.info("kommun_worker_startar", kommun=kommun.kod, namespace=kommun.namespace)
                        watching = None
                        if health is not None:
                            own = kommun_metrics.setdefault(kommun.kod, WorkerMetrics())
                            # A fresh state at each start: a restarted worker has not started yet.
                            health.kommuner[kommun.kod] = WorkerHealth()
                            watching = Watching(own, health.kommuner[kommun.kod], sample_seconds)
                        running[kommun.kod] = asyncio.create_task(
                            _serve_kommun(
                                client,
                                settings,
                                kommun,
                                task_queue,
                                stop,
                                parts,
                                poll_seconds,
                                graceful_stop,
                                watching,
                            )
                        )
                if health is not None:
                    health.store_answers = True
                    health.started = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=min(TICK_SECONDS, rescan_seconds))
    if health is not None:
        health.stopping = True
    await asyncio.gather(*running.values(), return_exceptions=True)


def _forget_finished(running: dict[str, asyncio.Task[None]], log: Any) -> None:
    """Drop the municipalities whose worker ended (a failure is logged), so the reading starts them again."""
    for kod, task in list(running.items()):
        if task.done():
            del running[kod]
            if not task.cancelled() and task.exception() is not None:
                log.error("kommun_worker_fel", kommun=kod, error=repr(task.exception()))


async def _serve_kommun(
    client: Client,
    settings: Settings,
    kommun: RegisteredKommun,
    task_queue: str,
    stop: asyncio.Event,
    parts: FleetParts,
    poll_seconds: float | None,
    graceful_stop: timedelta,
    watching: Watching | None,
) -> None:
    own = await asyncio.to_thread(
        prepared,
        dataclasses.replace(settings, kommun=kommun.kod, passthrough=FLEET_POOL | settings.passthrough),
    )
    await ensure_namespace(client, kommun.namespace)
    config = client.config()  # the same connection, another namespace
    config["namespace"] = kommun.namespace
    in_namespace = Client(**config)
    # No model given: each command is taken under the styrmodell the municipality's store records.
    governance = Governance(None, env=own.eventsourcing_env("governance"))
    decisions = parts.decisions(own)
    try:
        run = functools.partial(
            serve,
            in_namespace,
            task_queue,
            governance,
            own,
            stop,
            notifier=parts.notifier(own),
            decisions=decisions,
            graceful_stop=graceful_stop,
            watching=watching,
        )
        # The relay's own pace unless given (the tests poll faster).
        await (run() if poll_seconds is None else run(poll_seconds=poll_seconds))
    finally:
        if decisions is not None:
            decisions.close()
        governance.close()


async def ensure_namespace(client: Client, namespace: str) -> None:
    """Register the municipality's namespace if the server does not know it yet (a dev server, a
    self-hosted cluster whose operator allows it); a server that refuses (Temporal Cloud, where
    namespaces are made in its console) has it made by its operator, and the refusal is raised."""
    if await _known(client, namespace):
        return
    retention = Duration(seconds=int(RETENTION.total_seconds()))
    try:
        await client.workflow_service.register_namespace(
            RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=retention)
        )
    except RPCError as refused:
        if refused.status != RPCStatusCode.ALREADY_EXISTS:  # registered meanwhile by another worker
            raise
    # A new namespace reaches the server's cache within seconds; wait until it answers.
    for _ in range(60):
        if await _known(client, namespace):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"Temporal-namnrymden {namespace} registrerades men svarar inte")


async def _known(client: Client, namespace: str) -> bool:
    try:
        await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=namespace))
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        return False
    return True
