"""The table of the web door's idempotency keys: which key a person sent with which command.

It lives beside the events, in the store's own database (the events' SQLite
file, or the store's PostgreSQL schema), and is created by a schema migration,
never by the web application as it starts.
"""

from __future__ import annotations

TABLE = "web_idempotency_keys"


def create_statement(table: str = TABLE) -> str:
    """The table's DDL (what migration 5 creates)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {table} "
        "(person TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (person, key))"
    )
