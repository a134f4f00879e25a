"""The views of a store, rebuilt and checked against what the generator recorded."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing

import psycopg

from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings

# Rows each view table should hold: one per command of this kind that was recorded.
ROWS_PER_COMMAND: Mapping[str, str] = {
    "beslut_view": "take_beslut",
    "delegering_view": "grant_delegering",
    "uppdrag_view": "issue_uppdrag",
    "uppdrag_view_reports": "report_uppdrag",
    "avvikelse_view": "report_avvikelse",
}


def check(settings: Settings, recorded: Mapping[str, int], head: int) -> list[str]:
    """What differs between the views and the recorded commands ([] if nothing)."""
    problems: list[str] = []
    store = ViewStore.open(settings)
    try:
        for projection in store.projections:
            position = projection.view.position(store.log.name)
            if position != head:
                problems.append(f"{projection.name}: position {position}, loggens slut {head}")
            for row_type in projection.view.row_types:
                command = ROWS_PER_COMMAND.get(row_type.table)
                if command is None:
                    continue
                found = _count(settings, projection.name, row_type.table)
                if found != recorded.get(command, 0):
                    problems.append(
                        f"{row_type.table}: {found} rader, {recorded.get(command, 0)} registrerade"
                    )
    finally:
        store.close()
    return problems


def _count(settings: Settings, view: str, table: str) -> int:
    statement = f"SELECT count(*) FROM {table}"  # noqa: S608 - a table name of our own views
    if settings.uses_postgres:
        with psycopg.connect(settings.database_url) as conn:
            found = conn.execute(statement).fetchone()
            return int(found[0]) if found else 0
    with closing(sqlite3.connect(settings.sqlite_path(view))) as conn:
        return int(conn.execute(statement).fetchone()[0])
