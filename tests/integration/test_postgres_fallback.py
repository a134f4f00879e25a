"""The PostgreSQL the tests use: a local server, else an embedded one. Never a skip."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlparse

import psycopg
import pytest
from postgres_server import (
    FORCE_EMBEDDED_ENV,
    PORT_ENV,
    PgServer,
    find_or_start,
    probe,
)

pytestmark = pytest.mark.postgres

DATABASE_NAME = re.compile(r"^lf_test_\d+_[0-9a-f]{8}$")


def _unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


def _user_tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return [row[0] for row in rows]


def _round_trip(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE beslut (id int PRIMARY KEY, rubrik text NOT NULL)")
        conn.execute("INSERT INTO beslut VALUES (1, 'Budget 2027'), (2, 'Skolplan')")
        conn.commit()
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, rubrik FROM beslut ORDER BY id").fetchall()
    assert rows == [(1, "Budget 2027"), (2, "Skolplan")]


def _assert_embedded_lifecycle(server: PgServer) -> None:
    try:
        assert server.kind == "embedded"
        url = server.create_database()
        parsed = urlparse(url)
        # A TCP address, not a Unix socket: Settings (urlparse) must see the host.
        assert (parsed.hostname, parsed.port) == ("127.0.0.1", server.port)
        assert DATABASE_NAME.match(parsed.path.lstrip("/"))
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()
        assert version is not None
        assert int(version[0]) >= 130000  # DROP DATABASE ... WITH (FORCE)
        _round_trip(url)
    finally:
        server.stop()
    assert server.base_dir is not None
    assert not server.base_dir.exists()
    assert probe(server.host, server.port) is not None  # nothing answers any more
    server.stop()  # idempotent


def test_forced_embedded_server_starts_serves_and_stops() -> None:
    server = find_or_start({FORCE_EMBEDDED_ENV: "1"})
    _assert_embedded_lifecycle(server)


def test_unreachable_server_falls_back_to_embedded() -> None:
    port = _unused_port()
    server = find_or_start({PORT_ENV: str(port)})
    assert server.port != port
    assert f"127.0.0.1:{port}" in server.note
    _assert_embedded_lifecycle(server)


def test_session_database_is_fresh_and_empty(postgres_url: str, postgres_server: PgServer) -> None:
    parsed = urlparse(postgres_url)
    name = parsed.path.lstrip("/")
    assert parsed.scheme == "postgresql"
    assert (parsed.hostname, parsed.port) == (postgres_server.host, postgres_server.port)
    assert DATABASE_NAME.match(name)
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT current_database()").fetchone()
    assert row == (name,)
    assert _user_tables(postgres_url) == []


def test_per_test_databases_are_distinct_and_dropped(postgres_server: PgServer) -> None:
    first = postgres_server.create_database()
    second = postgres_server.create_database()
    assert first != second
    _round_trip(first)
    assert _user_tables(second) == []
    # Dropping works while someone is still connected (WITH (FORCE)).
    with psycopg.connect(first) as lingering:
        postgres_server.drop_database(first)
        with pytest.raises(psycopg.OperationalError):
            lingering.execute("SELECT 1")
    postgres_server.drop_database(second)
    for url in (first, second):
        assert not postgres_server.database_exists(url.rsplit("/", 1)[-1])


def test_postgres_database_url_is_empty(postgres_database_url: str) -> None:
    assert _user_tables(postgres_database_url) == []
    _round_trip(postgres_database_url)


def test_database_url_gives_each_backend(database_url: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["database_url"]
    if backend == "sqlite":
        assert database_url.startswith("sqlite:///")
        assert database_url.endswith("/governance.db")
    else:
        assert database_url.startswith("postgresql://")
        assert _user_tables(database_url) == []
