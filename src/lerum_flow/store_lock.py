"""The store's write lock: held by a command from its first read of the record to its save.

Why: a command checks rules that span records (nothing new tied to a position
whose discontinuation is recorded; nothing left on a position being
discontinued; authority through a delegation chain) by reading the record, then
saves. The library's optimistic concurrency guards one aggregate, so two commands
on different aggregates, run at once by two processes (web, CLI, Temporal
activities), could both pass their checks and both be saved. Holding this lock
from the check to the save makes such commands take turns: the second reads what
the first saved.

One lock per store, across processes:
- PostgreSQL: a transaction-scoped advisory lock keyed on the store's schema, on
  a connection of the application's pool kept in its transaction until the
  command is done (a process that dies releases it with its connection);
- SQLite file: an exclusive `flock` on `<file>.lock` beside the database (the
  library writes through a pool of its own connections, so a transaction begun
  IMMEDIATE on one of them would block the save itself);
- a store in memory lives in one process: a lock of that process.

Only the first can be lost while its holder lives: the server ends the lock's session
(`pg_terminate_backend`, `idle_in_transaction_session_timeout`, a network cut) and the
lock is released with it, so another command may take its turn and pass its checks
while the first still means to save. A lock that can be lost is confirmed by each save
(`held` yields how); a command whose lock was lost is refused and records nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote, urlparse

from eventsourcing.persistence import ApplicationRecorder, InterfaceError, OperationalError
from eventsourcing.utils import retry

from lerum_flow.domain.errors import Conflict
from lerum_flow.store_error_signs import Sign, chain

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg import Connection

# The library's own wait for SQLite's lock when none is set (eventsourcing.sqlite, 9.5.6).
SQLITE_LOCK_TIMEOUT = 5
BUSY = "Lagret är upptaget av andra samtidiga ändringar; inget registrerades. Försök igen."
LOST = (
    "Förbindelsen som höll lagrets lås bröts innan ändringen sparades, så andra kan ha ändrat "
    "samtidigt; inget registrerades. Försök igen."
)

# Called just before each save in a turn: raises Conflict (LOST) if the lock is known lost, and
# returns what the save must carry (keyword arguments of the recorder's insert_events) for the
# recorder to confirm the lock in the save's own transaction.
Confirm = Callable[[], Mapping[str, Any]]
# The keyword argument of the save (to `OneRoundTripRecorder`): a statement that, run in the save's
# transaction once the events table is locked, fails with LOST_SQLSTATE unless the lock is held.
LOCK_CHECK = "store_lock_check"
LOST_SQLSTATE = "LF001"  # a code of our own: no error of the server's has it


# A lock another process held past the wait: PostgreSQL's lock_timeout (lock_not_available); SQLite's
# busy timeout, which has no SQLSTATE, by its words (and the server's English, for an error without one).
BUSY_SIGN = Sign(codes=("55P03",), words=("database is locked", "lock timeout"))


def is_busy(error: BaseException) -> bool:
    """Whether an error is a lock held by another process past the store's wait: the store at work,
    worth waiting for or trying again, not a setting to correct."""
    return BUSY_SIGN.seen_in(chain(error))


class StoreLock(Protocol):
    """A lock on the whole store, held by at most one command at a time in any process."""

    def held(self) -> AbstractContextManager[Confirm | None]:
        """Hold the lock for the block; yield how to confirm it is still held, or None for a lock
        that cannot be lost while this process lives (nothing to pay for before a save)."""
        ...


class ProcessLock:
    """A store only this process can reach (in memory)."""

    def __init__(self, lock: threading.Lock | None = None) -> None:
        self._lock = lock or threading.Lock()

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            yield None


class FileLock:
    """An SQLite file: an exclusive flock on a file beside it (each holder opens it anew, so two
    applications in one process exclude each other as two processes do). Waited for as long as
    SQLite waits for its own lock (`timeout` seconds), asking again every few milliseconds as
    SQLite's busy handler does: a blocking flock could not be given up."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout

    @contextmanager
    def held(self) -> Iterator[None]:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            # Where this process may not create the lock file it may not write the store either
            # (an auditor's read-only copy): its commands are refused before any save.
            yield None
            return
        try:
            self._take(fd)
            # The flock lives as long as the descriptor, that is as long as this process.
            yield None
        finally:
            os.close(fd)  # closing releases the lock

    def _take(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Conflict(BUSY, field="id", rule="konflikt") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.01)


class AdvisoryLock:
    """A PostgreSQL store: `pg_advisory_xact_lock` on a key of its schema, taken in a
    transaction of its own connection and released when that transaction ends, after the save."""

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        from psycopg import sql

        datastore = recorder.datastore
        self.datastore = datastore
        key = advisory_key(datastore.schema, "commands")
        seconds = int(datastore.lock_timeout)
        timeout = f"SET LOCAL lock_timeout = '{seconds}s'; " if seconds else ""
        events = sql.SQL("{}.{}").format(
            sql.Identifier(datastore.schema), sql.Identifier(recorder.events_table_name)
        )
        # One round trip: no parameters (and never prepared), so psycopg sends the statements as one
        # simple query. Once the lock is ours, a save still in flight (its events table locked) is
        # waited for, in a savepoint given up at once: see `_confirm_in_save`.
        self._take = (
            f"BEGIN; {timeout}SELECT pg_advisory_xact_lock({key}); SAVEPOINT saves_in_flight; "
            f"LOCK TABLE {events.as_string(None)} IN ROW SHARE MODE; ROLLBACK TO SAVEPOINT saves_in_flight"
        ).encode()
        # Is the lock granted to the session `{pid}`? A session the server has ended holds nothing.
        classid, objid = as_in_pg_locks(key)
        self._held_by = (
            "SELECT FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = {pid} "
            f"AND classid = {classid} AND objid = {objid} AND objsubid = 1"
        )
        # The library's own recorder, or ours saving through database functions, runs no statement
        # of ours in its transaction: the lock is then confirmed on its own connection first.
        self._in_save = getattr(recorder, "checks_in_save", False)

    @contextmanager
    def held(self) -> Iterator[Confirm]:
        import psycopg

        connection, conn = self._taken()
        with connection:
            try:
                yield self._confirm_in_save(conn.info.backend_pid) if self._in_save else self._confirm(conn)
            finally:
                # Ends the transaction either way: nothing was written in it, only the lock held. A
                # connection lost by now has released the lock with it (the pool drops it).
                with suppress(psycopg.Error):
                    conn.rollback()

    def _confirm_in_save(self, pid: int) -> Confirm:
        """The save itself confirms the lock, in its transaction, after it has locked the events
        table and before its INSERT: no round trip of its own, and no window left open.

        Were the lock's session lost after that check, the command taking the lock next would
        wait, before reading anything, for this save to end (`_take`'s LOCK TABLE ... IN ROW SHARE
        MODE waits for the save's EXCLUSIVE lock, and otherwise only for DDL's), and read what it
        committed. Were it lost before, the check fails and the save is rolled back: the lock has
        left `pg_locks` by the time any other session is granted it. The session is known by its
        process id, which Linux hands out again only after going round all the others."""
        check = {
            LOCK_CHECK: (
                f"DO $$ BEGIN IF NOT EXISTS ({self._held_by.format(pid=pid)}) THEN "
                f"RAISE EXCEPTION 'store lock lost' USING ERRCODE = '{LOST_SQLSTATE}'; END IF; END $$"
            ).encode()
        }
        return lambda: check

    def _confirm(self, conn: Connection[Any]) -> Confirm:
        """Before the save, ask the lock's session whether it still holds the lock: one round trip.

        The window left, from this answer to the save's locking the events table, is not closed:
        were the session lost in it, the command taking the lock next could read the record before
        this save is committed. Only a recorder that runs the check inside its save closes it
        (`_confirm_in_save`); this one is for recorders that cannot."""
        still_held = f"SELECT EXISTS ({self._held_by.format(pid='pg_backend_pid()')}) AS held".encode()

        def confirm() -> Mapping[str, Any]:
            import psycopg

            try:
                row = conn.execute(still_held, prepare=False).fetchone()
            except psycopg.Error:
                row = None  # a session the server has ended cannot answer
            if not (row and row["held"]):  # the pool's rows are dicts
                raise lost()
            return {}

        return confirm

    # A connection found lost before the lock is taken (after the server restarted, the pool's
    # connections are stale) is given up and another one asked for, as the library does for its own
    # statements (`eventsourcing.postgres`): nothing has been done yet, so trying again is safe.
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _taken(self) -> tuple[ExitStack, Connection[Any]]:
        """A connection of the pool in a transaction holding the lock, and what gives it back."""
        import psycopg

        with ExitStack() as connection:
            conn = connection.enter_context(self.datastore.get_connection())
            try:
                conn.execute(self._take, prepare=False)
            except psycopg.errors.LockNotAvailable:
                conn.rollback()
                raise Conflict(BUSY, field="id", rule="konflikt") from None
            return connection.pop_all(), conn


def lost() -> Conflict:
    """The refusal of a command whose lock was lost before its save."""
    return Conflict(LOST, field="id", rule="konflikt")


def advisory_key(schema: str, role: str) -> int:
    """A PostgreSQL advisory lock's key (signed 64 bits) of one role in one store: its schema, its
    role (the commands' turns here; a leader's in `leadership`). Advisory locks are per database,
    so the schema (and the role) is enough to tell two municipalities in one database apart."""
    digest = hashlib.blake2b(f"lerum_flow:{schema}:{role}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def as_in_pg_locks(key: int) -> tuple[int, int]:
    """An advisory lock's bigint key as `pg_locks` shows it: its high and low 32 bits (`classid`,
    `objid`; `objsubid` is 1)."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    return unsigned >> 32, unsigned & 0xFFFF_FFFF


def store_lock(recorder: ApplicationRecorder) -> StoreLock:
    """The lock of the store `recorder` writes to."""
    datastore = getattr(recorder, "datastore", None)
    pool = getattr(datastore, "pool", None)
    # A PostgreSQL recorder exists only once its module is imported (a SQLite store never imports it).
    postgres = sys.modules.get("eventsourcing.postgres")
    if postgres is not None and isinstance(recorder, postgres.PostgresApplicationRecorder):
        return AdvisoryLock(recorder)
    db_name = getattr(pool, "db_name", None)
    if not isinstance(db_name, str) or not db_name:
        return ProcessLock()  # the library's store in Python objects: this application's own
    if getattr(pool, "is_sqlite_memory_mode", False):
        # A shared in-memory database is reached by its name from every application of the process.
        with _MEMORY_LOCKS_GUARD:
            return ProcessLock(_MEMORY_LOCKS.setdefault(db_name, threading.Lock()))
    return FileLock(_lock_path(db_name), getattr(pool, "lock_timeout", None) or SQLITE_LOCK_TIMEOUT)


_MEMORY_LOCKS: dict[str, threading.Lock] = {}
_MEMORY_LOCKS_GUARD = threading.Lock()


def _lock_path(db_name: str) -> Path:
    """`<database file>.lock`, for a path or a `file:` URI (its query, e.g. `mode=ro`, dropped)."""
    path = unquote(urlparse(db_name).path) if db_name.startswith("file:") else db_name
    return Path(f"{path}.lock")
