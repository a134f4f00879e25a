"""Tampering with a sealed store: every random mutation is found and named at the right position.

One store of about 300 events is built and sealed at three checkpoints (with
gaps in its positions, as PostgreSQL's sequence leaves them), plus unsealed
events after the last seal. Each mutation is then applied to a fresh copy of
it (SQLite: copied files; PostgreSQL: tables restored from a pristine copy)
and the copy verified, sometimes against the auditors' checkpoint file.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.sqlite import SQLiteDatastore
from integration.test_integrity_history import (
    SEAL_TIMES,
    SEEDED,
    OpenStore,
    StepClock,
    Store,
    opened_stores,
    record_history,
    record_more,
)
from unit.governance_world import governance

from lerum_flow.integrity import (
    Kind,
    Report,
    read_checkpoint_file,
    verify,
    write_checkpoint_file,
)
from lerum_flow.integrity.checkpoint_file import HASH_FIELD, content_hash
from lerum_flow.integrity.checkpoints import Checkpoint, checkpoint_hash
from lerum_flow.integrity.sqlite_stores import SQLiteEventLog, SQLiteSealStore
from lerum_flow.integrity.stores import CHECKPOINTS_TABLE, SEALS_TABLE
from lerum_flow.settings import Settings

SQLITE_MUTATIONS = 1200
POSTGRES_MUTATIONS = 60
EVENT_KINDS = {Kind.CHANGED, Kind.MISSING, Kind.INSERTED, Kind.MOVED}
CHECKPOINT_KINDS = {Kind.CHECKPOINT_CHANGED, Kind.CHECKPOINT_MISSING, Kind.CHAIN_BROKEN}


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


# --------------------------------------------------------------------------- #
# The sealed store
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Tables:
    """How the mutations address one backend's tables."""

    events: str
    position: str
    mark: str

    def sql(self, statement: str) -> str:
        text = statement.format(
            events=self.events, pos=self.position, seals=SEALS_TABLE, cps=CHECKPOINTS_TABLE
        )
        return text.replace("?", self.mark)


SQLITE_TABLES = Tables(events="stored_events", position="rowid", mark="?")
POSTGRES_TABLES = Tables(events="governance_events", position="notification_id", mark="%s")


@dataclass(frozen=True)
class Sealed:
    """What the mutations may rely on about the sealed store."""

    sealed: tuple[int, ...]
    gaps: tuple[int, ...]
    checkpoints: tuple[Checkpoint, ...]
    checkpoint_file: Path


Run = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]


def open_gap(run: Run, tables: Tables, at: int) -> None:
    """Leave `at` free by moving every later row up one, as a rolled-back insert leaves a hole."""
    run(tables.sql("UPDATE {events} SET {pos} = -({pos} + 1) WHERE {pos} >= ?"), (at,))
    run(tables.sql("UPDATE {events} SET {pos} = -{pos} WHERE {pos} < 0"), ())


def build_sealed(store: Store, run: Run, tables: Tables, checkpoint_file: Path) -> Sealed:
    """About 300 events (and the styrmodell recorded with the first) sealed at three checkpoints,
    three gaps, and 20 unsealed events after."""
    budget = record_history(store.app, uppdrag=18)
    open_gap(run, tables, 50)
    store.seal(SEAL_TIMES[0])
    record_more(store.app, budget, uppdrag=20, first=18)
    open_gap(run, tables, 150)
    store.seal(SEAL_TIMES[1])
    record_more(store.app, budget, uppdrag=20, first=38)
    open_gap(run, tables, 250)
    store.seal(SEAL_TIMES[2])
    record_more(store.app, budget, uppdrag=4, first=58)
    _, seals = store.stores
    with seals.reading() as seal:
        checkpoints = seal.checkpoints()
        sealed = tuple(row.position for row in seal.rows(0, checkpoints[-1].position))
    write_checkpoint_file(checkpoint_file, checkpoints, exported_at="2027-04-04T12:00:00+00:00", store="test")
    gaps = tuple(sorted(set(range(1, sealed[-1])) - set(sealed)))
    assert gaps == (50, 150, 250)
    return Sealed(sealed, gaps, tuple(checkpoints), checkpoint_file)


# --------------------------------------------------------------------------- #
# Mutations
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Expected:
    """What verification must report: which kinds, at which positions or checkpoints."""

    kinds: set[Kind]
    positions: set[int] = field(default_factory=set)
    checkpoints: set[int] = field(default_factory=set)


@dataclass
class Target:
    """One fresh copy to mutate: its events, its seal, its checkpoint file."""

    tables: Tables
    events: Run
    seals: Run
    base: Sealed
    checkpoint_file: Path
    rng: random.Random

    def sealed_position(self) -> int:
        return self.rng.choice(self.base.sealed)

    def row(self, position: int) -> tuple[Any, ...]:
        statement = "SELECT originator_id, originator_version, topic, state FROM {events} WHERE {pos} = ?"
        return self.events(self.tables.sql(statement), (position,))[0]


Mutation = Callable[[Target], Expected]


def flip_bit_in_state(t: Target) -> Expected:
    position = t.sealed_position()
    state = bytearray(t.row(position)[3])
    state[t.rng.randrange(len(state))] ^= 1 << t.rng.randrange(8)
    t.events(t.tables.sql("UPDATE {events} SET state = ? WHERE {pos} = ?"), (bytes(state), position))
    return Expected({Kind.CHANGED}, {position})


def change_topic(t: Target) -> Expected:
    position = t.sealed_position()
    topic = t.row(position)[2]
    other = t.rng.choice(["lerum_flow:Beslut.Corrected", "lerum_flow:Uppdrag.Withdrawn", topic + " "])
    t.events(t.tables.sql("UPDATE {events} SET topic = ? WHERE {pos} = ?"), (other, position))
    return Expected({Kind.CHANGED}, {position})


def change_version(t: Target) -> Expected:
    position = t.sealed_position()
    t.events(
        t.tables.sql("UPDATE {events} SET originator_version = originator_version + 1000 WHERE {pos} = ?"),
        (position,),
    )
    return Expected({Kind.CHANGED}, {position})


def change_aggregate(t: Target) -> Expected:
    position = t.sealed_position()
    new_uuid = uuid.UUID(int=t.rng.getrandbits(128))
    new_id = new_uuid.hex if t.tables is SQLITE_TABLES else new_uuid  # as each database stores it
    t.events(t.tables.sql("UPDATE {events} SET originator_id = ? WHERE {pos} = ?"), (new_id, position))
    return Expected({Kind.CHANGED}, {position})


def delete_event(t: Target) -> Expected:
    position = t.sealed_position()
    t.events(t.tables.sql("DELETE FROM {events} WHERE {pos} = ?"), (position,))
    return Expected({Kind.MISSING}, {position})


def delete_run(t: Target) -> Expected:
    first = t.sealed_position()
    last = first + t.rng.randrange(1, 6)
    t.events(t.tables.sql("DELETE FROM {events} WHERE {pos} BETWEEN ? AND ?"), (first, last))
    return Expected({Kind.MISSING}, {p for p in t.base.sealed if first <= p <= last})


def truncate_tail(t: Target) -> Expected:
    first = t.sealed_position()
    t.events(t.tables.sql("DELETE FROM {events} WHERE {pos} >= ?"), (first,))
    return Expected({Kind.MISSING}, {p for p in t.base.sealed if p >= first})


def insert_into_gap(t: Target) -> Expected:
    gap = t.rng.choice(t.base.gaps)
    originator_id, version, topic, state = t.row(t.sealed_position())
    t.events(
        t.tables.sql(
            "INSERT INTO {events} ({pos}, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)"
        ),
        (gap, originator_id, version + 500, topic, state),
    )
    return Expected({Kind.INSERTED}, {gap})


def insert_and_renumber(t: Target) -> Expected:
    """Make room by moving every later event up one, so the positions stay without holes."""
    at = t.sealed_position()
    originator_id, version, topic, state = t.row(t.sealed_position())
    open_gap(t.events, t.tables, at)
    t.events(
        t.tables.sql(
            "INSERT INTO {events} ({pos}, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)"
        ),
        (at, originator_id, version + 700, topic, state),
    )
    moved = {p for p in t.base.sealed if p >= at}
    return Expected({Kind.INSERTED, Kind.MOVED}, {at} | moved | {p + 1 for p in moved})


def swap_events(t: Target) -> Expected:
    first, second = t.rng.sample(t.base.sealed, 2)
    for old, new in ((first, -1), (second, first), (-1, second)):
        t.events(t.tables.sql("UPDATE {events} SET {pos} = ? WHERE {pos} = ?"), (new, old))
    return Expected({Kind.MOVED}, {first, second})


def move_into_gap(t: Target) -> Expected:
    position, gap = t.sealed_position(), t.rng.choice(t.base.gaps)
    t.events(t.tables.sql("UPDATE {events} SET {pos} = ? WHERE {pos} = ?"), (gap, position))
    return Expected({Kind.MOVED}, {position, gap})


def store_state_as_text(t: Target) -> Expected:
    """SQLite's loose typing: the same bytes stored as TEXT are not the sealed row."""
    position = t.sealed_position()
    t.events(t.tables.sql("UPDATE {events} SET state = CAST(state AS TEXT) WHERE {pos} = ?"), (position,))
    return Expected({Kind.CHANGED}, {position})


def alter_seal_digest(t: Target) -> Expected:
    position = t.sealed_position()
    digest = bytes(t.seals(t.tables.sql("SELECT digest FROM {seals} WHERE position = ?"), (position,))[0][0])
    altered = bytes([digest[0] ^ 0x80]) + digest[1:]
    t.seals(t.tables.sql("UPDATE {seals} SET digest = ? WHERE position = ?"), (altered, position))
    return Expected({Kind.SEAL_CHANGED}, {position})


def alter_seal_label(t: Target) -> Expected:
    position = t.sealed_position()
    t.seals(
        t.tables.sql("UPDATE {seals} SET originator_version = originator_version + 3 WHERE position = ?"),
        (position,),
    )
    return Expected({Kind.SEAL_CHANGED}, {position})


def delete_seal_row(t: Target) -> Expected:
    position = t.sealed_position()
    t.seals(t.tables.sql("DELETE FROM {seals} WHERE position = ?"), (position,))
    return Expected({Kind.SEAL_CHANGED}, {position})


def alter_checkpoint_field(t: Target) -> Expected:
    number = t.rng.randrange(1, 4)
    column, value = t.rng.choice(
        [
            ("position", "position + 1"),
            ("event_count", "event_count - 1"),
            ("link", _other_first_digit("link")),
            ("sealed_at", "'2027-04-02T00:00:00+00:00'"),
            ("previous", _other_first_digit("previous")),
            ("hash", _other_first_digit("hash")),
        ]
    )
    t.seals(t.tables.sql(f"UPDATE {{cps}} SET {column} = {value} WHERE number = ?"), (number,))
    before = t.base.checkpoints[number - 1]
    after = _checkpoint(t, number)
    assert after != before, f"{column} of checkpoint {number} unchanged"
    return Expected(CHECKPOINT_KINDS, checkpoints={number})


def _other_first_digit(column: str) -> str:
    return f"CASE WHEN substr({column}, 1, 1) = '0' THEN '1' ELSE '0' END || substr({column}, 2)"


def rewrite_checkpoint_consistently(t: Target) -> Expected:
    """A new link with its hash recomputed: only the next checkpoint or the events give it away."""
    number = t.rng.randrange(1, 4)
    old = t.base.checkpoints[number - 1]
    link = format(t.rng.getrandbits(256), "064x")
    new_hash = checkpoint_hash(old.number, old.position, old.event_count, link, old.sealed_at, old.previous)
    t.seals(t.tables.sql("UPDATE {cps} SET link = ?, hash = ? WHERE number = ?"), (link, new_hash, number))
    return Expected(CHECKPOINT_KINDS, checkpoints={number})


def delete_checkpoint(t: Target) -> Expected:
    number = t.rng.randrange(1, 4)
    t.seals(t.tables.sql("DELETE FROM {cps} WHERE number = ?"), (number,))
    return Expected({Kind.CHECKPOINT_MISSING}, checkpoints={number})


def alter_checkpoint_file(t: Target) -> Expected:
    """An edited export: without a new content hash it is caught whole, with one per checkpoint."""
    data = json.loads(t.checkpoint_file.read_text(encoding="utf-8"))
    number = t.rng.randrange(1, 4)
    entry = data["kontrollpunkter"][number - 1]
    entry[t.rng.choice(["lank", "position", "forseglad"])] = t.rng.choice(["0" * 64, 7, "2027-01-01"])
    rehash = t.rng.random() < 0.5
    if rehash:
        body = {k: v for k, v in data.items() if k != HASH_FIELD}
        data[HASH_FIELD] = content_hash(body)
    t.checkpoint_file.write_text(json.dumps(data), encoding="utf-8")
    if rehash:
        return Expected({Kind.CHECKPOINT_CHANGED}, checkpoints={number})
    return Expected({Kind.FILE_CHANGED})


def _checkpoint(t: Target, number: int) -> Checkpoint:
    row = t.seals(
        t.tables.sql(
            "SELECT number, position, event_count, link, sealed_at, previous, hash "
            "FROM {cps} WHERE number = ?"
        ),
        (number,),
    )[0]
    return Checkpoint(*row)


EVENT_MUTATIONS: list[Mutation] = [
    flip_bit_in_state,
    change_topic,
    change_version,
    change_aggregate,
    delete_event,
    delete_run,
    truncate_tail,
    insert_into_gap,
    insert_and_renumber,
    swap_events,
    move_into_gap,
]
SEAL_MUTATIONS: list[Mutation] = [
    alter_seal_digest,
    alter_seal_label,
    delete_seal_row,
    alter_checkpoint_field,
    rewrite_checkpoint_consistently,
    delete_checkpoint,
]
FILE_MUTATIONS: list[Mutation] = [alter_checkpoint_file]
SQLITE_ONLY: list[Mutation] = [store_state_as_text]


LEDGER_KINDS = {Kind.OFF_CHAIN, Kind.DUPLICATE_VERSION, Kind.VERSION_GAP, Kind.SHARED_POSITION}


def named(report: Report) -> Expected:
    """What the report names, in the same terms as the expectation."""
    # A mutation that breaks a record's versions is also named by the ledger check
    # (tests/integration/test_integrity_rewrites.py); here the chain's verdict is compared.
    kinds = {finding.kind for finding in report.findings} - LEDGER_KINDS
    positions: set[int] = set()
    checkpoints: set[int] = set()
    for finding in report.findings:
        if finding.kind in EVENT_KINDS | {Kind.SEAL_CHANGED}:
            positions |= {p for p in (finding.position, finding.sealed_position) if p is not None}
        elif finding.checkpoint is not None:
            checkpoints.add(finding.checkpoint)
    return Expected(kinds, positions, checkpoints)


def check(expected: Expected, report: Report, description: str) -> None:
    found = named(report)
    assert not report.intact, f"{description}: not detected"
    if expected.kinds == CHECKPOINT_KINDS:
        assert found.kinds <= CHECKPOINT_KINDS, f"{description}: {report.findings}"
    else:
        assert found.kinds == expected.kinds, f"{description}: {report.findings}"
    assert found.positions == expected.positions, f"{description}: {report.findings}"
    assert found.checkpoints == expected.checkpoints, f"{description}: {report.findings}"


# --------------------------------------------------------------------------- #
# SQLite
# --------------------------------------------------------------------------- #


def drop_triggers(connection: sqlite3.Connection) -> None:
    """What anyone holding the files can do first: the append-only triggers only stop the application."""
    triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:
        connection.execute(f'DROP TRIGGER "{name}"')


def _sqlite_run(connection: sqlite3.Connection) -> Run:
    def run(statement: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        drop_triggers(connection)  # the seal adds them; whoever holds the file drops them
        return connection.execute(statement, tuple(params)).fetchall()

    return run


@pytest.fixture(scope="module")
def sqlite_sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sealed]:
    """The sealed store's files (events, seal, checkpoint file), built once for the module."""
    directory = tmp_path_factory.mktemp("sealed")
    settings = Settings(database_url=f"sqlite:///{directory / 'governance.db'}")
    app = governance(settings.eventsourcing_env("governance"), clock=StepClock())
    try:
        with closing(sqlite3.connect(directory / "governance.db", isolation_level=None)) as connection:
            store = Store(settings, app)
            checkpoint_file = directory / "kontrollpunkter.json"
            sealed = build_sealed(store, _sqlite_run(connection), SQLITE_TABLES, checkpoint_file)
    finally:
        app.close()  # the last connection to close folds the WAL into the file that is copied
    return directory, sealed


def verify_sqlite_copy(directory: Path, *, with_file: bool) -> Report:
    datastore = SQLiteDatastore(str(directory / "governance.db"))
    try:
        log = SQLiteEventLog(datastore)
        seals = SQLiteSealStore(directory / "governance-integrity.db")
        checkpoint_file = read_checkpoint_file(directory / "kontrollpunkter.json") if with_file else None
        return verify(log, seals, checkpoint_file)
    finally:
        datastore.close()


def mutate_sqlite_copy(directory: Path, mutation: Mutation, base: Sealed, rng: random.Random) -> Expected:
    with (
        closing(sqlite3.connect(directory / "governance.db", isolation_level=None)) as events,
        closing(sqlite3.connect(directory / "governance-integrity.db", isolation_level=None)) as seals,
    ):
        target = Target(
            SQLITE_TABLES,
            _sqlite_run(events),
            _sqlite_run(seals),
            base,
            directory / "kontrollpunkter.json",
            rng,
        )
        return mutation(target)


def test_an_untouched_copy_of_the_sealed_store_verifies(
    sqlite_sealed: tuple[Path, Sealed], tmp_path: Path
) -> None:
    """The copy that every mutation starts from is intact, with and without the checkpoint file."""
    directory, base = sqlite_sealed
    copy = tmp_path / "copy"
    shutil.copytree(directory, copy)

    for with_file in (False, True):
        report = verify_sqlite_copy(copy, with_file=with_file)
        assert report.intact, report.findings
        assert report.checked == len(base.sealed) == SEEDED + 290
        assert report.unsealed == 20


@pytest.mark.slow
def test_every_random_mutation_of_a_sealed_sqlite_store_is_found_and_named(
    sqlite_sealed: tuple[Path, Sealed], tmp_path: Path
) -> None:
    """Over a thousand mutations, each on a fresh copy: all detected, each at the mutated position."""
    directory, base = sqlite_sealed
    rng = random.Random(20270401)
    catalogue = EVENT_MUTATIONS + SEAL_MUTATIONS + FILE_MUTATIONS + SQLITE_ONLY
    failures: list[str] = []
    for n in range(SQLITE_MUTATIONS):
        mutation = catalogue[n % len(catalogue)]
        copy = tmp_path / f"mutation-{n}"
        shutil.copytree(directory, copy)
        expected = mutate_sqlite_copy(copy, mutation, base, rng)
        report = verify_sqlite_copy(copy, with_file=mutation in FILE_MUTATIONS or rng.random() < 0.5)
        try:
            check(expected, report, f"mutation {n} ({mutation.__name__})")
        except AssertionError as failure:
            failures.append(str(failure))
        shutil.rmtree(copy)
    assert not failures, f"{len(failures)} of {SQLITE_MUTATIONS} mutations misreported:\n" + "\n".join(
        failures[:10]
    )


# --------------------------------------------------------------------------- #
# PostgreSQL
# --------------------------------------------------------------------------- #

PRISTINE_TABLES = (POSTGRES_TABLES.events, SEALS_TABLE, CHECKPOINTS_TABLE)


def _postgres_run(connection: psycopg.Connection[Any]) -> Run:
    def run(statement: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        cursor = connection.execute(statement, tuple(params))
        return cursor.fetchall() if cursor.description else []

    return run


def restore_pristine(run: Run) -> None:
    for table in PRISTINE_TABLES:
        run(f"DELETE FROM public.{table}", ())
        run(f"INSERT INTO public.{table} SELECT * FROM pristine.{table}", ())


@pytest.mark.postgres
def test_random_mutations_of_a_sealed_postgres_store_are_found_and_named(
    postgres_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """The same mutations on PostgreSQL, each on the store restored to its sealed state first."""
    store = open_store(postgres_database_url)
    pristine_file = tmp_path / "pristine.json"
    checkpoint_file = tmp_path / "kontrollpunkter.json"
    rng = random.Random(20270402)
    catalogue = EVENT_MUTATIONS + SEAL_MUTATIONS + FILE_MUTATIONS
    with psycopg.connect(postgres_database_url, autocommit=True) as connection:
        run = _postgres_run(connection)
        base = build_sealed(store, run, POSTGRES_TABLES, pristine_file)
        run("CREATE SCHEMA pristine", ())
        for table in PRISTINE_TABLES:
            run(f"CREATE TABLE pristine.{table} AS TABLE public.{table}", ())
        assert verify(*store.stores, read_checkpoint_file(pristine_file)).intact
        failures: list[str] = []
        for n in range(POSTGRES_MUTATIONS):
            mutation = catalogue[n % len(catalogue)]
            restore_pristine(run)
            shutil.copyfile(pristine_file, checkpoint_file)
            expected = mutation(Target(POSTGRES_TABLES, run, run, base, checkpoint_file, rng))
            with_file = mutation in FILE_MUTATIONS or rng.random() < 0.5
            report = verify(*store.stores, read_checkpoint_file(checkpoint_file) if with_file else None)
            try:
                check(expected, report, f"mutation {n} ({mutation.__name__})")
            except AssertionError as failure:
                failures.append(str(failure))
    assert not failures, f"{len(failures)} of {POSTGRES_MUTATIONS} mutations misreported:\n" + "\n".join(
        failures[:10]
    )
