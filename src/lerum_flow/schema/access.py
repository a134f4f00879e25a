"""Whether this process may write to the store, asked of the store itself rather than assumed.

An auditor's login role holds SELECT only (deploy/postgres/roles.sql); an
auditor on SQLite opens the file with `?mode=ro` or has no write permission on
it. Such a process opens everything read-only: it creates nothing and moves
no view's position.
"""

from __future__ import annotations

import os

from lerum_flow.schema.connection import event_table, store_connection
from lerum_flow.settings import Settings


def may_write(settings: Settings) -> bool:
    if settings.opens_read_only:
        return False
    if not settings.uses_postgres:
        path = settings.sqlite_path("governance")
        if path.exists():
            return os.access(path, os.W_OK)
        return os.access(_existing_parent(path), os.W_OK)
    with store_connection(settings) as connection:
        row = connection.execute(
            "SELECT current_setting('transaction_read_only') = 'off' AND ("
            " CASE WHEN to_regclass(%s) IS NULL"
            "  THEN has_schema_privilege(current_schema(), 'CREATE')"
            "  ELSE has_table_privilege(to_regclass(%s), 'INSERT') END)",
            (event_table(settings), event_table(settings)),
        ).fetchone()
    return bool(row and row[0])


def _existing_parent(path: os.PathLike[str]) -> str:
    current = os.path.abspath(path)
    while not os.path.exists(current):
        current = os.path.dirname(current)
    return current
