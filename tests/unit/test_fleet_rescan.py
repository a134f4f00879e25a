"""The fleet gives up on nothing: a register that does not answer is read again, a municipality's dead
worker is started again, at the next reading; each municipality's state is in the probe."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from temporalio.client import Client

from lerum_flow.health_server import WorkerHealth
from lerum_flow.kommun_register import RegisteredKommun
from lerum_flow.settings import Settings
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.workflows import fleet

LERUM = RegisteredKommun("1441", "Lerums kommun", "kommun_1441", "revisor_1441", "2026-12-01")


def test_a_register_that_fails_and_a_worker_that_dies_are_tried_again_at_the_next_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first reading fails, the municipality's first worker dies: both come back by themselves."""
    # Whether the probe said the register answered, as each reading began.
    readings: list[bool] = []
    starts: list[Any] = []
    health = WorkerHealth(store_answers=True)

    def registered(settings: Settings) -> list[RegisteredKommun]:
        readings.append(health.store_answers)
        if len(readings) == 1:
            raise OSError("registret svarar inte")
        return [LERUM]

    async def serve_kommun(*args: Any) -> None:
        watching = args[-1]
        starts.append(watching)
        if len(starts) == 1:
            raise RuntimeError("kommunens worker dog")
        watching.health.started = watching.health.store_answers = True
        watching.lead(True)
        await args[4].wait()  # stop

    monkeypatch.setattr(fleet, "registered", registered)
    monkeypatch.setattr(fleet, "_serve_kommun", serve_kommun)
    # Ticks come quickly; the register's regular reading (hourly here) never comes during the test.
    monkeypatch.setattr(fleet, "TICK_SECONDS", 0.02)

    async def scenario() -> None:
        stop = asyncio.Event()
        metrics = WorkerMetrics()
        serving = asyncio.create_task(
            fleet.serve_fleet(
                cast(Client, None),
                Settings(),
                "kö",
                stop,
                rescan_seconds=3600,
                health=health,
                metrics=metrics,
            )
        )

        async def both_back() -> None:
            while len(starts) < 2 or not health.kommuner["1441"].leader:
                assert not serving.done(), serving
                await asyncio.sleep(0.01)

        await asyncio.wait_for(both_back(), 30)  # without retries at the tick: an hour
        text = _metrics_text(metrics)
        stop.set()
        await asyncio.wait_for(serving, 5)
        assert 'lerum_flow_leader{kommun="1441",role="relay"} 1.0' in text

    asyncio.run(scenario())
    assert readings[:2] == [True, False]
    assert all(readings[2:])
    assert len(starts) == 2
    ok, body = health.answer("/readyz")
    assert body["kommuner"] == [
        {
            "kod": "1441",
            "ledare": True,
            "tar_uppgifter": True,
            "lager_svarar": True,
            "relay_efterslapning": None,
        }
    ]
    assert not ok  # the fleet stopped


def _metrics_text(metrics: WorkerMetrics) -> str:
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()
