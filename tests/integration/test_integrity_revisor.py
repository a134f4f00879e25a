"""The PostgreSQL roles in deploy/postgres: a read-only revisor, and a writer under an append-only trigger.

Roles are global to a server: the login roles made here are dropped afterwards;
the group role lerum_revisor is left in place, as deploy/postgres/roles.sql
would leave it on a real server.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from integration.test_integrity_cli import run
from integration.test_integrity_history import (
    SEAL_TIMES,
    SEEDED,
    OpenStore,
    StepClock,
    opened_stores,
    record_history,
)
from psycopg import sql
from unit.governance_world import governance, send

from lerum_flow.integrity import open_stores, seal, verify
from lerum_flow.settings import Settings


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


pytestmark = pytest.mark.postgres

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "postgres"
STORE_TABLES = ("governance_events", "integrity_seals", "integrity_checkpoints")


@dataclass(frozen=True)
class Roles:
    owner_url: str
    revisor_url: str
    writer_url: str


def as_user(url: str, user: str) -> str:
    parsed = urlparse(url)
    return parsed._replace(netloc=f"{user}:test@{parsed.hostname}:{parsed.port}").geturl()


@pytest.fixture
def roles(postgres_database_url: str, open_store: OpenStore) -> Iterator[Roles]:
    """A sealed store with roles.sql and append_only.sql applied, and one login role of each kind."""
    url = postgres_database_url
    store = open_store(url)
    record_history(store.app, uppdrag=2)
    store.seal(SEAL_TIMES[0])
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    revisor, writer = f"lf_revisor_{suffix}", f"lf_writer_{suffix}"
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute((DEPLOY / "roles.sql").read_text(encoding="utf-8").encode())
        owner.execute((DEPLOY / "append_only.sql").read_text(encoding="utf-8").encode())
        owner.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'test' IN ROLE lerum_revisor").format(
                sql.Identifier(revisor)
            )
        )
        # What the application needs to write (see deploy/postgres/README.md): UPDATE
        # only so the library can LOCK the event table.
        owner.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'test'").format(sql.Identifier(writer)))
        for statement in (
            "GRANT SELECT, INSERT, UPDATE ON governance_events TO {}",
            "GRANT USAGE ON SEQUENCE governance_events_notification_id_seq TO {}",
            "GRANT SELECT, INSERT ON integrity_seals, integrity_checkpoints, integrity_link_signatures, "
            "integrity_checkpoint_signatures TO {}",
        ):
            owner.execute(sql.SQL(statement).format(sql.Identifier(writer)))
    try:
        yield Roles(url, as_user(url, revisor), as_user(url, writer))
    finally:
        with psycopg.connect(url, autocommit=True) as owner:
            for role in (revisor, writer):
                owner.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.mark.parametrize("table", STORE_TABLES)
@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO {} SELECT * FROM {} LIMIT 1",
        "UPDATE {} SET position = position",
        "DELETE FROM {}",
        "TRUNCATE {}",
    ],
    ids=["insert", "update", "delete", "truncate"],
)
def test_the_revisor_role_may_read_but_never_change_the_store(
    roles: Roles, table: str, statement: str
) -> None:
    """SELECT works on every table of the store; INSERT, UPDATE, DELETE and TRUNCATE are refused."""
    column = "notification_id" if table == "governance_events" else "position"
    with psycopg.connect(roles.revisor_url, autocommit=True) as revisor:
        count = revisor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
        assert count is not None
        assert count[0] > 0
        text = statement.replace("position", column)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            revisor.execute(sql.SQL(text).format(sql.Identifier(table), sql.Identifier(table)))


def test_the_revisor_role_cannot_create_tables_in_the_store(roles: Roles) -> None:
    """Not even a table of the auditor's own can be added to the store's schema."""
    with (
        psycopg.connect(roles.revisor_url, autocommit=True) as revisor,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        revisor.execute("CREATE TABLE anteckningar (id int)")


def test_verify_and_export_run_with_the_revisor_role(roles: Roles, tmp_path: Path) -> None:
    """The auditors' commands need nothing but SELECT."""
    verified = run(roles.revisor_url, "audit", "verify")
    exported = run(
        roles.revisor_url, "audit", "export", "--as-of", "2099-12-31", "--out", str(tmp_path / "u.csv")
    )
    checkpoints = run(roles.revisor_url, "audit", "checkpoint", "export", str(tmp_path / "kp.json"))

    assert verified.exit_code == 0, verified.output
    assert f"Intakt: {SEEDED + 10} händelser" in verified.stdout
    assert exported.exit_code == 0, exported.output
    assert f"Skrev {SEEDED + 10} händelser" in exported.stdout
    assert checkpoints.exit_code == 0, checkpoints.output


def test_the_writer_records_and_seals_but_cannot_rewrite_history(roles: Roles) -> None:
    """Under the append-only trigger the writer still appends (the table lock needs UPDATE) and seals."""
    env = Settings(database_url=roles.writer_url).eventsourcing_env("governance") | {"CREATE_TABLE": "no"}
    writer = governance(env, clock=StepClock())
    try:
        outcome = send(
            writer,
            "take_beslut",
            "kf",
            decided_by="kf",
            kind="ovrigt",
            diarienummer="KF 2027/99",
            paragraf="§ 99",
            title="Efter förseglingen",
            decided_on=SEAL_TIMES[1].date(),
        )
        sealed = seal(*open_stores(writer, Settings(database_url=roles.writer_url)), now=SEAL_TIMES[1])
        report = verify(*open_stores(writer, Settings(database_url=roles.writer_url)))
    finally:
        writer.close()
    assert outcome.recorded
    assert (sealed.new_events, report.intact, report.checked) == (1, True, SEEDED + 11)
    with psycopg.connect(roles.writer_url, autocommit=True) as connection:
        # UPDATE is granted (for the lock), so it is the trigger that refuses it.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="tar bara emot nya händelser"):
            connection.execute("UPDATE governance_events SET topic = topic WHERE notification_id = 1")
        for statement in (
            "DELETE FROM governance_events WHERE notification_id = 1",
            "DELETE FROM integrity_seals WHERE position = 1",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


@pytest.mark.parametrize("position", [0, -3, 5])
def test_an_insert_not_above_the_last_event_is_refused(roles: Roles, position: int) -> None:
    """A row slipped in at 0, below zero or between sealed events is refused, even for the owner."""
    with (
        psycopg.connect(roles.owner_url, autocommit=True) as owner,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="efter den senaste"),
    ):
        owner.execute(
            "INSERT INTO governance_events (notification_id, originator_id, originator_version, "
            "topic, state) SELECT %s, originator_id, originator_version + 1000, topic, state "
            "FROM governance_events WHERE notification_id = 3",
            (position,),
        )


def test_the_append_only_trigger_holds_for_the_owner_too(roles: Roles) -> None:
    """Rewriting needs the trigger disabled first, a deliberate act by the owner, not a slip."""
    with psycopg.connect(roles.owner_url, autocommit=True) as owner:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            owner.execute("UPDATE governance_events SET topic = topic WHERE notification_id = 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            owner.execute("TRUNCATE integrity_checkpoints")
