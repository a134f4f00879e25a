"""The version table: which numbered migrations a store has had, and when.

One row per migration applied, in the store's own database (the SQLite
event file, or the store's PostgreSQL schema), so a backup of the store
carries its schema version with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lerum_flow.schema.connection import placeholder, table_exists
from lerum_flow.settings import Settings

VERSION_TABLE = "lerum_schema_versions"


@dataclass(frozen=True)
class Applied:
    number: int
    name: str
    applied_at: str


def create_version_table(connection: Any) -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} ("
        "number integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
    )


def applied(connection: Any, settings: Settings) -> list[Applied] | None:
    """The migrations recorded, in order; None when the store has no version table."""
    if not table_exists(connection, settings, VERSION_TABLE):
        return None
    rows = connection.execute(
        f"SELECT number, name, applied_at FROM {VERSION_TABLE} ORDER BY number"  # noqa: S608
    ).fetchall()
    return [Applied(int(number), str(name), str(at)) for number, name, at in rows]


def record(connection: Any, settings: Settings, number: int, name: str, now: datetime) -> None:
    p = placeholder(settings)
    connection.execute(
        f"INSERT INTO {VERSION_TABLE} (number, name, applied_at) VALUES ({p}, {p}, {p}) "  # noqa: S608
        "ON CONFLICT (number) DO NOTHING",
        (number, name, now.isoformat()),
    )
