"""A PostgreSQL store the command line cannot use (a server not there, a database or user that does
not exist, a malformed address) is refused in Swedish naming what to check, exit 1, no traceback,
nothing recorded, and never with the password given in the address."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from e2e.cli_world import Cli, run_process
from postgres_server import PgServer, unique_database_name
from typer.testing import Result

PASSWORD = "hemligt-9271"
# Words of psycopg's and the server's own diagnosis: none may reach the user.
ENGLISH = ("does not exist", "connection failed", "Connection refused", "failed to resolve", "Traceback")
ESTABLISH = ["organisation", "establish", "--id", "chef-ny", "--name", "Ny chef", "--kind", "chef",
             "--parent", "larande", "--date", "2027-01-10", "--as", "larande"]  # fmt: skip
# Commands that open the store first thing: a read, a write, the migration, the web and the worker.
STARTS = [
    pytest.param(["organisation", "list"], id="read"),
    pytest.param(ESTABLISH, id="write"),
    pytest.param(["db", "migrate"], id="migrate"),
    pytest.param(["serve", "--dev", "--port", "0"], id="web"),
    pytest.param(["worker"], id="worker"),
]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The CLI in-process with a person set; the store is whatever --database-url names."""
    return Cli(data_dir=tmp_path / "data")


def refusal_of(result: Result) -> dict[str, str]:
    """The refusal a --json run printed, checked to be one: exit 1 and nothing but it on stdout."""
    assert result.exit_code == 1, result.output
    refusal: dict[str, str] = json.loads(result.stdout)
    assert not any(word in result.output for word in ENGLISH), result.output
    return refusal


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (bound and let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.postgres
@pytest.mark.parametrize("command", STARTS)
def test_a_database_that_does_not_exist_is_named_and_not_created(
    cli: Cli, postgres_server: PgServer, command: list[str]
) -> None:
    """Every command that opens the store names the missing database and its server in Swedish, says
    what to do, and creates nothing."""
    name = unique_database_name("wp_saknas_")
    url = (
        f"postgresql://{postgres_server.user}:{PASSWORD}@{postgres_server.host}:{postgres_server.port}/{name}"
    )

    refusal = refusal_of(cli("--json", "--database-url", url, *command))

    where = f"PostgreSQL på {postgres_server.host}:{postgres_server.port}"
    assert refusal["regel"] == "databasen_finns_inte"
    assert refusal["meddelande"].startswith(f"Databasen '{name}' finns inte på {where}.")
    assert f"createdb {name}" in refusal["meddelande"]
    assert PASSWORD not in json.dumps(refusal)
    assert not postgres_server.database_exists(name)


@pytest.mark.postgres
def test_a_user_that_does_not_exist_is_named_without_the_password(
    cli: Cli, postgres_server: PgServer
) -> None:
    """A role the server does not know is named, with the setting to check; the URL's password is not."""
    where = f"{postgres_server.host}:{postgres_server.port}"
    url = f"postgresql://ingen_sadan_roll:{PASSWORD}@{where}/postgres"

    refusal = refusal_of(cli("--json", "--database-url", url, "organisation", "list"))

    assert refusal["regel"] == "databasanvandaren_finns_inte"
    assert refusal["meddelande"].startswith(
        f"Användaren 'ingen_sadan_roll' finns inte på PostgreSQL på {where}."
    )
    assert "--database-url" in refusal["meddelande"]
    assert PASSWORD not in json.dumps(refusal)


@pytest.mark.postgres
def test_the_console_script_names_a_missing_database_in_swedish_without_a_traceback(
    tmp_path: Path, postgres_server: PgServer
) -> None:
    """As typed in a shell, the address given by LERUM_FLOW_DATABASE_URL: one Swedish refusal on
    stderr, exit code 1."""
    name = unique_database_name("wp_saknas_")

    result = run_process(
        "organisation",
        "list",
        data_dir=tmp_path,
        env={"LERUM_FLOW_DATABASE_URL": postgres_server.url(name), "COLUMNS": "300"},
    )

    assert result.returncode == 1, result.stderr
    assert f"Databasen '{name}' finns inte på PostgreSQL på" in result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr
    assert result.stdout == ""


def test_a_server_that_does_not_answer_is_named_in_swedish(cli: Cli) -> None:
    """Nothing listens on the port: the refusal says the server does not answer and what to check,
    without the driver's English."""
    port = free_port()
    url = f"postgresql://anna:{PASSWORD}@127.0.0.1:{port}/lerum"

    refusal = refusal_of(cli("--json", "--database-url", url, "beslut", "register"))

    assert refusal["regel"] == "databasen_svarar_inte"
    assert refusal["meddelande"].startswith(f"PostgreSQL på 127.0.0.1:{port} svarar inte: ")
    assert "är värd och port rätt" in refusal["meddelande"]
    assert PASSWORD not in json.dumps(refusal)


def test_a_host_name_that_cannot_be_looked_up_is_named(cli: Cli) -> None:
    """A host name no name server knows (.invalid never resolves) is named as such."""
    url = "postgresql://anna@lerum-db.invalid:5432/lerum"

    refusal = refusal_of(cli("--json", "--database-url", url, "organisation", "list"))

    assert refusal["regel"] == "databasvarden_okand"
    assert refusal["meddelande"].startswith("Värden 'lerum-db.invalid' går inte att slå upp")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"postgresql://anna:{PASSWORD}@[zz/lerum", id="malformed"),
        pytest.param(f"postgresql://anna:{PASSWORD}@127.0.0.1:femtio/lerum", id="port-no-number"),
        pytest.param(f"postgresql://anna@127.0.0.1/lerum?password={PASSWORD}&port=99999", id="port-too-high"),
        pytest.param(f"mysql://anna:{PASSWORD}@db/lerum", id="unknown-kind"),
    ],
)
def test_an_address_that_cannot_be_used_is_refused_without_its_password(cli: Cli, url: str) -> None:
    """A database address that is malformed, has a port that is no port, or names no database this
    program knows is refused as such before anything connects, the password shown as ***."""
    refusal = refusal_of(cli("--json", "--database-url", url, "organisation", "list"))

    assert refusal["regel"] == "databasadress"
    assert refusal["falt"] == "LERUM_FLOW_DATABASE_URL"
    assert PASSWORD not in json.dumps(refusal)
    assert "***" in refusal["meddelande"]
