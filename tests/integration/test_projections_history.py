"""The benchmark's history generator, shared by the projection tests, and a check that its
history is one the application could have recorded (so the views see realistic data)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from lerum_flow.application import Governance
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.trace import orphans
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

BENCH = Path(__file__).resolve().parents[2] / "bench" / "projections.py"


def _bench() -> ModuleType:
    """bench/projections.py, loaded once by path (it is a script, not a package)."""
    name = "lerum_flow_bench_projections"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


def generate_history(app: Governance, events: int, *, seed: int = 1441) -> int:
    """Record about `events` events through `app` (see bench/projections.py)."""
    recorded: int = _bench().generate_history(app, events, seed=seed)
    return recorded


def test_generated_uppdrag_all_trace_to_a_political_decision(tmp_path: Path) -> None:
    """Every generated uppdrag reaches KF's budget through its parents, as the application requires."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, 3000)
    store = ViewStore.open(settings)
    try:
        store.projector().catch_up()
        assert len(store.views.uppdrag.select(UppdragRow)) > 100
        assert orphans(store.views) == []
    finally:
        store.close()
        app.close()
