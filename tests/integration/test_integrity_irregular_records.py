"""The database names the records whose versions do not add up, so verification follows only those:
none of an intact log, and after each alteration every record the walk of every record finds fault
with, giving the same findings, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from integration.test_integrity_history import SEAL_TIMES, OpenStore, opened_stores, record_history
from integration.test_integrity_rewrites import Database, _drop_unique_indexes, identity_at

from lerum_flow.integrity import Kind, postgres_stores, seal, verify
from lerum_flow.integrity.attestation import LOWEST_POSITION
from lerum_flow.integrity.chain import canonical_id
from lerum_flow.integrity.findings import Finding
from lerum_flow.integrity.ledger import Ledger

# The rows are read in pages this long, so that a page ends inside the small history.
PAGE_SIZE_AT_TEST = 10


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


def _followed(db: Database) -> tuple[set[str], list[Finding], list[Finding]]:
    """The records the database names, the ledger's findings following only them, and following
    every record (the walk it replaced)."""
    log, _ = db.store.stores
    with log.reading() as events:
        head = events.max_position()
        irregular = events.irregular_records(LOWEST_POSITION, head)
        # As verification reads them: every row by position, then those stored at none.
        rows = [*events.rows(LOWEST_POSITION, head), *events.unplaced_rows()]
        every = {canonical_id(row.originator_id) for row in rows}
        named, walked = Ledger(irregular), Ledger(every)
        for _ in walked.observe(named.observe(rows)):
            pass
    return irregular, named.findings, walked.findings


def _insert(db: Database, position: int, originator_id: str, version: int) -> None:
    db.events(
        f"INSERT INTO {db.table} ({db.position}, originator_id, originator_version, topic, state) "
        f"SELECT ?, ?, ?, topic, state FROM {db.table} WHERE {db.position} = 1",
        (position, originator_id, version),
    )


def test_an_intact_log_has_no_record_to_follow(database_url: str, open_store: OpenStore) -> None:
    """Every record's versions run 1, 2, 3 … in the order they were stored: none is followed."""
    store = open_store(database_url)
    budget = record_history(store.app, uppdrag=2)
    irregular, named, walked = _followed(Database(store, budget))
    assert irregular == set()
    assert named == walked == []


def test_each_alteration_names_exactly_the_records_found_at_fault(
    database_url: str, open_store: OpenStore
) -> None:
    """A second copy of a version, a row off the chain, a removed version and a version moved after
    a later one: the database names those records, and following them finds what following all
    finds."""
    store = open_store(database_url)
    budget = record_history(store.app, uppdrag=2)
    db = Database(store, budget)
    head = store.app.recorder.max_notification_id() or 0
    _drop_unique_indexes(db)
    copied, copied_version = identity_at(db, head)
    _insert(db, head + 1, copied, copied_version)  # a second copy of the last version
    off_chain, _ = identity_at(db, head - 12)
    _insert(db, 0, off_chain, 99)  # a row where no seal reads it
    removed, _ = identity_at(db, head - 7)
    db.events(f"DELETE FROM {db.table} WHERE {db.position} = ?", (head - 7,))  # a middle version gone
    moved, moved_version = identity_at(db, head - 3)
    db.events(f"DELETE FROM {db.table} WHERE {db.position} = ?", (head - 3,))
    _insert(db, head + 2, moved, moved_version)  # stored after the versions that follow it

    irregular, named, walked = _followed(db)

    assert {copied, off_chain, removed, moved} <= irregular
    assert walked
    assert named == walked
    assert {f.originator_id for f in walked} == irregular


def _drop_position_uniqueness(db: Database) -> None:
    """Whoever holds a PostgreSQL database can also drop the library's unique index on the
    notification id, and its NOT NULL: positions may then repeat or be missing altogether."""
    _drop_unique_indexes(db)
    unique = (
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'governance_events'::regclass AND i.indisunique"
    )
    for (name,) in db.events(unique):
        db.events(f'DROP INDEX "{name}"')
    db.events("ALTER TABLE governance_events ALTER COLUMN notification_id DROP NOT NULL")


def _copy_at(db: Database, source: int, position: int | None) -> None:
    """A second copy of the row at `source`, stored at `position` (None: at no position)."""
    db.events(
        "INSERT INTO governance_events (notification_id, originator_id, originator_version, topic, state) "
        "SELECT ?, originator_id, originator_version, topic, state FROM governance_events "
        "WHERE notification_id = ?",
        (position, source),
    )


@pytest.fixture
def altered(postgres_database_url: str, open_store: OpenStore) -> tuple[Database, int]:
    """A PostgreSQL store with a history, its position's uniqueness dropped; and its head."""
    store = open_store(postgres_database_url)
    budget = record_history(store.app, uppdrag=2)
    db = Database(store, budget)
    _drop_position_uniqueness(db)
    return db, store.app.recorder.max_notification_id() or 0


def _assert_named_as_found(db: Database, *expected: str) -> None:
    irregular, named, walked = _followed(db)
    assert set(expected) <= irregular
    assert named == walked
    assert {f.originator_id for f in walked} == irregular


@pytest.mark.postgres
@pytest.mark.parametrize("offset", [7, PAGE_SIZE_AT_TEST - 1, PAGE_SIZE_AT_TEST])
def test_a_version_copied_with_its_own_notification_id_is_named_on_postgresql(
    altered: tuple[Database, int], offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row stored twice under one notification id (anywhere, and where a page of the read ends):
    the database names the record, and reading the rows in pages finds the second copy."""
    monkeypatch.setattr(postgres_stores, "PAGE_SIZE", PAGE_SIZE_AT_TEST)
    db, _ = altered
    copied, _ = identity_at(db, offset)
    _copy_at(db, offset, offset)
    _assert_named_as_found(db, copied)


@pytest.mark.postgres
def test_a_later_version_stored_under_an_earlier_ones_notification_id_is_named_on_postgresql(
    altered: tuple[Database, int],
) -> None:
    """A record's last version moved onto the notification id of its version before (the id
    repeats, a gap is left where it was): named, and found whichever of the two is read first."""
    db, head = altered
    moved, version = identity_at(db, head)
    (earlier,) = db.events(
        "SELECT notification_id FROM governance_events WHERE translate(originator_id::text, '-', '') = ? "
        "AND originator_version = ?",
        (moved, version - 1),
    )
    db.events(
        "UPDATE governance_events SET notification_id = ? WHERE notification_id = ?", (earlier[0], head)
    )
    _assert_named_as_found(db, moved)


@pytest.mark.postgres
def test_a_version_stored_at_no_notification_id_is_named_on_postgresql(altered: tuple[Database, int]) -> None:
    """A second copy of a version stored with no notification id (which no read by position sees,
    yet the record's own read does): named, and found off the chain."""
    db, head = altered
    copied, version = identity_at(db, head - 5)
    _copy_at(db, head - 5, None)
    irregular, named, walked = _followed(db)
    assert copied in irregular
    assert named == walked
    assert {(f.originator_id, f.originator_version) for f in walked} >= {(copied, version)}
    assert {f.originator_id for f in walked} == irregular


@pytest.mark.postgres
def test_verify_names_a_sealed_version_copied_to_no_notification_id_and_to_a_repeated_one(
    postgres_database_url: str, open_store: OpenStore
) -> None:
    """After a seal, a version copied with no notification id and one copied under its own: the
    verification names the first off the chain and the second as a duplicate."""
    store = open_store(postgres_database_url)
    budget = record_history(store.app, uppdrag=2)
    seal(*store.stores, now=SEAL_TIMES[0])
    db = Database(store, budget)
    _drop_position_uniqueness(db)
    unplaced, unplaced_version = identity_at(db, 12)
    _copy_at(db, 12, None)
    repeated, repeated_version = identity_at(db, 20)
    _copy_at(db, 20, 20)

    report = verify(*store.stores)

    found = {(f.kind, f.originator_id, f.originator_version) for f in report.findings}
    assert (Kind.OFF_CHAIN, unplaced, unplaced_version) in found, report.findings
    assert (Kind.DUPLICATE_VERSION, repeated, repeated_version) in found, report.findings
