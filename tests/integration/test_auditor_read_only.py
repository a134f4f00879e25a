"""Every auditor command answers with read rights only, and every write is refused in Swedish.

On PostgreSQL the auditor is a login role in lerum_revisor (deploy/postgres/roles.sql:
SELECT only, transactions read-only by default); on SQLite the files are made
read-only (0444) and opened with `?mode=ro` (the tests run as root, whom file
permissions do not stop, so the URL is what SQLite itself enforces). The store
is made by `db migrate`, its history recorded and sealed by the owner.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from e2e.cli_world import run_in_process
from integration.test_integrity_history import SEAL_TIMES, OpenStore, opened_stores, record_history
from integration.test_integrity_revisor import as_user
from postgres_server import PgServer
from psycopg import sql

from lerum_flow.schema import migrate
from lerum_flow.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "postgres"


@dataclass(frozen=True)
class AuditorStore:
    owner_url: str
    auditor_url: str
    budget: str
    out: Path

    def run(self, *args: str) -> tuple[int, str, str]:
        result = run_in_process(
            ["--database-url", self.auditor_url, *args], {"LERUM_FLOW_PERSON": "p-revisor-1"}
        )
        return result.exit_code, result.stdout, result.stderr

    def fingerprint(self) -> str:
        """Everything a read could change: on SQLite every file's bytes, on PostgreSQL every
        relation, type and trigger of the store and every row of every tracking and version table."""
        if self.owner_url.startswith("sqlite:///"):
            folder = Path(self.owner_url.removeprefix("sqlite:///")).parent
            digest = hashlib.sha256()
            for path in sorted(folder.glob("*.db")):
                digest.update(path.name.encode() + path.read_bytes())
            return digest.hexdigest()
        with psycopg.connect(self.owner_url, autocommit=True) as owner:
            catalog = owner.execute(
                "SELECT (SELECT array_agg(relname ORDER BY relname) FROM pg_class c "
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'), "
                "(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                " WHERE nspname = 'public'), (SELECT count(*) FROM pg_trigger)"
            ).fetchone()
            tables = [
                row[0]
                for row in owner.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND "
                    "(tablename LIKE '%tracking' OR tablename = 'lerum_schema_versions') ORDER BY 1"
                )
            ]
            rows = [
                owner.execute(sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(sql.Identifier(t))).fetchall()
                for t in tables
            ]
            events = owner.execute("SELECT count(*) FROM governance_events").fetchone()
        return repr((catalog, rows, events))


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


@pytest.fixture
def auditor_store(database_url: str, open_store: OpenStore, tmp_path: Path) -> Iterator[AuditorStore]:
    """A migrated, recorded and sealed store, and the URL an auditor reads it with."""
    migrate(Settings(database_url=database_url))
    store = open_store(database_url)
    budget = str(record_history(store.app, uppdrag=2))
    store.seal(SEAL_TIMES[0])
    store.app.close()
    out = tmp_path / "revisorn"
    out.mkdir()
    if database_url.startswith("sqlite:///"):
        for path in Path(database_url.removeprefix("sqlite:///")).parent.glob("*.db"):
            path.chmod(0o444)
        yield AuditorStore(database_url, f"{database_url}?mode=ro", budget, out)
        return
    auditor = f"lf_revisor_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute((DEPLOY / "roles.sql").read_text(encoding="utf-8").encode())
        owner.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'test' IN ROLE lerum_revisor").format(
                sql.Identifier(auditor)
            )
        )
        owner.execute(
            sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(sql.Identifier(auditor))
        )
    try:
        yield AuditorStore(database_url, as_user(database_url, auditor), budget, out)
    finally:
        with psycopg.connect(database_url, autocommit=True) as owner:
            owner.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(auditor)))
            owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(auditor)))


READ_COMMANDS: dict[str, tuple[str, ...]] = {
    "as-of": ("audit", "as-of", "2027-03-01"),
    "as-of-known-on": ("audit", "as-of", "2027-03-01", "--known-on", "2027-01-05"),
    "history": ("audit", "history", "{budget}"),
    "trace": ("audit", "trace", "--orphans"),
    "authority": ("audit", "authority", "kommundirektor", "--as-of", "2027-03-01"),
    "verify": ("audit", "verify"),
    "export": ("audit", "export", "--as-of", "2027-03-01", "--out", "{out}/underlag.csv"),
    "checkpoint-export": ("audit", "checkpoint", "export", "{out}/kontrollpunkter.json"),
    "beslut-register": ("beslut", "register"),
    "delegering-register": ("delegering", "register"),
    "styrdokument-register": ("styrdokument", "register"),
    "styrdokument-tree": ("styrdokument", "tree"),
    "styrdokument-due": ("styrdokument", "due"),
    "forordnande-list": ("forordnande", "list", "--all"),
    "organisation-list": ("organisation", "list", "--date", "2027-03-01"),
    "uppdrag-tree": ("uppdrag", "tree", "{budget}"),
    "uppdrag-mine": ("uppdrag", "mine", "--as", "ks"),
    "avvikelse-board": ("avvikelse", "board"),
    "internkontroll-status": ("internkontroll", "status", "2027"),
    "projections-status": ("projections", "status"),
    "katalog-list": ("katalog", "list"),
    "db-status": ("db", "status"),
    "drift-status": ("drift", "status"),
}


def _args(store: AuditorStore, args: tuple[str, ...]) -> list[str]:
    return [a.format(budget=store.budget, out=store.out) for a in args]


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_every_auditor_command_answers_with_read_rights_only_and_changes_nothing(
    auditor_store: AuditorStore, command: str
) -> None:
    """The auditor's question gets its answer (exit 0), and neither a table, a type, a view's
    position nor a row of the store is created or moved by asking it."""
    before = auditor_store.fingerprint()

    code, stdout, stderr = auditor_store.run(*_args(auditor_store, READ_COMMANDS[command]))

    assert code == 0, stdout + stderr
    assert auditor_store.fingerprint() == before


def test_the_registers_under_read_rights_show_what_the_owner_recorded(auditor_store: AuditorStore) -> None:
    """Views behind the log are not caught up by an auditor: the answer is replayed from the log
    and says so, with the position it reaches."""
    code, stdout, stderr = auditor_store.run("--json", "beslut", "register")

    assert code == 0, stderr
    registered = json.loads(stdout)
    assert any(row["id"] == auditor_store.budget for row in registered["beslut"]), registered
    code, _, stderr = auditor_store.run("beslut", "register")
    assert code == 0
    assert "omspelad till position" in stderr


WRITE_COMMANDS: dict[str, tuple[str, ...]] = {
    "beslut-take": (
        "beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2027/9",
        "--paragraf", "§ 9", "--title", "Revisorn försöker", "--date", "2027-03-02",
    ),
    "uppdrag-accept": ("uppdrag", "accept", "{budget}", "--as", "ks", "--date", "2027-03-02"),
    "katalog-set": ("katalog", "set", "p-1", "--name", "Anna"),
    "audit-seal": ("audit", "seal"),
    "projections-rebuild": ("projections", "rebuild"),
    "db-migrate": ("db", "migrate"),
}  # fmt: skip


@pytest.mark.parametrize("command", WRITE_COMMANDS)
def test_a_write_under_read_rights_is_refused_in_swedish_and_records_nothing(
    auditor_store: AuditorStore, command: str
) -> None:
    """Exit 1, a Swedish refusal saying the role may only read, and the store as it was."""
    before = auditor_store.fingerprint()

    code, stdout, stderr = auditor_store.run(*_args(auditor_store, WRITE_COMMANDS[command]))

    assert code == 1, stdout + stderr
    assert "får bara läsa" in stderr
    assert "Internt fel" not in stderr
    assert auditor_store.fingerprint() == before


# What a read must never send: DDL or a write (the statement's first word), or anything refused.
_WRITE = re.compile(r"\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|TRUNCATE|GRANT|COMMENT|LOCK)\b", re.I)
_LOGGED = re.compile(r"^\S+ (?P<level>[A-Z]+):\s+(?:statement|execute [^:]*): (?P<sql>.*)", re.S)


def _not_a_read(entry: str) -> bool:
    """One log entry of the role (after `role@`): refused, or a statement that creates or writes."""
    level = entry.split(":", 1)[0].rsplit(" ", 1)[-1]
    if level in ("ERROR", "FATAL"):
        return True
    logged = _LOGGED.match(entry)
    return logged is not None and _WRITE.match(logged["sql"]) is not None


def _server_logs(server: PgServer) -> list[Path]:
    own = [server.pgdata / "log"] if server.pgdata is not None else []
    found = [*own, *Path("/var/log/postgresql").glob("postgresql-*.log")]
    return [path for path in found if path.is_file() and os.access(path, os.R_OK)]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_server_log_shows_no_ddl_and_no_write_from_an_auditor_command(
    auditor_store: AuditorStore, postgres_server: PgServer
) -> None:
    """Every statement the auditor's role sends while answering every auditor command is logged
    (log_statement = all for that role only): not one creates, writes or is refused."""
    auditor = urlparse(auditor_store.auditor_url).username
    assert auditor is not None
    logs = _server_logs(postgres_server)
    if not logs:
        pytest.skip("the PostgreSQL server's log is not readable from here")
    sizes = {path: path.stat().st_size for path in logs}
    with psycopg.connect(auditor_store.owner_url, autocommit=True) as owner:
        owner.execute(sql.SQL("ALTER ROLE {} SET log_statement = 'all'").format(sql.Identifier(auditor)))

    for args in READ_COMMANDS.values():
        code, stdout, stderr = auditor_store.run(*_args(auditor_store, args))
        assert code == 0, stdout + stderr

    lines = []
    for path, size in sizes.items():
        with path.open("rb") as log:
            log.seek(size)
            lines += log.read().decode("utf-8", errors="replace").splitlines()
    # A statement may span lines: each logged statement starts with the role's name in the prefix.
    statements = "\n".join(lines).split(f"{auditor}@")[1:]
    if not statements:
        pytest.skip("the server's log lines do not name the role (log_line_prefix without %u)")
    assert any("SELECT" in statement for statement in statements)
    offending = [entry.strip()[:200] for entry in statements if _not_a_read(entry)]
    assert offending == []
