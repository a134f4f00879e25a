"""Our subscription, recorders and views against the eventsourcing library's own test suites,
and our projections driven by the library's own ProjectionRunner."""

from __future__ import annotations

import pytest
from postgres_server import datastore_for

# The library's test module imports its AES cipher, which needs pycryptodome
# (eventsourcing[crypto]); without it these suites cannot even be collected.
pytest.importorskip("Crypto", reason="pycryptodome (eventsourcing[crypto]) is needed by eventsourcing.tests")

from eventsourcing.projection import ProjectionRunner
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase, TrackingRecorderTestCase
from unit.governance_world import seed, staff

from lerum_flow.application import Governance
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.uppdrag import (
    PostgresUppdragView,
    SQLiteUppdragView,
    UppdragProjection,
    UppdragRow,
)
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.subscription import PollingPostgresApplicationRecorder, PollingSQLiteApplicationRecorder


class TestPollingSQLiteRecorderPassesTheLibrarySuite(
    ApplicationRecorderTestCase[PollingSQLiteApplicationRecorder]
):
    """The library's application recorder tests, subscriptions included, on SQLite with polling."""

    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: object) -> None:
        self.path = f"{tmp_path}/events.db"

    def create_recorder(self) -> PollingSQLiteApplicationRecorder:
        recorder = PollingSQLiteApplicationRecorder(SQLiteDatastore(self.path))
        recorder.create_table()
        return recorder


@pytest.mark.postgres
class TestPollingPostgresRecorderPassesTheLibrarySuite(
    ApplicationRecorderTestCase[PollingPostgresApplicationRecorder]
):
    """The library's application recorder tests on PostgreSQL with LISTEN/NOTIFY and polling."""

    @pytest.fixture(autouse=True)
    def _database(self, postgres_database_url: str) -> None:
        self.url = postgres_database_url

    def create_recorder(self) -> PollingPostgresApplicationRecorder:
        recorder = PollingPostgresApplicationRecorder(datastore_for(self.url))
        recorder.create_table()
        return recorder


class TestSQLiteViewPassesTheLibraryTrackingSuite(TrackingRecorderTestCase):
    """A view is a tracking recorder: the library's tracking tests hold for it on SQLite."""

    def create_recorder(self) -> SQLiteUppdragView:
        view = SQLiteUppdragView(SQLiteDatastore(":memory:"))
        view.create_table()
        return view


@pytest.mark.postgres
class TestPostgresViewPassesTheLibraryTrackingSuite(TrackingRecorderTestCase):
    """A view is a tracking recorder: the library's tracking tests hold for it on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _database(self, postgres_database_url: str) -> None:
        self.url = postgres_database_url

    def create_recorder(self) -> PostgresUppdragView:
        view = PostgresUppdragView(datastore_for(self.url), tracking_table_name="uppdrag_view_tracking")
        view.create_table()
        return view


def test_library_projection_runner_keeps_a_view_current(database_url: str) -> None:
    """The library's ProjectionRunner follows the log with our subscription and fills our view."""
    settings = Settings(database_url=database_url)
    env = settings.eventsourcing_env("governance") | settings.eventsourcing_env(UppdragProjection.name)
    view_class = PostgresUppdragView if settings.uses_postgres else SQLiteUppdragView
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    staff(app)
    with ProjectionRunner(
        application_class=GovernanceLog,
        projection_class=UppdragProjection,
        view_class=view_class,
        env=env,
    ) as runner:
        world = seed(app)  # written after the runner started: it must be notified or poll
        # The runner subscribes to the projection's topics only, so it tracks up to the
        # last uppdrag event, not up to the head of the log.
        topics = list(UppdragProjection.topics)
        last = app.recorder.select_notifications(start=None, limit=1000, topics=topics)[-1].id
        runner.wait(last, timeout=10)
        rows = runner.projection.view.select(UppdragRow)
    app.close()
    assert [(r.id, r.recipient, r.status) for r in rows] == [(world.kf_uppdrag_to_ks, "ks", "mottaget")]
