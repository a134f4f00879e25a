"""The causes of a refused connection the local test server cannot be made to give (it trusts every
login): libpq's own words for them, as psycopg raises them and the library wraps them, are told in
Swedish with the setting to check, and a role refused its connection is not taken for a read-only one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import OperationalError

from lerum_flow.cli.store_errors import store_refusal
from lerum_flow.domain.errors import Conflict
from lerum_flow.settings import Settings

SETTINGS = Settings(database_url="postgresql://anna:hemligt-9271@db.lerum.se:6432/styrning")
AT = 'connection failed: connection to server at "10.1.2.3", port 6432 failed: '


def refused_with(said: str) -> tuple[str, str]:
    """The rule and message for libpq's `said`, raised as the library raises it: its own error, from
    psycopg's."""
    try:
        try:
            raise psycopg.OperationalError(said)
        except psycopg.OperationalError as driver:
            raise OperationalError(str(driver)) from driver
    except OperationalError as error:
        refusal = store_refusal(error, SETTINGS)
    assert refusal is not None
    assert "hemligt-9271" not in refusal.message
    return refusal.rule, refusal.message


@pytest.mark.parametrize(
    ("said", "rule", "told"),
    [
        (
            'FATAL:  password authentication failed for user "anna"',
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 tog inte emot lösenordet för användaren 'anna'.",
        ),
        (
            "fe_sendauth: no password supplied",
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 tog inte emot lösenordet för användaren 'anna'.",
        ),
        (
            'FATAL:  no pg_hba.conf entry for host "10.9.9.9", user "anna", database "styrning"',
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 släpper inte in användaren 'anna' till databasen 'styrning'",
        ),
        (
            'FATAL:  permission denied for database "styrning"',
            "databasinloggningen_nekades",
            "Användaren 'anna' får inte ansluta till databasen 'styrning' på PostgreSQL på db.lerum.se:6432",
        ),
        (
            "FATAL:  sorry, too many clients already",
            "databasen_ar_full",
            "PostgreSQL på db.lerum.se:6432 tar inte emot fler anslutningar just nu",
        ),
        (
            "FATAL:  the database system is starting up",
            "databasen_svarar_inte",
            "PostgreSQL på db.lerum.se:6432 startar eller stängs av",
        ),
        (
            "timeout expired",
            "databasen_svarar_inte",
            "PostgreSQL på db.lerum.se:6432 svarar inte: ingen anslutning inom 5 sekunder.",
        ),
    ],
)
def test_a_refused_connection_is_told_in_swedish_by_its_cause(said: str, rule: str, told: str) -> None:
    """Each cause has its rule and a message that names the server, user or database concerned."""
    found_rule, message = refused_with(AT + said)

    assert (found_rule, message[: len(told)]) == (rule, told)
    assert "failed" not in message


def test_an_unknown_cause_names_the_server_and_the_setting_without_the_password() -> None:
    """A cause not known here still names the server and the setting; the driver's words, kept for
    whoever must look further, repeat no password, neither the URL's nor the one given apart."""
    rule, message = refused_with(
        "server said: something new for postgresql://anna:hemligt-9271@db.lerum.se:6432/styrning"
    )

    assert rule == "databasen_svarar_inte"
    assert message.startswith("PostgreSQL på db.lerum.se:6432 gick inte att ansluta till")
    assert "postgresql://anna:***@db.lerum.se:6432/styrning" in message
    assert "--database-url eller LERUM_FLOW_DATABASE_URL" in message


def test_a_store_busy_past_the_wait_is_a_conflict_to_try_again_not_a_setting_to_correct(
    tmp_path: Path,
) -> None:
    """SQLite's "database is locked" (a view held by a rebuild) and PostgreSQL's lock timeout are
    told as the store being busy: a conflict to try again, naming no setting to check."""
    try:
        raise OperationalError("database is locked") from sqlite3.OperationalError("database is locked")
    except OperationalError as error:
        on_file = store_refusal(error, Settings(data_dir=tmp_path))
    rule, on_server = refused_with("ERROR:  canceling statement due to lock timeout")

    assert isinstance(on_file, Conflict)
    assert on_file.rule == "databasen_upptagen"
    assert "är upptagen" in on_file.message
    assert "Kontrollera" not in on_file.message
    assert rule == "databasen_upptagen"
    assert on_server.startswith("Händelselagret på PostgreSQL på db.lerum.se:6432 var låst")
