"""A plain DB-API connection to the store's own database (SQLite file or PostgreSQL schema),
for what is not the library's: the version table, and asking what this role may do."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any

from lerum_flow.settings import Settings


@contextmanager
def store_connection(settings: Settings) -> Iterator[Any]:
    """An autocommitting connection to the store, read-only when the settings say so.

    On PostgreSQL its search_path is the store's schema, so unqualified names
    are the store's tables.
    """
    if settings.uses_postgres:
        with postgres_connection(settings) as connection:
            yield connection
        return
    path = settings.sqlite_path("governance")
    if settings.opens_read_only:
        target, uri = f"{path.resolve().as_uri()}?mode=ro", True
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        target, uri = str(path), False
    with closing(sqlite3.connect(target, uri=uri, isolation_level=None, timeout=30)) as connection:
        yield connection


def postgres_connection(settings: Settings) -> Any:
    """A new autocommitting psycopg connection to the store's database, its search_path the store's schema.

    TCP keepalives make a connection whose server went away fail within
    seconds instead of hanging (a leader must learn it has lost its lock).
    """
    import psycopg  # only for a PostgreSQL store

    env = settings.eventsourcing_env("governance")
    schema = env.get("POSTGRES_SCHEMA") or "public"
    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env.get("POSTGRES_PORT", "5432"),
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD", ""),
        connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")),
        options=f"-c search_path={schema}",
        autocommit=True,
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
    )


def placeholder(settings: Settings) -> str:
    return "%s" if settings.uses_postgres else "?"


def table_exists(connection: Any, settings: Settings, name: str) -> bool:
    if settings.uses_postgres:
        row = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
        return bool(row and row[0])
    row = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None


def event_table(settings: Settings) -> str:
    """The library's event table of the governance store (its name follows the application's)."""
    return "governance_events" if settings.uses_postgres else "stored_events"
