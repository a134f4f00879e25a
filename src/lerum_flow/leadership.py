"""Leader election: the relay and the projector act once per municipality, however many replicas run.

Every worker replica (and every projector replica) asks `lead()` before each
round of work; exactly one of them is told yes. On PostgreSQL the leader
holds a session-level advisory lock on a connection of its own, so the lock
lives exactly as long as that session: a leader killed outright (SIGKILL, a
lost node) loses its socket, the server ends the session and frees the lock,
and the next replica to ask (each asks every round, half a second apart)
takes over. The key is derived from the store's schema and the role, so
every municipality's store (a schema, or a database of its own) has its own
leader. On SQLite, the embedded single machine, a `flock` on a file beside
the store does the same between the processes of that machine, and the
kernel frees it when its holder dies.

A leader cut off from the database learns it on its next `lead()` (its check
fails) and stops; for the moment between, two may act, which the relay's
receivers and the views' tracking make harmless (an event handed on twice
is recognised by its id; a view's position moves only forward).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

from lerum_flow.logs import get_logger
from lerum_flow.settings import Settings
from lerum_flow.store_lock import advisory_key, as_in_pg_locks

# How often a replica that does not lead asks again: the longest a dead leader's work waits.
ASK_SECONDS = 0.5

ROLES = ("relay", "projektor")


class Leadership(Protocol):
    role: str

    @property
    def leading(self) -> bool: ...

    def lead(self) -> bool:
        """Whether this process leads now: takes the lead if it is free, checks it still holds it."""
        ...

    def close(self) -> None:
        """Give the lead up (another replica takes it at its next ask)."""
        ...


def lock_key(settings: Settings, role: str) -> int:
    """The advisory lock's key of one role in one store (`store_lock.advisory_key`)."""
    schema = settings.eventsourcing_env("governance").get("POSTGRES_SCHEMA") or "public"
    return advisory_key(schema, role)


class PostgresLeadership:
    """A session-level `pg_try_advisory_lock` on a dedicated, autocommitting connection."""

    def __init__(self, settings: Settings, role: str) -> None:
        self.settings = settings
        self.role = role
        self.key = lock_key(settings, role)
        self._connection: Any = None
        self._leading = False

    @property
    def leading(self) -> bool:
        return self._leading

    def lead(self) -> bool:
        import psycopg  # only for a PostgreSQL store

        from lerum_flow.schema.connection import postgres_connection

        try:
            if self._connection is None:
                self._connection = postgres_connection(self.settings)
            if self._leading:
                # The lock is the session's: while the session answers, the lock is still ours.
                self._connection.execute("SELECT 1").fetchone()
            else:
                row = self._connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
                self._leading = bool(row and row[0])
        except psycopg.Error as error:
            if self._leading:
                log = get_logger("lerum_flow.leadership")
                log.warning("ledare_tappad", roll=self.role, error=repr(error))
            self._drop()
        return self._leading

    def _drop(self) -> None:
        self._leading = False
        if self._connection is not None:
            # A broken connection may fail to close; it is gone either way.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    def close(self) -> None:
        # Unlocked first: the session's end frees the lock too, but only once the server has
        # noticed, after close() has returned; an explicit unlock frees it before the next asks.
        if self._leading and self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        self._drop()


class FileLeadership:
    """An exclusive `flock` on a file beside the SQLite store, held while this object is open."""

    def __init__(self, path: Path, role: str) -> None:
        self.path = path
        self.role = role
        self._file: IO[bytes] | None = None

    @property
    def leading(self) -> bool:
        return self._file is not None

    def lead(self) -> bool:
        import fcntl  # POSIX; the embedded store runs on Linux and macOS

        if self._file is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("ab")
        except OSError as error:
            # A directory this process may not write: it cannot lead, and says why; the worker goes on.
            log = get_logger("lerum_flow.leadership")
            log.warning("ledarlas_oatkomligt", roll=self.role, error=repr(error))
            return False
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # frees the flock
            self._file = None


def open_leadership(settings: Settings, role: str) -> Leadership:
    """The leader election of one role ("relay", "projektor") on the store the settings name."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {ROLES}")
    if settings.uses_postgres:
        return PostgresLeadership(settings, role)
    governance = settings.sqlite_path("governance")
    return FileLeadership(governance.with_name(f"{governance.stem}-{role}.leader"), role)


def follow_while_leading(
    leadership: Leadership,
    follow: Callable[[threading.Event], None],
    stop: threading.Event,
    *,
    ask_seconds: float = ASK_SECONDS,
    on_change: Callable[[bool], None] | None = None,
) -> None:
    """Run `follow(until)` while this process leads, until `stop`: for a blocking follower (the projector).

    A thread asks `lead()` every `ask_seconds`; when the lead is lost it sets
    `until`, `follow` returns, and this waits to lead again.
    """
    log = get_logger("lerum_flow.leadership")
    while not stop.is_set():
        if not leadership.lead():
            stop.wait(ask_seconds)
            continue
        log.info("leder", roll=leadership.role)
        if on_change is not None:
            on_change(True)
        until = threading.Event()

        def watch(until: threading.Event = until) -> None:
            while not until.wait(ask_seconds):
                if stop.is_set() or not leadership.lead():
                    until.set()

        watcher = threading.Thread(target=watch, name=f"leader-{leadership.role}", daemon=True)
        watcher.start()
        try:
            follow(until)
        finally:
            until.set()
            watcher.join()
        if on_change is not None:
            on_change(False)
        if not stop.is_set():
            log.warning("leder_inte_langre", roll=leadership.role)


def leader_present(settings: Settings, role: str) -> bool | None:
    """Whether some process leads `role` on this store now, asked without taking the lead.

    PostgreSQL shows every session's advisory locks in `pg_locks` (to any
    role). On SQLite the
    only way to ask is to try the lock and let go at once, which a store
    opened read-only cannot: None.
    """
    if settings.uses_postgres:
        from lerum_flow.schema.connection import store_connection

        with store_connection(settings) as connection:
            row = connection.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1)",
                as_in_pg_locks(lock_key(settings, role)),
            ).fetchone()
        return bool(row and row[0])
    if settings.opens_read_only:
        return None
    probe = open_leadership(settings, role)
    try:
        return not probe.lead()
    finally:
        probe.close()
