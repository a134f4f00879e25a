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
        from lerum_flow.schema.connection import store_connection

        # In the store's schema, as every table of the store.
        with (
            store_connection(settings) as connection,
            connection.transaction(),
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
