"""The worker's gauges sampled from a real store, SQLite and PostgreSQL: lags and deviations waiting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporal.escalation_world import MEDARBETARE, establish_unit, report

from lerum_flow.application import Governance
from lerum_flow.health_server import WorkerHealth
from lerum_flow.municipal_time import municipal_today
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay import RelayPosition
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.worker_sampling import StoreSampler


def test_the_gauges_show_what_the_relay_and_each_view_have_not_taken_in(
    database_url: str, tmp_path: Path
) -> None:
    """Two deviations reported after the relay's position and the views' last catch-up: both lags
    count them; once the views catch up, their lag is 0 and both deviations are waiting."""
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    position = RelayPosition(settings)
    try:
        establish_unit(governance, municipal_today())
        position.set(governance.name, governance.head())
        views = ViewStore.open(settings)
        try:
            views.projector().catch_up()
            report(governance, MEDARBETARE, key="en")
            report(governance, MEDARBETARE, key="två")
            metrics, health = WorkerMetrics(), WorkerHealth()
            sampler = StoreSampler(governance, position, settings, metrics, health)

            sampler.sample()
            assert metrics.registry.get_sample_value("lerum_flow_relay_lag_events") == 2
            behind = metrics.registry.get_sample_value(
                "lerum_flow_projection_lag_events", {"view": "avvikelse_view"}
            )
            assert behind == 2

            views.projector().catch_up()
            sampler.sample()
            assert (
                metrics.registry.get_sample_value(
                    "lerum_flow_projection_lag_events", {"view": "avvikelse_view"}
                )
                == 0
            )
            assert metrics.registry.get_sample_value("lerum_flow_escalations_waiting") == 2
        finally:
            views.close()
    finally:
        position.close()
        governance.close()


def test_a_store_that_does_not_answer_makes_the_worker_not_ready(tmp_path: Path) -> None:
    """A failed sample is counted and the probes hear that the store does not answer; the next
    successful one makes it ready again."""
    settings = Settings(data_dir=tmp_path)
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    position = RelayPosition(settings)
    try:
        metrics, health = WorkerMetrics(), WorkerHealth()
        health.started = True
        sampler = StoreSampler(governance, position, settings, metrics, health)
        broken = StoreSampler(
            governance, position, Settings(data_dir=tmp_path, database_url="mysql://x"), metrics, health
        )
        asyncio.run(broken.sample_once())
        assert health.ready() == (False, "händelselagret svarar inte")
        assert metrics.registry.get_sample_value("lerum_flow_store_sample_failures_total") == 1
        asyncio.run(sampler.sample_once())
        assert health.ready()[0] is True
    finally:
        position.close()
        governance.close()
