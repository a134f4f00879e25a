"""Where benchmarks keep their stores: SQLite files in a directory, and PostgreSQL databases of their own.

PostgreSQL databases are created per run (`lf_bench_<pid>_<n>`) on the given
server and dropped at the end, so benchmarks never touch anyone else's data
and hold only a few connections.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from lerum_flow.application import Governance
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell, default_styrmodell

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL_ENV = "LERUM_FLOW_BENCH_POSTGRES_URL"
# The library names the events table per backend: fixed on SQLite, after the application on PostgreSQL.
EVENTS_TABLE = "stored_events"
POSTGRES_EVENTS_TABLE = f"{Governance.name.lower()}_events"


def sqlite_settings(directory: Path) -> Settings:
    directory.mkdir(parents=True, exist_ok=True)
    return Settings(data_dir=directory, database_url=f"sqlite:///{directory / 'governance.db'}")


def open_governance(settings: Settings, styrmodell: Styrmodell | None = None, **env: str) -> Governance:
    """A Governance on `styrmodell` (Lerum's unless given) over the store; extra library settings in `env`."""
    return Governance(styrmodell or default_styrmodell(), env=settings.eventsourcing_env("governance") | env)


@dataclass
class PostgresServer:
    """A PostgreSQL server on which this run creates and drops its own databases."""

    admin_url: str
    created: list[str] = field(default_factory=list)

    def unavailable(self) -> str:
        """Why the server cannot be used ('' if it can)."""
        try:
            with psycopg.connect(self.admin_url, connect_timeout=3, autocommit=True):
                return ""
        except psycopg.Error as error:
            return f"ingen PostgreSQL på {self._where()}: {str(error).splitlines()[0][:120]}"

    def create(self) -> str:
        name = f"lf_bench_{os.getpid()}_{len(self.created) + 1}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.created.append(name)
        return self.url(name)

    def url(self, dbname: str) -> str:
        parts = conninfo_to_dict(self.admin_url) | {"dbname": dbname}
        host, port = parts.get("host", "127.0.0.1"), parts.get("port", 5432)
        user = parts.get("user", "postgres")
        password = f":{parts['password']}" if parts.get("password") else ""
        return f"postgresql://{user}{password}@{host}:{port}/{dbname}"

    def drop_all(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in reversed(self.created):
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        self.created.clear()

    def _where(self) -> str:
        parts = conninfo_to_dict(self.admin_url)
        return f"{parts.get('host', '?')}:{parts.get('port', 5432)}"


@contextmanager
def postgres_server(admin_url: str) -> Iterator[PostgresServer]:
    server = PostgresServer(admin_url)
    try:
        yield server
    finally:
        if server.created:
            server.drop_all()


def sqlite_path(settings: Settings) -> Path:
    return settings.sqlite_path("governance")


def copy_store(source: Settings, target: Settings, *, upto: int | None = None) -> int:
    """The source's events (its first `upto`) into an empty store, with their notification ids.

    Read benchmarks need the same log on several backends; how its rows were
    written does not change how they read, so they are copied, not generated again.
    """
    open_governance(target).close()  # the library creates its tables
    limit = upto if upto is not None else 2**62
    with closing(sqlite3.connect(sqlite_path(source))) as src:
        rows = src.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "  # noqa: S608 - fixed table name
            "WHERE rowid <= ? ORDER BY rowid",
            (limit,),
        )
        if target.uses_postgres:
            return _copy_to_postgres(rows, target.database_url)
        return _copy_to_sqlite(rows, sqlite_path(target))


def _copy_to_sqlite(rows: sqlite3.Cursor, path: Path) -> int:
    with closing(sqlite3.connect(path)) as dst, dst:
        dst.executemany(
            f"INSERT INTO {EVENTS_TABLE} (rowid, originator_id, originator_version, topic, state) "  # noqa: S608
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        return int(dst.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()[0])  # noqa: S608


# Continue the notification ids after the copied ones (the library's fixed table name).
RESTART_SEQUENCE = (
    f"SELECT setval(pg_get_serial_sequence('{POSTGRES_EVENTS_TABLE}', 'notification_id'), "  # noqa: S608
    f"(SELECT max(notification_id) FROM {POSTGRES_EVENTS_TABLE}))"
)


def _copy_to_postgres(rows: sqlite3.Cursor, url: str) -> int:
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            statement = (
                f"COPY {POSTGRES_EVENTS_TABLE} "
                "(notification_id, originator_id, originator_version, topic, state) FROM STDIN"
            )
            with cur.copy(statement) as copy:
                for notification_id, originator_id, version, topic, state in rows:
                    copy.write_row((notification_id, UUID(originator_id), version, topic, state))
            cur.execute(RESTART_SEQUENCE)
            cur.execute(f"SELECT count(*) FROM {POSTGRES_EVENTS_TABLE}")  # noqa: S608
            found = cur.fetchone()
        conn.execute(f"ANALYZE {POSTGRES_EVENTS_TABLE}")
    return int(found[0]) if found else 0
