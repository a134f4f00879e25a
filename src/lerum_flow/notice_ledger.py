"""Which notices have gone out, kept durably by key, so a retried activity does not send one twice.

A small table beside the event store (SQLite file `notices`, or the store's
PostgreSQL database and schema). Notices are not governance facts, so this is
an ordinary table, not events: a row can be removed when a mailbox asks.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from lerum_flow.settings import Settings
from lerum_flow.side_tables import side_table_cursor

TABLE = "notice_deliveries"
SENDING = "skickas"
SENT = "skickad"


def create_statement(table: str = TABLE) -> str:
    """The table's DDL (also what a migration creates)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} ("
        " notice_key TEXT PRIMARY KEY, recipient TEXT NOT NULL, state TEXT NOT NULL,"
        " attempts INTEGER NOT NULL, claimed_at TEXT NOT NULL, sent_at TEXT)"
    )


class NoticeLedger:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        schema = settings.store_schema if settings.uses_postgres else ""
        self._table = f'"{schema}".{TABLE}' if schema else TABLE
        self._created = False

    def _cursor(self) -> AbstractContextManager[Any]:
        return side_table_cursor(self._settings, "notices")

    def _sql(self, statement: str) -> str:
        statement = statement.replace("{table}", self._table)
        return statement.replace("?", "%s") if self._settings.uses_postgres else statement

    def claim(self, key: str, recipient: str) -> bool:
        """True if the notice of `key` is to be sent now: never claimed, or claimed by an attempt that
        did not get to record it as sent. False once it is recorded as sent."""
        now = datetime.now(UTC).isoformat()
        with self._cursor() as cursor:
            if not self._created:
                cursor.execute(create_statement(self._table))
                self._created = True
            cursor.execute(
                self._sql(
                    "INSERT INTO {table} AS d (notice_key, recipient, state, attempts, claimed_at) "
                    "VALUES (?, ?, ?, 1, ?) ON CONFLICT (notice_key) DO UPDATE "
                    "SET attempts = d.attempts + 1, claimed_at = excluded.claimed_at "
                    "WHERE d.state <> ? RETURNING state"
                ),
                (key, recipient, SENDING, now, SENT),
            )
            # No row back: the conflict's WHERE held it, the notice is sent.
            return cursor.fetchone() is not None

    def mark_sent(self, key: str) -> None:
        with self._cursor() as cursor:
            cursor.execute(
                self._sql("UPDATE {table} SET state = ?, sent_at = ? WHERE notice_key = ?"),
                (SENT, datetime.now(UTC).isoformat(), key),
            )

    def state(self, key: str) -> tuple[str, int] | None:
        """The notice's state and how many attempts claimed it, or None if none did."""
        with self._cursor() as cursor:
            if not self._created:
                cursor.execute(create_statement(self._table))
                self._created = True
            cursor.execute(self._sql("SELECT state, attempts FROM {table} WHERE notice_key = ?"), (key,))
            row = cursor.fetchone()
            return (str(row[0]), int(row[1])) if row else None
