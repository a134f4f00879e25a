"""The causes of a refused connection the local test server cannot be made to give (it trusts every
login): libpq's own words for them, as psycopg raises them and the library wraps them, are told in
Swedish with the setting to check, and a role refused its connection is not taken for a read-only one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import OperationalError, PersistenceError, ProgrammingError

from lerum_flow.cli.store_errors import store_refusal
from lerum_flow.domain.errors import Conflict, NotPermitted
from lerum_flow.settings import Settings
from lerum_flow.store_lock import is_busy

SETTINGS = Settings(database_url="postgresql://anna:hemligt-9271@db.lerum.se:6432/styrning")
AT = 'connection failed: connection to server at "10.1.2.3", port 6432 failed: '


def wrapped(driver: Exception, library: type[PersistenceError] = OperationalError) -> PersistenceError:
    """The driver's error as the library raises it: its own error of the same kind, from the driver's."""
    try:
        try:
            raise driver
        except Exception as caught:
            raise library(str(caught)) from caught
    except PersistenceError as error:
        return error


def refused_with(said: str) -> tuple[str, str]:
    """The rule and message for libpq's `said`, raised as psycopg raises it (no SQLSTATE) and the
    library wraps it."""
    refusal = store_refusal(wrapped(psycopg.OperationalError(said)), SETTINGS)
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


# What a PostgreSQL installed in Swedish (lc_messages = 'sv_SE.UTF-8') says, word for word as PostgreSQL
# 15's own Swedish catalogue has it, after libpq's "connection failed: ..." for a connection refused.
SVENSK = 'connection failed: connection to server at "10.1.2.3", port 6432 failed: FATALT:  '


def refused_by_code(code: str, said: str) -> tuple[str, str]:
    """The rule and message for the server's error `code` with its words `said`, raised as psycopg
    raises an error the server sent (its class and SQLSTATE) and as the library wraps it."""
    refusal = store_refusal(wrapped(psycopg.errors.lookup(code)(said)), SETTINGS)
    assert refusal is not None
    return refusal.rule, refusal.message


@pytest.mark.parametrize(
    ("code", "said", "rule", "told"),
    [
        pytest.param(
            "3D000",
            "Datenbank »styrning« existiert nicht",
            "databasen_finns_inte",
            "Databasen 'styrning' finns inte på PostgreSQL på db.lerum.se:6432.",
            id="3D000",
        ),
        pytest.param(
            "28000",
            'rollen "anna" finns inte',
            "databasanvandaren_finns_inte",
            "Användaren 'anna' finns inte på PostgreSQL på db.lerum.se:6432.",
            id="28000-roll",
        ),
        pytest.param(
            "28000",
            "Ident-Authentifizierung für Benutzer »anna« fehlgeschlagen",
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 släpper inte in användaren 'anna' till databasen 'styrning'",
            id="28000-annan",
        ),
        pytest.param(
            "28P01",
            "Passwort-Authentifizierung für Benutzer »anna« fehlgeschlagen",
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 tog inte emot lösenordet för användaren 'anna'.",
            id="28P01",
        ),
        pytest.param(
            "42501",
            'rättighet saknas för databas "styrning"',
            "databasinloggningen_nekades",
            "Användaren 'anna' får inte ansluta till databasen 'styrning' på PostgreSQL på db.lerum.se:6432",
            id="42501-connect",
        ),
        pytest.param(
            "53300",
            "zu viele Verbindungen von Rolle »anna«",
            "databasen_ar_full",
            "PostgreSQL på db.lerum.se:6432 tar inte emot fler anslutningar just nu",
            id="53300",
        ),
        pytest.param(
            "57P03",
            "das Datenbanksystem startet",
            "databasen_svarar_inte",
            "PostgreSQL på db.lerum.se:6432 startar eller stängs av",
            id="57P03",
        ),
        pytest.param(
            "57P01",
            "avslutar anslutning på grund av ett administratörskommando",
            "databasen_svarar_inte",
            "PostgreSQL på db.lerum.se:6432 bröt förbindelsen.",
            id="57P01",
        ),
        pytest.param(
            "55P03",
            "avbryter sats på grund av lås-timeout",
            "databasen_upptagen",
            "Händelselagret på PostgreSQL på db.lerum.se:6432 var låst längre än väntetiden",
            id="55P03",
        ),
    ],
)
def test_an_error_the_server_gave_a_sqlstate_is_known_by_its_code_in_whatever_language_it_speaks(
    code: str, said: str, rule: str, told: str
) -> None:
    """A server that speaks Swedish or German (or words a message differently in another version) is
    understood by the SQLSTATE it sent, not by words it did not use; only where two causes share a code
    (28000: a role that does not exist, a login refused) do the words tell them apart, and a login
    refused is what 28000 is taken for when they cannot."""
    found_rule, message = refused_by_code(code, said)

    assert (found_rule, message[: len(told)]) == (rule, told)


@pytest.mark.parametrize(
    ("said", "rule", "told"),
    [
        pytest.param(
            'databasen "styrning" existerar inte',
            "databasen_finns_inte",
            "Databasen 'styrning' finns inte på PostgreSQL på db.lerum.se:6432.",
            id="databas",
        ),
        pytest.param(
            'rollen "anna" finns inte',
            "databasanvandaren_finns_inte",
            "Användaren 'anna' finns inte på PostgreSQL på db.lerum.se:6432.",
            id="roll",
        ),
        pytest.param(
            'Lösenordsautentisering misslyckades för användare "anna"',
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 tog inte emot lösenordet för användaren 'anna'.",
            id="losenord",
        ),
        pytest.param(
            'pg_hba.conf avvisar anslutning för värd "10.9.9.9", användare "anna", databas "styrning"',
            "databasinloggningen_nekades",
            "PostgreSQL på db.lerum.se:6432 släpper inte in användaren 'anna' till databasen 'styrning'",
            id="pg_hba",
        ),
        pytest.param(
            'rättighet saknas för databas "styrning"\nDETAIL:  Användaren har inte rättigheten CONNECT.',
            "databasinloggningen_nekades",
            "Användaren 'anna' får inte ansluta till databasen 'styrning' på PostgreSQL på db.lerum.se:6432",
            id="connect",
        ),
        pytest.param(
            "ledsen, för många klienter",
            "databasen_ar_full",
            "PostgreSQL på db.lerum.se:6432 tar inte emot fler anslutningar just nu",
            id="fullt",
        ),
        pytest.param(
            'för många uppkopplingar till databasen "styrning"',
            "databasen_ar_full",
            "PostgreSQL på db.lerum.se:6432 tar inte emot fler anslutningar just nu",
            id="fullt-databas",
        ),
        pytest.param(
            "databassystemet stänger ner",
            "databasen_svarar_inte",
            "PostgreSQL på db.lerum.se:6432 startar eller stängs av",
            id="stanger",
        ),
    ],
)
def test_a_connection_a_swedish_server_refused_is_known_by_its_words_which_carry_no_code(
    said: str, rule: str, told: str
) -> None:
    """A refusal while the connection is opened reaches psycopg 3.3 as libpq's text alone, with no
    SQLSTATE: what a PostgreSQL installed in Swedish says is known too, not only its English."""
    found_rule, message = refused_with(SVENSK + said)

    assert (found_rule, message[: len(told)]) == (rule, told)


def test_an_english_refusal_of_the_connection_names_a_full_role_or_database_as_full() -> None:
    """The server's words for a role's or a database's connection limit reached are the server being
    full for this user, as "too many clients" is."""
    found_rule, message = refused_with(AT + 'FATAL:  too many connections for role "anna"')

    assert found_rule == "databasen_ar_full"
    assert message.startswith("PostgreSQL på db.lerum.se:6432 tar inte emot fler anslutningar just nu")


@pytest.mark.parametrize(
    ("code", "said"),
    [
        pytest.param("42501", "rättighet saknas för tabell governance_events", id="42501"),
        pytest.param("25006", "kan inte köra INSERT i read-only-transaktion", id="25006"),
        pytest.param("42501", "keine Berechtigung für Tabelle governance_events", id="42501-de"),
        pytest.param(
            "25006", "INSERT kann nicht in einer Read-Only-Transaktion ausgeführt werden", id="25006-de"
        ),
    ],
)
def test_a_write_the_server_refused_for_lack_of_rights_is_known_by_its_code_in_any_language(
    code: str, said: str
) -> None:
    """A role that may only read, or a server that only reads, refused a write: told as such whatever
    the server's language."""
    refusal = store_refusal(wrapped(psycopg.errors.lookup(code)(said), ProgrammingError), SETTINGS)

    assert isinstance(refusal, NotPermitted)
    assert refusal.rule == "skrivskyddat"


def test_an_error_the_server_gave_another_code_is_not_taken_for_a_cause_by_its_words() -> None:
    """Words that look like a cause's do not make the error that cause when the server's code says it
    is another: a table not found, whatever its name, is not a write refused."""
    not_found = psycopg.errors.lookup("42P01")('relation "permission denied" does not exist')

    assert store_refusal(wrapped(not_found, ProgrammingError), SETTINGS) is None


def test_a_lock_held_past_the_wait_is_busy_by_its_code_in_any_language() -> None:
    """The rebuild of the views waits for a view another process holds: the server's lock timeout is
    known by its SQLSTATE, whatever its words."""
    held = psycopg.errors.LockNotAvailable("storniere Anfrage wegen Zeitüberschreitung einer Sperre")

    assert is_busy(wrapped(held))


def test_a_connection_lost_while_handling_another_error_is_told_by_its_own_words() -> None:
    """The code of an error the failure happened while handling (a table not found, then the
    connection lost as the library gave up) is not the failure's: its own words still tell it."""
    not_found = wrapped(psycopg.errors.lookup("42P01")('relation "x" does not exist'), ProgrammingError)
    try:
        raise not_found
    except ProgrammingError:
        lost = wrapped(psycopg.OperationalError("server closed the connection unexpectedly"))
    refusal = store_refusal(lost, SETTINGS)

    assert refusal is not None
    assert refusal.message.startswith("PostgreSQL på db.lerum.se:6432 bröt förbindelsen.")
