"""Fixtures for the integration tests: a Governance and its views on one store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from postgres_server import PgServer

from lerum_flow.application import Governance
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell


@dataclass
class Store:
    settings: Settings
    app: Governance
    views: ViewStore


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """Lerum's Governance and every view on the test's store (SQLite, then PostgreSQL)."""
    settings = Settings(database_url=database_url)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    views = ViewStore.open(settings)
    try:
        yield Store(settings, app, views)
    finally:
        views.close()
        app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> PgServer | None:
    """The test runs on SQLite (None) and on PostgreSQL (the server, started only if needed)."""
    return request.getfixturevalue("postgres_server") if request.param == "postgres" else None
