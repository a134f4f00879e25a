"""`db migrate` and `db status`: numbered migrations recorded in the store, on SQLite and PostgreSQL.

A store made the old way (tables created by the application on first use,
no version table) is recognised and brought to the current version with every
event, view position and seal row as it was.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from e2e.cli_world import run_in_process
from integration.test_integrity_history import SEAL_TIMES, SEEDED, OpenStore, opened_stores, record_history
from unit.governance_world import DAY, MEDARBETARE, SECTOR, governance, seed, send
from unit.styrdokument_world import decide
from unit.test_befattning_outlived import plan_with_control

from lerum_flow.domain.errors import InvalidState
from lerum_flow.integrity import open_stores, verify
from lerum_flow.projections.internkontroll import InternkontrollProjection, OverlamningRow
from lerum_flow.projections.store import ViewStore
from lerum_flow.schema import CURRENT_VERSION, MIGRATIONS, migrate, prepared, status
from lerum_flow.schema.connection import store_connection
from lerum_flow.schema.migrate import State
from lerum_flow.schema.versions import VERSION_TABLE, record
from lerum_flow.settings import Settings


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


def stored_events(url: str) -> list[tuple[object, ...]]:
    """Every row of the event table, read past the application."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return connection.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall()
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT * FROM governance_events ORDER BY notification_id").fetchall()


def test_an_empty_store_is_migrated_to_the_current_version_once(database_url: str) -> None:
    """Every migration is applied in order and recorded; a second run has nothing to do."""
    settings = Settings(database_url=database_url)
    assert status(settings).state is State.EMPTY

    done = migrate(settings)
    again = migrate(settings)

    assert [m.number for m in done] == [m.number for m in MIGRATIONS]
    assert again == []
    found = status(settings)
    assert (found.state, found.version, found.pending) == (State.CURRENT, CURRENT_VERSION, ())
    assert [a.number for a in found.applied] == [m.number for m in MIGRATIONS]


def test_a_store_made_by_an_earlier_program_is_brought_to_the_current_version_without_losing_anything(
    database_url: str, open_store: OpenStore
) -> None:
    """Tables created on first use, views caught up and a seal: recognised as an earlier program's,
    then migrated with every event, view position and checkpoint as it was, and still intact."""
    store = open_store(database_url)
    record_history(store.app, uppdrag=3)
    views = ViewStore.open(store.settings)
    try:
        views.projector().catch_up()
        positions = views.projector().positions()
    finally:
        views.close()
    store.seal(SEAL_TIMES[0])
    events = stored_events(database_url)
    assert status(store.settings).state is State.EARLIER_PROGRAM

    migrate(store.settings)

    assert status(store.settings).state is State.CURRENT
    assert stored_events(database_url) == events
    current = prepared(store.settings)
    views = ViewStore.open(current)
    try:
        assert views.projector().positions() == positions
    finally:
        views.close()
    report = verify(*open_stores(store.app, current))
    assert (report.intact, report.checked) == (True, SEEDED + 15)


def test_a_store_behind_the_program_is_refused_until_migrated(database_url: str) -> None:
    """A store that has had only the first migration: processes refuse it, naming `db migrate`."""
    settings = Settings(database_url=database_url)
    MIGRATIONS[0].apply(settings)
    with store_connection(settings) as connection:
        connection.execute(
            f"CREATE TABLE {VERSION_TABLE} (number integer PRIMARY KEY, name text NOT NULL, "
            "applied_at text NOT NULL)"
        )
        record(connection, settings, 1, MIGRATIONS[0].name, datetime.now(UTC))
    assert status(settings).state is State.BEHIND

    with pytest.raises(InvalidState, match="db migrate"):
        prepared(settings)
    assert [m.number for m in migrate(settings)] == [m.number for m in MIGRATIONS[1:]]
    assert status(settings).state is State.CURRENT


def test_a_store_ahead_of_the_program_is_neither_opened_nor_migrated(database_url: str) -> None:
    """A newer program's store: nothing here may write to it, not even `db migrate`."""
    settings = Settings(database_url=database_url)
    migrate(settings)
    with store_connection(settings) as connection:
        record(connection, settings, CURRENT_VERSION + 1, "framtiden", datetime.now(UTC))

    assert status(settings).state is State.AHEAD
    with pytest.raises(InvalidState, match="Uppgradera lerum-flow"):
        prepared(settings)
    with pytest.raises(InvalidState, match="nyare"):
        migrate(settings)


def test_a_current_store_is_opened_without_ddl(database_url: str) -> None:
    """Once migrated, every process opens the store with the library's table creation off."""
    settings = Settings(database_url=database_url)
    migrate(settings)

    opened = prepared(settings)

    assert opened.create_tables is False
    assert opened.eventsourcing_env("governance")["CREATE_TABLE"] == "no"
    assert opened.eventsourcing_env("uppdrag_view")["CREATE_TABLE"] == "no"


def test_an_empty_store_is_migrated_when_a_process_first_opens_it(database_url: str) -> None:
    """The embedded default's first run (and a fresh database) needs no extra step, and the
    schema it gets is the migrations', recorded as such."""
    settings = Settings(database_url=database_url)

    opened = prepared(settings)

    assert opened.create_tables is False
    assert status(settings).state is State.CURRENT


def test_db_status_and_migrate_on_the_command_line(tmp_path: Path, open_store: OpenStore) -> None:
    """The commands a deployment runs: status says what to do, migrate does it, in Swedish and JSON."""
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    record_history(open_store(url).app, uppdrag=1)
    env = {"LERUM_FLOW_DATABASE_URL": url}

    before = run_in_process(["db", "status"], env)
    migrated = run_in_process(["db", "migrate"], env)
    after = run_in_process(["--json", "db", "status"], env)

    assert before.exit_code == 0, before.output
    assert "tidigare version" in before.stdout
    assert migrated.exit_code == 0, migrated.output
    assert f"aktuella schemaversionen {CURRENT_VERSION}" in migrated.stdout
    assert json.loads(after.stdout)["tillstand"] == "aktuellt"


def test_a_recording_command_on_a_fresh_embedded_store_works_with_no_extra_step(tmp_path: Path) -> None:
    """The README's first steps on a new data directory: the store migrates itself, explicitly."""
    env = {"LERUM_FLOW_DATA_DIR": str(tmp_path / "data"), "LERUM_FLOW_PERSON": "p-1"}

    named = run_in_process(["katalog", "set", "p-1", "--name", "Anna"], env)
    found = status(dataclasses.replace(Settings(data_dir=tmp_path / "data")))

    assert named.exit_code == 0, named.output
    assert found.state is State.CURRENT


def test_a_migrated_store_refuses_to_change_or_slip_in_an_event(
    database_url: str, open_store: OpenStore
) -> None:
    """The append-only triggers come with the schema, on both stores, before any seal."""
    migrate(Settings(database_url=database_url))
    record_history(open_store(database_url).app, uppdrag=1)
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as connection:
            for statement in (
                "UPDATE stored_events SET topic = topic WHERE rowid = 1",
                "DELETE FROM stored_events WHERE rowid = 1",
                "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                "SELECT 0, originator_id, originator_version + 1000, topic, state FROM stored_events "
                "WHERE rowid = 3",
            ):
                with pytest.raises(sqlite3.DatabaseError, match="tar bara emot nya händelser"):
                    connection.execute(statement)
        return
    with psycopg.connect(database_url, autocommit=True) as connection:
        for statement in (
            "UPDATE governance_events SET topic = topic WHERE notification_id = 1",
            "DELETE FROM governance_events WHERE notification_id = 1",
            "INSERT INTO governance_events (notification_id, originator_id, originator_version, topic, "
            "state) SELECT 0, originator_id, originator_version + 1000, topic, state FROM governance_events "
            "WHERE notification_id = 3",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="tar bara emot nya händelser"):
                connection.execute(statement)


def test_a_store_file_this_process_may_not_write_is_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0444 file (as for an auditor who is not root; root writes anyway, hence the stand-in for
    the permission check) is opened through SQLite's read-only mode, and nothing is created."""
    settings = Settings(data_dir=tmp_path)
    migrate(settings)
    monkeypatch.setattr("lerum_flow.schema.access.os.access", lambda path, mode: False)

    opened = prepared(settings)

    assert opened.read_only
    env = opened.eventsourcing_env("governance")
    assert env["GOVERNANCE_SQLITE_DBNAME"].endswith("governance.db?mode=ro")
    assert env["CREATE_TABLE"] == "no"


def test_processes_migrating_a_fresh_store_at_once_all_succeed_and_record_each_version_once(
    database_url: str,
) -> None:
    """Workers started together on a fresh store: no lost race, and the versions recorded once."""
    settings = Settings(database_url=database_url)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(settings)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    found = status(settings)
    assert found.state is State.CURRENT
    assert [a.number for a in found.applied] == [m.number for m in MIGRATIONS]


def test_a_store_whose_views_predate_their_history_gets_it_rebuilt_by_the_migration(
    tmp_path: Path, open_store: OpenStore
) -> None:
    """A store at version 2 (views without history tables): `migrate` rebuilds the views from the
    log, so they stand at the log's head with the history a view that followed the log keeps."""
    store = open_store(f"sqlite:///{tmp_path / 'governance.db'}")
    record_history(store.app, uppdrag=3)
    views = ViewStore.open(store.settings)
    try:
        views.projector().catch_up()
        positions = views.projector().positions()
        followed = {t.table: p.view.query(t, {}) for p in views.projections for t in p.view.history_types}
    finally:
        views.close()
    assert followed["beslut_view_history"]
    migrate(store.settings)  # made on first use: recorded at the current version, then set back
    for name in {p.name for p in views.projections}:
        with closing(sqlite3.connect(store.settings.sqlite_path(name))) as connection:
            for table in followed:
                connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.commit()
    with store_connection(store.settings) as connection:
        connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number >= 3")
    assert status(store.settings).state is State.BEHIND

    migrate(store.settings)

    assert status(store.settings).state is State.CURRENT
    views = ViewStore.open(prepared(store.settings))
    try:
        assert views.projector().positions() == positions
        rebuilt = {t.table: p.view.query(t, {}) for p in views.projections for t in p.view.history_types}
        assert rebuilt == followed
    finally:
        views.close()


OWNER_INDEX = "styrdokument_view_owner_idx"
HISTORY_OWNER_INDEX = "styrdokument_view_history_owner_idx"
KONTROLL_HISTORY_OWNER_INDEX = "internkontroll_view_controls_history_owner_idx"
UPPDRAG_WAITING_INDEXES = (
    "uppdrag_view_status_due_idx",
    "uppdrag_view_recipient_status_idx",
    "uppdrag_view_giver_status_idx",
)
STYRDOKUMENT_OVERDUE_INDEX = "styrdokument_view_status_review_by_idx"
BESLUT_TO_REPORT_INDEX = "beslut_view_decided_by_reported_delegering_id_idx"
ARSHJUL_INDEX = "uppdrag_view_giver_title_idx"
UPPDRAG_AS_OF_INBOX_INDEXES = (
    # Cut to PostgreSQL's 63 bytes.
    "uppdrag_view_history_recipient_status_known_until_held_until_id",
    "uppdrag_view_history_giver_status_known_until_held_until_idx",
)
AVVIKELSE_AS_OF_INBOX_INDEX = "avvikelse_view_history_level_status_known_until_held_until_idx"


def _has_index(settings: Settings, view: str, index: str) -> bool:
    """Whether the view has the index, asked of the database itself."""
    if settings.uses_postgres:
        with store_connection(settings) as connection:
            return bool(connection.execute("SELECT to_regclass(%s) IS NOT NULL", (index,)).fetchone()[0])
    with closing(sqlite3.connect(settings.sqlite_path(view))) as connection:
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (index,))
        return found.fetchone() is not None


@pytest.mark.parametrize(
    ("version", "view", "absent"),
    [
        (7, "styrdokument_view", (OWNER_INDEX, HISTORY_OWNER_INDEX)),
        (8, "styrdokument_view", (HISTORY_OWNER_INDEX,)),
        (9, "internkontroll_view", (KONTROLL_HISTORY_OWNER_INDEX,)),
        (10, "uppdrag_view", UPPDRAG_WAITING_INDEXES),
        (10, "styrdokument_view", (STYRDOKUMENT_OVERDUE_INDEX,)),
        (10, "beslut_view", (BESLUT_TO_REPORT_INDEX,)),
        (11, "uppdrag_view", (ARSHJUL_INDEX,)),
        (12, "uppdrag_view", UPPDRAG_AS_OF_INBOX_INDEXES),
        (12, "avvikelse_view", (AVVIKELSE_AS_OF_INBOX_INDEX,)),
    ],
)
def test_a_store_migrated_before_a_views_indexes_gets_them_by_the_migration(
    database_url: str, version: int, view: str, absent: tuple[str, ...]
) -> None:
    """A store migrated before an index existed (version 7: neither of the styrdokument view's on
    `owner`, of its rows nor of its history; version 8: not of its history; version 9: not of the
    internkontroll view's controls' history on `owner`, which a hand-over changes from a day; version
    10: none of those on what waits, which drift status and the inbox read: the uppdrag view's on
    status with deadline, recipient and giver, the styrdokument view's on status and review day, the
    beslut view's on what a position has to report; version 11: not the uppdrag view's on giver and
    title, which the årshjul reads a year by; version 12: not those of the uppdrag view's history on
    recipient and giver, nor the avvikelse view's on level, which an inbox as of a day reads): refused
    until `db migrate`, which makes the
    indexes on the view as it stands, keeping its rows and position."""
    settings = Settings(database_url=database_url)
    migrate(settings)
    views = ViewStore.open(prepared(settings), names=(view,))
    try:
        positions = views.projector().positions()
    finally:
        views.close()
    for index in absent:
        if settings.uses_postgres:
            with store_connection(settings) as connection:
                connection.execute(f"DROP INDEX {index}")
        else:
            with closing(sqlite3.connect(settings.sqlite_path(view))) as connection:
                connection.execute(f"DROP INDEX {index}")
    with store_connection(settings) as connection:
        connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number > {version}")
    assert (status(settings).state, [_has_index(settings, view, i) for i in absent]) == (
        State.BEHIND,
        [False] * len(absent),
    )

    assert [m.number for m in migrate(settings)] == list(range(version + 1, CURRENT_VERSION + 1))

    assert (status(settings).state, [_has_index(settings, view, i) for i in absent]) == (
        State.CURRENT,
        [True] * len(absent),
    )
    views = ViewStore.open(prepared(settings), names=(view,))
    try:
        assert views.projector().positions() == positions
    finally:
        views.close()


def test_a_store_whose_internkontroll_view_predates_its_hand_overs_gets_them_by_the_migration(
    database_url: str,
) -> None:
    """A store at version 9, its internkontroll view without the table of hand-overs though a control
    was handed over: refused until `db migrate`, which rebuilds the view from the log (the hand-over
    listed, the position where the view stood)."""
    settings = Settings(database_url=database_url)
    migrate(settings)
    app = governance(settings.eventsourcing_env("governance"))
    try:
        seed(app)
        plan = plan_with_control(app, MEDARBETARE)
        send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", DAY, "Plan"))
        send(app, "hand_over_control", "ks", plan_id=plan, control=1, owner=SECTOR,
             beslut_id=decide(app, "ks", DAY, "Ny ägare", number=2), handed_over_on=DAY)  # fmt: skip
    finally:
        app.close()
    views = ViewStore.open(prepared(settings), names=("internkontroll_view",))
    try:
        views.projector().catch_up()
        positions = views.projector().positions()
        [handover] = views.projection(InternkontrollProjection).view.select(OverlamningRow)
    finally:
        views.close()
    table = OverlamningRow.table
    if settings.uses_postgres:
        with store_connection(settings) as connection:
            connection.execute(f"DROP TABLE {table}, {table}_history")
    else:
        with closing(sqlite3.connect(settings.sqlite_path("internkontroll_view"))) as connection:
            connection.execute(f"DROP TABLE {table}")
            connection.execute(f"DROP TABLE {table}_history")
            connection.commit()
    with store_connection(settings) as connection:
        connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number > 9")
    assert status(settings).state is State.BEHIND

    assert [m.number for m in migrate(settings)] == list(range(10, CURRENT_VERSION + 1))

    views = ViewStore.open(prepared(settings), names=("internkontroll_view",))
    try:
        assert views.projector().positions() == positions
        assert views.projection(InternkontrollProjection).view.select(OverlamningRow) == [handover]
    finally:
        views.close()
