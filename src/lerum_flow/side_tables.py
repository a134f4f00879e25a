"""Ordinary tables beside the event store (names, sent notices): a cursor on the store's database.

They are not events: rows may be changed or removed (a person's name, a
mailbox's record). On PostgreSQL they live in the store's database; on SQLite
in a file of their own next to the store's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lerum_flow.settings import Settings


@contextmanager
def side_table_cursor(settings: Settings, store: str) -> Iterator[Any]:
    """A cursor in one transaction, committed when the block ends without an error."""
    if settings.uses_postgres:
        import psycopg  # only for a PostgreSQL store: SQLite start-up never loads it

        env = settings.eventsourcing_env(store)
        with (
            psycopg.connect(
                dbname=env["POSTGRES_DBNAME"],
                host=env["POSTGRES_HOST"],
                port=env.get("POSTGRES_PORT", "5432"),
                user=env["POSTGRES_USER"],
                password=env.get("POSTGRES_PASSWORD", ""),
                connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")),
            ) as connection,
            connection.cursor() as cursor,
        ):
            yield cursor
        return
    path = settings.sqlite_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    lite = sqlite3.connect(path, timeout=settings.lock_timeout_seconds)
    try:
        with lite:
            yield lite.cursor()
    finally:
        lite.close()
