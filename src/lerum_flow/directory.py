"""The person directory: names for the pseudonymous ids that events carry.

Events are public records kept for decades and never edited, so they hold only
pseudonymous person ids. Names live here, in an ordinary table that can be
changed or erased (a person leaves, a name changes) without touching history.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lerum_flow.settings import Settings
from lerum_flow.side_tables import side_table_cursor

if TYPE_CHECKING:
    # Only named: reading names (a read command) does not import the commands.
    from lerum_flow.commands import DirectoryEntry

_CREATE = (
    "CREATE TABLE IF NOT EXISTS person_directory ("
    " person_id TEXT PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT NOT NULL)"
)


class PersonDirectory:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _cursor(self) -> AbstractContextManager[Any]:
        return side_table_cursor(self._settings, "directory")

    def create_table(self) -> None:
        """The directory's table, as a migration makes it (`lerum-flow db migrate`)."""
        with self._cursor() as cursor:
            cursor.execute(_CREATE)

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self._settings.uses_postgres else statement

    def set_name(self, entry: DirectoryEntry, now: datetime) -> None:
        """Store the name; a DirectoryEntry has passed the same checks as every other text."""
        with self._cursor() as cursor:
            # Created on first write only: readers (a revisor's read-only role) never run DDL.
            cursor.execute(_CREATE)
            cursor.execute(
                self._sql(
                    "INSERT INTO person_directory (person_id, name, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (person_id) DO UPDATE "
                    "SET name = excluded.name, updated_at = excluded.updated_at"
                ),
                (entry.person, entry.name, now.isoformat()),
            )

    def remove(self, person_id: str) -> bool:
        if not self._exists():
            return False
        with self._cursor() as cursor:
            cursor.execute(self._sql("DELETE FROM person_directory WHERE person_id = ?"), (person_id,))
            return bool(cursor.rowcount)

    def names(self) -> dict[str, str]:
        if not self._exists():
            return {}
        with self._cursor() as cursor:
            cursor.execute("SELECT person_id, name FROM person_directory")
            return {row[0]: row[1] for row in cursor.fetchall()}

    def _exists(self) -> bool:
        if not self._settings.uses_postgres:
            if not self._settings.sqlite_path("directory").exists():
                return False
            with self._cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE name = 'person_directory'")
                return cursor.fetchone() is not None
        with self._cursor() as cursor:
            cursor.execute("SELECT to_regclass('person_directory')")
            row = cursor.fetchone()
            return row is not None and row[0] is not None
