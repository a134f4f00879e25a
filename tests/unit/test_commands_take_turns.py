"""Every command takes its turn at the store's write lock from its first read to its save
(`recording.serialised`), and the lock chosen fits the store (`store_lock.store_lock`)."""

from __future__ import annotations

import inspect
from pathlib import Path

from unit.governance_world import governance

from lerum_flow.application import Governance
from lerum_flow.settings import Settings
from lerum_flow.store_lock import FileLock, ProcessLock, store_lock


def test_every_command_of_governance_holds_the_store_lock_while_it_checks_and_saves() -> None:
    """A public method taking a command (`cmd`) is serialised: one left out could check a record
    that another writer changes before it saves."""
    commands = [
        name
        for name, method in inspect.getmembers(Governance, inspect.isfunction)
        if not name.startswith("_") and "cmd" in inspect.signature(method).parameters
    ]
    left_out = [name for name in commands if not getattr(getattr(Governance, name), "serialised", False)]

    assert len(commands) > 40
    assert left_out == []


def test_a_command_inside_a_command_or_a_batch_takes_the_lock_once() -> None:
    """The lock is re-entered, not taken twice (which would wait for itself forever)."""
    app = governance()
    with app.batch(), app.holding_store_lock(), app.holding_store_lock():
        pass


def test_a_sqlite_file_is_locked_by_a_file_beside_it_and_a_store_in_memory_by_the_process(
    tmp_path: Path,
) -> None:
    """The SQLite store's lock is `<file>.lock` beside it; a store in memory has its process's."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/governance.db")
    on_file = store_lock(governance(settings.eventsourcing_env("governance"), staffed=False).recorder)
    in_memory = store_lock(governance(staffed=False).recorder)

    assert isinstance(on_file, FileLock)
    assert on_file.path == tmp_path / "governance.db.lock"
    assert isinstance(in_memory, ProcessLock)


def test_a_lock_that_cannot_be_lost_while_the_process_lives_asks_nothing_before_a_save(
    tmp_path: Path,
) -> None:
    """SQLite's flock and a store in memory's lock give no confirmation to run before a save: only
    PostgreSQL's, whose session the server may end, is confirmed."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/governance.db")
    locks = [
        store_lock(governance(settings.eventsourcing_env("governance"), staffed=False).recorder),
        store_lock(governance(staffed=False).recorder),
    ]

    for lock in locks:
        with lock.held() as confirm:
            assert confirm is None
