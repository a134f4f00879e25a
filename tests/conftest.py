"""Shared fixtures: databases for tests, a clean environment, and a hard exit.

Database fixtures return values (URLs); none of them sets environment
variables. Pass the URL on explicitly, e.g.
``Settings(database_url=database_url, ...)`` or
``env={"LERUM_FLOW_DATABASE_URL": database_url}`` for a subprocess.

- ``postgres_server`` (session): a :class:`postgres_server.PgServer`, the local
  server if one answers, else an embedded one (see ``tests/postgres_server.py``).
- ``postgres_url`` (session): one fresh, empty database for the whole session.
- ``postgres_database_url`` (function): a fresh, empty database per test.
- ``sqlite_database_url`` (function): ``sqlite:///<tmp_path>/governance.db``.
- ``database_url`` (function, parametrized ``sqlite`` / ``postgres``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/ is on sys.path through `pythonpath` in [tool.pytest.ini_options].
from postgres_server import FORCE_EMBEDDED_ENV, HOST_ENV, PORT_ENV, PgServer, find_or_start

# Read before any test runs: the autouse fixture below strips LERUM_FLOW_* per test.
_ENVIRON_AT_START: dict[str, str] = dict(os.environ)

# Variables that configure the application or the eventsourcing library. CI sets
# some of them; a unit test must not silently run against CI's database.
_STRIPPED_PREFIXES = ("POSTGRES_", "SQLITE_", "GOVERNANCE_", "LERUM_FLOW_")
# COLUMNS too: the command line's output to a pipe is as wide as the tests read it unless COLUMNS
# says otherwise, and a developer's shell or pytest-xdist's workers (which run with COLUMNS=80) would
# wrap the lines the tests look for. A test that wants a width gives it to the command it runs.
_STRIPPED_NAMES = ("PERSISTENCE_MODULE", "COLUMNS")

# Opt-out of the os._exit() at the end (e.g. when calling pytest.main() in-process).
NO_HARD_EXIT_ENV = "LERUM_FLOW_TEST_NO_HARD_EXIT"

_server_key = pytest.StashKey[PgServer]()
_session_key = pytest.StashKey[pytest.Session]()


# --------------------------------------------------------------------------- #
# Environment isolation
# --------------------------------------------------------------------------- #


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove CI/application configuration from os.environ for every test."""
    for name in list(os.environ):
        if name in _STRIPPED_NAMES or name.startswith(_STRIPPED_PREFIXES):
            monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- #
# Databases
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PgServer]:
    """A PostgreSQL server: the running one, or a throwaway embedded one. Never skips."""
    server = find_or_start(
        {k: v for k, v in _ENVIRON_AT_START.items() if k in (HOST_ENV, PORT_ENV, FORCE_EMBEDDED_ENV)}
    )
    request.config.stash[_server_key] = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PgServer) -> Iterator[str]:
    """``postgresql://postgres@host:port/lf_test_<pid>_<random>``: empty, for the session."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture
def postgres_database_url(postgres_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    """``sqlite:///<tmp_path>/governance.db`` (the file does not exist yet)."""
    return f"sqlite:///{tmp_path / 'governance.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> str:
    """The test runs twice: on SQLite and on PostgreSQL (server started only if needed)."""
    fixture_name = "sqlite_database_url" if request.param == "sqlite" else "postgres_database_url"
    url: str = request.getfixturevalue(fixture_name)
    return url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    server = terminalreporter.config.stash.get(_server_key, None)
    if server is not None:
        terminalreporter.write_line(f"PostgreSQL used by the tests: {server.describe()}")


# --------------------------------------------------------------------------- #
# Tiers: markers by what a test costs, so the fast tier is one -m away
# --------------------------------------------------------------------------- #

_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Temporal test `temporal` (by folder), every hypothesis test `property`,
    and every browser test `slow` too (starting chromium alone costs seconds).

    Marked here, in one place, so no test can forget its tier. `postgres`,
    `browser` and `slow` are otherwise set by the tests themselves (a parameter,
    a measured cost).
    """
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)
        if _TESTS / "temporal" in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.temporal)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


# --------------------------------------------------------------------------- #
# Hard exit
# --------------------------------------------------------------------------- #


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Keep the session, not the status passed here: a later sessionfinish hook
    # (or pytest.exit() inside one) can still change session.exitstatus.
    session.config.stash[_session_key] = session


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with the session's exit status, skipping interpreter shutdown.

    Why: the temporalio SDK can crash at interpreter exit after all output is
    correct ("Fatal Python error: PyGILState_Release", exit code 134;
    temporalio/sdk-python issue 300, measured ~0.7% of exits of a process that
    used a Temporal client or worker). Skipping interpreter finalisation with
    os._exit() avoids it. This runs last, after the terminal summary and the
    junit xml (both written in pytest_sessionfinish). Every exit status is
    passed through unchanged, including 5 (no tests collected).

    Consequence: atexit handlers do not run, so fixtures must clean up in their
    own teardown (the PostgreSQL fixtures do). Set LERUM_FLOW_TEST_NO_HARD_EXIT=1
    when running pytest in-process (pytest.main()) to keep the caller alive.
    """
    session = config.stash.get(_session_key, None)
    if session is None:  # --help, --version, usage errors: no session ran
        return
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: let xdist finish it
        return
    if _ENVIRON_AT_START.get(NO_HARD_EXIT_ENV, "") not in ("", "0"):
        return
    status = int(session.exitstatus)
    # pytest restores stdout/stderr (and writes out anything still captured)
    # in a cleanup that runs after this hook: do it now.
    capman = config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        capman.stop_global_capturing()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(status)
