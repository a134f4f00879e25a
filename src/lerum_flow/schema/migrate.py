"""`db migrate` and `db status`: bring a store to the current schema version, say where it stands,
and how a process opens a store given where it stands.

A store is in one of five states: empty (nothing created yet), made by an
earlier version of the program (its tables exist but it has no version
table), behind (some migrations not applied), current, or ahead (made by a
newer program). Only `migrate` changes the schema; every other process opens
a current store without running DDL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from lerum_flow.domain.errors import InvalidState
from lerum_flow.schema.access import may_write
from lerum_flow.schema.connection import event_table, store_connection, table_exists
from lerum_flow.schema.migrations import CURRENT_VERSION, MIGRATIONS, Migration
from lerum_flow.schema.versions import Applied, applied, create_version_table, record
from lerum_flow.settings import Settings


class State(StrEnum):
    EMPTY = "tomt"
    EARLIER_PROGRAM = "tidigare_version"
    BEHIND = "efter"
    CURRENT = "aktuellt"
    AHEAD = "nyare"


@dataclass(frozen=True)
class SchemaStatus:
    state: State
    version: int
    applied: tuple[Applied, ...]
    pending: tuple[Migration, ...]

    @property
    def current(self) -> bool:
        return self.state is State.CURRENT

    def describe(self) -> str:
        """One Swedish sentence: where the store stands and what to do about it."""
        match self.state:
            case State.EMPTY:
                return "Lagret är tomt: inga tabeller ännu. Kör 'lerum-flow db migrate'."
            case State.EARLIER_PROGRAM:
                return (
                    "Lagret skapades av en tidigare version av programmet och saknar schemaversion; "
                    f"'lerum-flow db migrate' för det till version {CURRENT_VERSION} utan att röra "
                    "någon händelse."
                )
            case State.BEHIND:
                return (
                    f"Lagret har schemaversion {self.version}, programmet kräver {CURRENT_VERSION}. "
                    "Kör 'lerum-flow db migrate'."
                )
            case State.AHEAD:
                return (
                    f"Lagret har schemaversion {self.version}, nyare än programmets {CURRENT_VERSION}. "
                    "Uppgradera lerum-flow innan lagret används."
                )
        return f"Lagret har den aktuella schemaversionen {self.version}."

    def as_json(self) -> dict[str, object]:
        return {
            "tillstand": str(self.state),
            "version": self.version,
            "programmets_version": CURRENT_VERSION,
            "tillampade": [
                {"version": a.number, "namn": a.name, "tillampad": a.applied_at} for a in self.applied
            ],
            "vantande": [{"version": m.number, "namn": m.name} for m in self.pending],
        }


def status(settings: Settings) -> SchemaStatus:
    if not settings.uses_postgres and not settings.sqlite_path("governance").exists():
        return SchemaStatus(State.EMPTY, 0, (), MIGRATIONS)
    with store_connection(settings) as connection:
        recorded = applied(connection, settings)
        has_events = table_exists(connection, settings, event_table(settings))
    if recorded is None:
        return SchemaStatus(State.EARLIER_PROGRAM if has_events else State.EMPTY, 0, (), MIGRATIONS)
    numbers = {a.number for a in recorded}
    version = max(numbers, default=0)
    pending = tuple(m for m in MIGRATIONS if m.number not in numbers)
    if version > CURRENT_VERSION:
        state = State.AHEAD
    elif pending:
        state = State.EMPTY if not recorded and not has_events else State.BEHIND
    else:
        state = State.CURRENT
    return SchemaStatus(state, version, tuple(recorded), pending)


def migrate(settings: Settings, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[Migration]:
    """Apply every migration the store has not had, in order, each recorded once done; the ones applied.

    Concurrent runs (workers started together on a fresh store) take turns: on
    PostgreSQL under an advisory lock for the store's schema, since replacing a
    function or a trigger at the same moment fails there; every step is also
    idempotent, and a version is recorded once.
    """
    writable = dataclasses.replace(settings, create_tables=True, read_only=False)
    with store_connection(writable) as connection:
        if writable.uses_postgres:
            # Held by this session until it ends: released however the migration ends.
            connection.execute("SELECT pg_advisory_lock(hashtext(current_schema() || '.lerum_schema'))")
        before = status(settings)
        if before.state is State.AHEAD:
            raise InvalidState(before.describe(), rule="schemaversion")
        create_version_table(connection)
        done = []
        for migration in before.pending:
            migration.apply(writable)
            record(connection, writable, migration.number, migration.name, now())
            done.append(migration)
    return done


def prepared(settings: Settings, *, migrate_empty: bool = True) -> Settings:
    """The settings a process opens the store with, given what it may do and where the store stands.

    - A process that may only read opens everything read-only and creates nothing.
    - A current store is opened without DDL: the migrations made every table.
    - An empty store is migrated first, explicitly (the embedded default of a
      first run, a fresh test database), unless `migrate_empty` is False.
    - A store made by an earlier program is opened as that program opened it
      (creating what is missing) until `db migrate` has been run on it.
    - A store behind or ahead of this program is refused: its schema is not
      the one this program was written for.
    """
    if settings.opens_read_only or not may_write(settings):
        return dataclasses.replace(settings, read_only=True, create_tables=False)
    found = status(settings)
    if found.state is State.EMPTY and migrate_empty:
        migrate(settings)
        return dataclasses.replace(settings, create_tables=False)
    if found.state in (State.BEHIND, State.AHEAD):
        raise InvalidState(found.describe(), rule="schemaversion")
    if found.state is State.CURRENT:
        return dataclasses.replace(settings, create_tables=False)
    return settings
