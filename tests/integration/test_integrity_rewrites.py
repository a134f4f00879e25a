"""Rewrites by someone who holds the whole database: every one found and named, on SQLite and PostgreSQL.

A consistent rewrite changes an event and recomputes everything the database
holds (its digest, the chain, the checkpoints); only the auditors' key, never
in the database, still tells. Rows slipped in where no seal reads them (at 0,
below zero, as a second copy of a version) are found by reading every row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from integration.test_integrity_history import (
    SEAL_TIMES,
    SEEDED,
    OpenStore,
    Store,
    opened_stores,
    record_history,
    record_more,
)

from lerum_flow.integrity import Kind, Report, seal, signing, verify

SEAL_TABLES = ("integrity_seals", "integrity_checkpoints")

# The position of the last event of `record_history(uppdrag=2)`: the seeded world, then two
# uppdrag of five events each.
LAST_OF_HISTORY = SEEDED + 10


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


@pytest.fixture
def auditors_key(tmp_path: Path) -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    private, public = tmp_path / "revisorer.privat.pem", tmp_path / "revisorer.publik.pem"
    signing.generate(private, public)
    return signing.read_private(private), signing.read_public(public)


class Database:
    """Direct access to the store's tables, as whoever holds the database has it (triggers dropped)."""

    def __init__(self, store: Store, budget: UUID) -> None:
        self.url = store.settings.database_url
        self.store = store
        self.budget = budget

    def events(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._run(self._events_path(), statement, params)

    def seals(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._run(self.store.settings.sqlite_path("integrity"), statement, params)

    def _events_path(self) -> Path:
        return self.store.settings.sqlite_path("governance")

    @property
    def table(self) -> str:
        return "stored_events" if self.is_sqlite else "governance_events"

    @property
    def position(self) -> str:
        return "rowid" if self.is_sqlite else "notification_id"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:///")

    def _run(self, path: Path, statement: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        if self.is_sqlite:
            with closing(sqlite3.connect(path, isolation_level=None)) as connection:
                for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
                    connection.execute(f'DROP TRIGGER "{name}"')
                found = connection.execute(statement, tuple(params))
                return found.fetchall() if found.description else []
        with psycopg.connect(self.url, autocommit=True) as postgres:
            cursor = postgres.execute(statement.replace("?", "%s").encode(), tuple(params))
            return cursor.fetchall() if cursor.description else []

    def both(self, statement: str) -> None:
        """A statement on a seal table (in the seal's own file on SQLite)."""
        (self.seals if self.is_sqlite else self.events)(statement)


def rewrite_consistently(db: Database, position: int, *, above: int = 0) -> None:
    """Change one event, then recompute its digest, the chain and the checkpoints from `above` on.

    The seal rows and checkpoints after `above` are dropped and sealed again
    without the key: exactly what a new honest-looking seal would record.
    """
    db.events(
        f"UPDATE {db.table} SET state = state || ? WHERE {db.position} = ?",
        (b" ", position),
    )
    db.both(f"DELETE FROM integrity_seals WHERE position > {above}")
    db.both(f"DELETE FROM integrity_checkpoints WHERE position > {above}")
    seal(*db.store.stores, now=SEAL_TIMES[5])


def identity_at(db: Database, position: int) -> tuple[str, int]:
    ((originator_id, version),) = db.events(
        f"SELECT originator_id, originator_version FROM {db.table} WHERE {db.position} = ?",
        (position,),
    )
    return str(originator_id).replace("-", ""), int(version)


def kinds(report: Report) -> set[Kind]:
    return {finding.kind for finding in report.findings}


def first_difference(report: Report) -> int | None:
    firsts = [f.position for f in report.findings if f.kind is Kind.FIRST_DIFFERENCE]
    return firsts[0] if firsts else None


def sealed_with_key(open_store: OpenStore, url: str, key: Ed25519PrivateKey, *, uppdrag: int = 2) -> Database:
    store = open_store(url)
    budget = record_history(store.app, uppdrag=uppdrag)
    seal(*store.stores, now=SEAL_TIMES[0], key=key)
    return Database(store, budget)


def test_a_consistent_rewrite_passes_without_the_key_and_is_named_with_it(
    database_url: str, open_store: OpenStore, auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey]
) -> None:
    """Event, digest, chain and checkpoint recomputed: the database agrees with itself, the key does not."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)

    rewrite_consistently(db, 13)
    without_key = verify(*db.store.stores)
    with_key = verify(*db.store.stores, key=public)

    assert without_key.intact, without_key.findings
    assert not with_key.intact
    assert first_difference(with_key) == 13, with_key.findings
    assert Kind.CHECKPOINT_UNSIGNED in kinds(with_key)


def test_a_consistent_rewrite_after_a_later_seal_names_the_event_and_trusts_the_earlier_checkpoint(
    database_url: str, open_store: OpenStore, auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey]
) -> None:
    """Only checkpoints from the rewritten one on lose the key's word; the event is named exactly."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)

    record_more(db.store.app, db.budget, uppdrag=2, first=2)
    seal(*db.store.stores, now=SEAL_TIMES[1], key=private)

    rewrite_consistently(db, 24, above=LAST_OF_HISTORY)
    report = verify(*db.store.stores, key=public)

    assert first_difference(report) == 24, report.findings
    unsigned = {f.checkpoint for f in report.findings if f.kind is Kind.CHECKPOINT_UNSIGNED}
    assert unsigned == {2}


def test_events_sealed_later_without_the_key_are_named_unattested_not_rewritten(
    database_url: str, open_store: OpenStore, auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey]
) -> None:
    """A seal made without the key after one made with it: the key vouches for nothing after the
    first seal, which the report says, without saying that anything was rewritten."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)
    (first_seal_end,) = db.seals("SELECT MAX(position) FROM integrity_seals")[0]

    record_more(db.store.app, db.budget, uppdrag=2, first=2)
    seal(*db.store.stores, now=SEAL_TIMES[1])
    report = verify(*db.store.stores, key=public)

    assert first_difference(report) == first_seal_end + 1, report.findings
    [first] = [f for f in report.findings if f.kind is Kind.FIRST_DIFFERENCE]
    assert "den har ingen signatur" in first.message
    assert "skrivits om" not in " ".join(f.message for f in report.findings), report.findings
    assert any("saknar revisorernas signatur" in f.message for f in report.findings), report.findings


def test_a_rewrite_of_the_signatures_too_is_still_refused_by_the_key(
    database_url: str, open_store: OpenStore, auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey]
) -> None:
    """Removing the signatures leaves checkpoints the key never signed: the history is not vouched for."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)

    rewrite_consistently(db, 7)
    db.both("DELETE FROM integrity_checkpoint_signatures")
    report = verify(*db.store.stores, key=public)

    assert not report.intact
    assert any("saknar revisorernas signatur" in f.message for f in report.findings), report.findings
    assert first_difference(report) == 7, report.findings


@pytest.mark.parametrize("position", [0, -4])
def test_a_new_version_slipped_in_off_the_chain_is_named_before_and_after_the_next_seal(
    database_url: str,
    open_store: OpenStore,
    auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey],
    position: int,
) -> None:
    """A row at 0 or below, posing as the next version of an uppdrag, is never covered and always named."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)
    originator_id, version = identity_at(db, LAST_OF_HISTORY)
    db.events(
        f"INSERT INTO {db.table} ({db.position}, originator_id, originator_version, topic, state) "
        f"SELECT ?, originator_id, originator_version + 1, topic, state FROM {db.table} "
        f"WHERE {db.position} = ?",
        (position, LAST_OF_HISTORY),
    )

    before = verify(*db.store.stores, key=public)
    seal(*db.store.stores, now=SEAL_TIMES[1], key=private)
    after = verify(*db.store.stores, key=public)

    for report in (before, after):
        off_chain = [f for f in report.findings if f.kind is Kind.OFF_CHAIN]
        assert [(f.position, f.originator_id, f.originator_version) for f in off_chain] == [
            (position, originator_id, version + 1)
        ], report.findings


def test_a_second_copy_of_a_version_is_named_as_a_duplicate(
    database_url: str, open_store: OpenStore, auditors_key: tuple[Ed25519PrivateKey, Ed25519PublicKey]
) -> None:
    """Appended after the seal (so no chain covers it yet), a repeated version is still found."""
    private, public = auditors_key
    db = sealed_with_key(open_store, database_url, private)
    originator_id, version = identity_at(db, 15)
    _drop_unique_indexes(db)
    db.events(
        f"INSERT INTO {db.table} ({db.position}, originator_id, originator_version, topic, state) "
        f"SELECT 99, originator_id, originator_version, topic, state FROM {db.table} WHERE {db.position} = 15"
    )

    report = verify(*db.store.stores, key=public)

    duplicates = [f for f in report.findings if f.kind is Kind.DUPLICATE_VERSION]
    assert [(f.position, f.originator_id, f.originator_version) for f in duplicates] == [
        (99, originator_id, version)
    ], report.findings


def _drop_unique_indexes(db: Database) -> None:
    """Whoever holds the database can remove the library's uniqueness first (on SQLite, by a rebuild)."""
    if db.is_sqlite:
        db.events("ALTER TABLE stored_events RENAME TO stored_events_before")
        db.events(
            "CREATE TABLE stored_events "
            "(originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB)"
        )
        db.events(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events_before"
        )
        db.events("DROP TABLE stored_events_before")
        return
    constraints = db.events(
        "SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'governance_events'::regclass AND contype IN ('u', 'p')"
    )
    for (name,) in constraints:
        db.events(f'ALTER TABLE governance_events DROP CONSTRAINT "{name}"')


def test_sealing_makes_the_sqlite_event_store_append_only(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """After a seal the SQLite store refuses changes, removals and inserts below the last event."""
    store = open_store(sqlite_database_url)
    record_history(store.app, uppdrag=1)
    store.seal(SEAL_TIMES[0])
    path = store.settings.sqlite_path("governance")

    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in (
            "UPDATE stored_events SET topic = topic WHERE rowid = 3",
            "DELETE FROM stored_events WHERE rowid = 3",
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "SELECT 0, originator_id, originator_version + 50, topic, state "
            "FROM stored_events WHERE rowid = 3",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="tar bara emot nya händelser"):
                connection.execute(statement)
        (count,) = connection.execute("SELECT count(*) FROM stored_events").fetchone()
    assert count == SEEDED + 5
