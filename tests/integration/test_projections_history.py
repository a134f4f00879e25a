"""The benchmarks' workload generator as the projection tests use it, and a check that its
history is one the application could have recorded (so the views see realistic data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerum_flow.application import Governance
from lerum_flow.demo.workload import generate, profile_for_events
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.trace import orphans
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

# Each builds or replays a store of thousands of events: seconds, not milliseconds.
pytestmark = pytest.mark.slow


def generate_history(app: Governance, events: int, *, seed: int = 1441) -> int:
    """Record about `events` events of Lerum's shape through `app` with the benchmarks'
    workload generator; returns how many were recorded."""
    profile = profile_for_events(app.styrmodell, events, seed=seed)
    return generate(app, profile, seed=seed, until_events=events).events


def test_generated_uppdrag_all_trace_to_a_political_decision(tmp_path: Path) -> None:
    """Every generated uppdrag reaches KF's budget through its parents, as the application requires."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, 12000)
    store = ViewStore.open(settings)
    try:
        store.projector().catch_up()
        assert len(store.views.uppdrag.select(UppdragRow)) > 100
        assert orphans(store.views) == []
    finally:
        store.close()
        app.close()
