"""One worker process as deployed: probes and metrics, the client, the worker and the relay, in order.

What `lerum-flow worker` and `up` run. The HTTP server starts first, so
/healthz answers while Temporal is still being reached and /readyz says
why the worker does not serve yet; it stops last, after the worker has
finished its running activities (SIGTERM's graceful stop).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.health_server import HealthServer, WorkerHealth
from lerum_flow.local_ports import free_local_port
from lerum_flow.notifications import Notifier
from lerum_flow.process_settings import WorkerSettings
from lerum_flow.reading import Children
from lerum_flow.settings import Settings
from lerum_flow.temporal_runtime import connect, install_runtime
from lerum_flow.temporal_settings import TemporalSettings
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.workflows.governance_steps import DecisionsTaken
from lerum_flow.workflows.report_drafts import DraftMaker
from lerum_flow.workflows.worker import Watching, serve


class TemporalUnreachableError(RuntimeError):
    """The client could not connect: the server is down, the address wrong, or TLS/the key refused."""


@contextlib.contextmanager
def watched(worker: WorkerSettings) -> Iterator[Watching | None]:
    """The health server for the block when a port is set (and the SDK's metrics behind it), else None."""
    if not worker.health_port:
        yield None
        return
    sdk_port = worker.temporal_metrics_port or free_local_port()
    watching = Watching(WorkerMetrics(), WorkerHealth(), sample_seconds=worker.sample_seconds)
    try:
        server = HealthServer(
            watching.health,
            watching.metrics,
            host=worker.health_host,
            port=worker.health_port,
            sdk_metrics_url=f"http://127.0.0.1:{sdk_port}/metrics",
        )
    except OSError as error:
        raise InvalidInput(
            f"Workerns hälsoport {worker.health_host}:{worker.health_port} kan inte öppnas "
            f"({error.strerror}); används den redan? Välj en annan med LERUM_FLOW_HEALTH_PORT.",
            field="LERUM_FLOW_HEALTH_PORT",
            rule="port_upptagen",
        ) from None
    # After the port is ours: the SDK's runtime is set once per process.
    install_runtime(metrics_address=f"127.0.0.1:{sdk_port}")
    server.start()
    try:
        yield watching
    finally:
        server.stop()


async def run_worker(
    governance: Governance,
    settings: Settings,
    temporal: TemporalSettings,
    worker: WorkerSettings,
    stop: asyncio.Event,
    *,
    notifier: Notifier | None = None,
    extra_workflows: Sequence[type] = (),
    extra_activities: Sequence[Callable[..., Any]] = (),
    decisions: DecisionsTaken | None = None,
    drafts: DraftMaker | None = None,
    derived: Children | None = None,
) -> None:
    """Serve until `stop` is set (SIGTERM, Ctrl-C); TemporalUnreachableError if no connection."""
    with watched(worker) as watching:
        try:
            client = await connect(temporal)
        except RuntimeError as error:
            raise TemporalUnreachableError(str(error)) from error
        await serve(
            client,
            temporal.task_queue,
            governance,
            settings,
            stop,
            notifier=notifier,
            decisions=decisions,
            drafts=drafts,
            derived=derived,
            graceful_stop=timedelta(seconds=worker.graceful_stop_seconds),
            watching=watching,
            extra_workflows=extra_workflows,
            extra_activities=extra_activities,
        )
