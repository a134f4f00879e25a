"""Where the integrity tools find the events and keep the seal, given the application and settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteFactory

from lerum_flow.domain.errors import InvalidState
from lerum_flow.integrity.postgres_stores import PostgresEventLog, PostgresSealStore
from lerum_flow.integrity.sqlite_stores import SQLiteEventLog, SQLiteSealStore
from lerum_flow.integrity.stores import EventLog, SealStore
from lerum_flow.settings import Settings

# The settings' store name for the seal's SQLite file (beside the event store).
SEAL_STORE = "integrity"


def open_stores(app: Application[Any], settings: Settings) -> tuple[EventLog, SealStore]:
    factory, recorder = app.factory, app.recorder
    # Table names are the library's (stored_events on SQLite, <app>_events on
    # PostgreSQL): read them from the recorder rather than repeating them.
    if isinstance(factory, SQLiteFactory) and isinstance(recorder, SQLiteApplicationRecorder):
        return (
            SQLiteEventLog(factory.datastore, recorder.events_table_name),
            SQLiteSealStore(seal_path(settings)),
        )
    if isinstance(factory, PostgresFactory) and isinstance(recorder, PostgresApplicationRecorder):
        return (
            PostgresEventLog(factory.datastore, recorder.events_table_name),
            PostgresSealStore(factory.datastore),
        )
    raise InvalidState(
        "Förseglingen kräver ett händelselager i SQLite eller PostgreSQL; "
        f"det här lagret ({type(factory).__name__}) sparas inte.",
        rule="bestandigt_lager",
    )


def seal_path(settings: Settings) -> Path:
    return settings.sqlite_path(SEAL_STORE)
