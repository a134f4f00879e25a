"""A sealed governance history for the integrity tests, and what sealing and verifying it records.

The other test_integrity_* modules import the builders from here (pytest puts
tests/integration on sys.path under this module's own name).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from unit.governance_world import SEED_EVENTS, governance, seed, send, staffing_event_count

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidState
from lerum_flow.integrity import open_stores, seal, verify
from lerum_flow.integrity.stores import EventLog, SealStore
from lerum_flow.settings import Settings

FIRST_RECORDED = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
# The world as seeded: the styrmodell the store records with its first write, who holds which
# position, then the seed's own events.
SEEDED = 1 + staffing_event_count(governance(staffed=False)) + SEED_EVENTS
SEAL_TIMES = [datetime(2027, 4, 1, 12, 0, tzinfo=UTC) + timedelta(days=n) for n in range(10)]


class StepClock:
    """Recorded-at times one hour apart, so 'known on' selects by the order of recording."""

    def __init__(self, start: datetime = FIRST_RECORDED) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


def record_uppdrag(app: Governance, budget_id: UUID, n: int, year_day: date) -> None:
    """One uppdrag from KF to KS through its whole life: five events on five business days."""
    uppdrag = send(
        app,
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title=f"Uppdrag {n}: minska sjukfrånvaron",
        origin_beslut_id=budget_id,
        issued_on=year_day,
        due=date(2027, 12, 31),
    ).id
    send(app, "accept_uppdrag", "ks", uppdrag_id=uppdrag, on=year_day + timedelta(days=1))
    send(
        app,
        "report_uppdrag",
        "ks",
        uppdrag_id=uppdrag,
        on=year_day + timedelta(days=20),
        assessment="delvis",
        text=f"Delrapport {n}; 1,5 % lägre.",
    )
    send(app, "accept_report", "kf", uppdrag_id=uppdrag, on=year_day + timedelta(days=25))
    send(app, "complete_uppdrag", "kf", uppdrag_id=uppdrag, on=year_day + timedelta(days=30))


def record_history(app: Governance, uppdrag: int) -> UUID:
    """Seed Lerum's world (SEEDED events, its staffing included), then `uppdrag` uppdrag of five
    events each; the budget's id."""
    budget = seed(app).budget
    record_more(app, budget, uppdrag, first=0)
    return budget


def record_more(app: Governance, budget: UUID, uppdrag: int, *, first: int) -> None:
    for n in range(first, first + uppdrag):
        record_uppdrag(app, budget, n, date(2027, 1, 10) + timedelta(days=2 * n))


@dataclass
class Store:
    """One governance store with its seal, and the means to open both again."""

    settings: Settings
    app: Governance

    @property
    def stores(self) -> tuple[EventLog, SealStore]:
        return open_stores(self.app, self.settings)

    def seal(self, at: datetime) -> None:
        seal(*self.stores, now=at)


OpenStore = Callable[[str], Store]


def opened_stores() -> Iterator[OpenStore]:
    """Opens Governance instances with a stepping clock on database URLs; closes them when resumed.

    A generator rather than a fixture so that each test module declares its own
    `open_store` fixture with `yield from opened_stores()`.
    """
    opened: list[Governance] = []

    def open_one(url: str) -> Store:
        settings = Settings(database_url=url)
        app = governance(settings.eventsourcing_env("governance"), clock=StepClock())
        opened.append(app)
        return Store(settings, app)

    yield open_one
    for app in opened:
        app.close()


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


def test_sealing_records_a_checkpoint_at_the_last_event(database_url: str, open_store: OpenStore) -> None:
    """A first seal covers every stored event and names the last position."""
    store = open_store(database_url)
    record_history(store.app, uppdrag=4)
    last = store.app.recorder.max_notification_id()

    outcome = seal(*store.stores, now=SEAL_TIMES[0])

    assert outcome.new_events == SEEDED + 20
    assert outcome.checkpoint is not None
    assert (outcome.checkpoint.number, outcome.checkpoint.position) == (1, last)
    assert outcome.checkpoint.event_count == SEEDED + 20


def test_sealing_again_without_new_events_adds_no_checkpoint(
    database_url: str, open_store: OpenStore
) -> None:
    """A second seal with nothing new keeps the first checkpoint in force."""
    store = open_store(database_url)
    record_history(store.app, uppdrag=1)
    first = seal(*store.stores, now=SEAL_TIMES[0])

    again = seal(*store.stores, now=SEAL_TIMES[1])

    assert again.new_events == 0
    assert again.checkpoint == first.checkpoint


def test_later_seals_extend_the_chain_from_the_last_checkpoint(
    database_url: str, open_store: OpenStore
) -> None:
    """Each seal covers only what was appended since, and the whole history still verifies."""
    store = open_store(database_url)
    budget = record_history(store.app, uppdrag=2)
    store.seal(SEAL_TIMES[0])
    record_more(store.app, budget, uppdrag=3, first=2)

    outcome = seal(*store.stores, now=SEAL_TIMES[1])
    report = verify(*store.stores)

    assert (outcome.new_events, outcome.checkpoint and outcome.checkpoint.number) == (15, 2)
    assert report.intact, report.findings
    assert (report.checked, report.unsealed) == (SEEDED + 25, 0)


def test_an_untouched_store_verifies(database_url: str, open_store: OpenStore) -> None:
    """Verification of a sealed, unchanged store finds nothing and checks every event."""
    store = open_store(database_url)
    record_history(store.app, uppdrag=6)
    store.seal(SEAL_TIMES[0])

    report = verify(*store.stores)

    assert report.intact
    assert report.checked == report.position == SEEDED + 30


def test_events_after_the_last_seal_are_reported_unsealed_not_altered(
    database_url: str, open_store: OpenStore
) -> None:
    """Events appended since the seal are counted as not yet sealed, and the store is intact."""
    store = open_store(database_url)
    budget = record_history(store.app, uppdrag=2)
    store.seal(SEAL_TIMES[0])
    record_more(store.app, budget, uppdrag=1, first=2)

    report = verify(*store.stores)

    assert report.intact
    assert (report.checked, report.unsealed) == (SEEDED + 10, 5)


def test_a_store_never_sealed_is_intact_with_every_event_unsealed(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """Before the first seal there is nothing to contradict: all events are simply unsealed."""
    store = open_store(sqlite_database_url)
    record_history(store.app, uppdrag=1)

    report = verify(*store.stores)

    assert report.intact
    assert (report.checked, report.unsealed, report.checkpoint) == (0, SEEDED + 5, None)


def test_the_sqlite_seal_lives_in_its_own_file_beside_the_event_store(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """Sealing adds a file next to the store and leaves the event store's tables alone."""
    store = open_store(sqlite_database_url)
    record_history(store.app, uppdrag=1)
    store.seal(SEAL_TIMES[0])

    base = Path(sqlite_database_url.removeprefix("sqlite:///"))
    assert (base.parent / "governance-integrity.db").exists()
    with sqlite3.connect(base) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not any(name.startswith("integrity") for name in tables)


def test_sealing_refuses_to_chain_on_from_a_removed_checkpoint(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """With the last checkpoint deleted, a new seal would hide the deletion; it refuses instead."""
    store = open_store(sqlite_database_url)
    budget = record_history(store.app, uppdrag=1)
    store.seal(SEAL_TIMES[0])
    record_more(store.app, budget, uppdrag=1, first=1)
    store.seal(SEAL_TIMES[1])
    seal_file = Path(sqlite_database_url.removeprefix("sqlite:///")).with_name("governance-integrity.db")
    with closing(sqlite3.connect(seal_file)) as connection, connection:
        connection.execute("DELETE FROM integrity_checkpoints WHERE number = 2")

    with pytest.raises(InvalidState, match="Kontrollpunkterna i lagret är inte intakta"):
        store.seal(SEAL_TIMES[2])
