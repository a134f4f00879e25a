"""The database names the records whose versions do not add up, so verification follows only those:
none of an intact log, and after each alteration every record the walk of every record finds fault
with, giving the same findings, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from integration.test_integrity_history import OpenStore, opened_stores, record_history
from integration.test_integrity_rewrites import Database, _drop_unique_indexes, identity_at

from lerum_flow.integrity.attestation import LOWEST_POSITION
from lerum_flow.integrity.chain import canonical_id
from lerum_flow.integrity.findings import Finding
from lerum_flow.integrity.ledger import Ledger


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
        every = {canonical_id(row.originator_id) for row in events.rows(LOWEST_POSITION, head)}
        named, walked = Ledger(irregular), Ledger(every)
        for _ in walked.observe(named.observe(events.rows(LOWEST_POSITION, head))):
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
