"""Samples the store for the worker's gauges: relay lag, each view's lag, deviations waiting.

Sampled on the worker's own schedule, not on each scrape, so the database
sees one small query set per interval however often Prometheus asks. A
failed sample marks the worker not ready (the store does not answer) and is
tried again at the next interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from lerum_flow.application import Governance
from lerum_flow.domain.values import AvvikelseStatus
from lerum_flow.health_server import WorkerHealth
from lerum_flow.logs import get_logger
from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay import RelayPosition
from lerum_flow.settings import Settings
from lerum_flow.worker_metrics import WorkerMetrics

TICK_SECONDS = 1.0


class StoreSampler:
    def __init__(
        self,
        governance: Governance,
        relay_position: RelayPosition,
        settings: Settings,
        metrics: WorkerMetrics,
        health: WorkerHealth,
    ) -> None:
        self.governance = governance
        self.relay_position = relay_position
        self.settings = settings
        self.metrics = metrics
        self.health = health
        self._log = get_logger("lerum_flow.worker")

    def sample(self) -> None:
        head = self.governance.head()
        relayed = self.relay_position.get(self.governance.name)
        self.metrics.relay_lag.set(max(0, head - relayed))
        self.health.relay_lag = max(0, head - relayed)
        # Opened for each sample and closed again: kept open, the views' pools would hold a
        # connection each in every worker between samples.
        views = ViewStore.open(self.settings)
        try:
            for view, position in views.projector().positions().items():
                self.metrics.projection_lag.labels(view=view).set(max(0, head - position))
            waiting = views.views.avvikelse.count(AvvikelseRow, {"status": AvvikelseStatus.REPORTED.value})
        finally:
            views.close()
        self.metrics.escalations_waiting.set(waiting)
        self.metrics.last_sample.set(time.time())

    async def run(self, stop: asyncio.Event, *, every: float) -> None:
        """Tick the liveness clock every second and sample every `every` seconds, until `stop`."""
        due = 0.0
        while not stop.is_set():
            self.health.tick()
            if time.monotonic() >= due:
                due = time.monotonic() + every
                await self.sample_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=TICK_SECONDS)

    async def sample_once(self) -> None:
        """Sample now; whether the store answered is what the readiness probe then says."""
        try:
            await asyncio.to_thread(self.sample)
        except Exception as error:
            self.metrics.sample_failures.inc()
            if self.health.store_answers:
                self._log.warning("lager_svarar_inte", error=repr(error))
            self.health.store_answers = False
        else:
            self.health.store_answers = True
