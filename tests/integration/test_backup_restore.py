"""Backup and restore of a PostgreSQL store with the server's own pg_dump and pg_restore (docs/drift.md).

A store is migrated, recorded, its deviations handed on by the relay and a
notice sent, sealed with the auditors' key, and the auditors keep its
checkpoint file. Dumped and restored into a fresh database, it must: prove
its sealed history intact against that file, have its views rebuilt, and
start nothing again (the relay's position and the notice ledger came back
with it), while a deviation reported after the restore is handed on.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from e2e.cli_world import run_in_process
from integration.test_drift_status import report_incident
from postgres_server import PgServer
from unit.governance_world import governance

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.municipal_time import business_day
from lerum_flow.notice_ledger import NoticeLedger
from lerum_flow.relay import Relay, RelayPosition
from lerum_flow.schema import migrate
from lerum_flow.settings import Settings

pytestmark = pytest.mark.postgres

NOTICE = "eskalering/kvittens/larmet"


class StartedEscalations:
    """A relay route standing in for Temporal: the escalations it would start, by deviation."""

    topics: Sequence[str] = (Avvikelse.Reported.TOPIC,)

    def __init__(self) -> None:
        self.started: list[str] = []

    async def __call__(self, event: Any, notification_id: int) -> None:
        self.started.append(str(event.originator_id))


def relay_once(settings: Settings) -> list[str]:
    """One round of the production relay on the store: the escalations it starts."""
    app = governance(settings.eventsourcing_env(), staffed=False)
    position = RelayPosition(settings)
    route = StartedEscalations()
    try:
        asyncio.run(Relay(app, position, [route]).catch_up())
    finally:
        position.close()
        app.close()
    return route.started


def report(settings: Settings, description: str) -> None:
    app = governance(settings.eventsourcing_env())
    try:
        report_incident(app, description, business_day(app.clock()))
    finally:
        app.close()


def server_tool(name: str, server_version: int) -> str:
    """pg_dump/pg_restore of the local PostgreSQL: the server's major version, else the newest."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    matching = [p for p in found if int(p.parts[-3]) == server_version]
    tool = (matching or found or [Path(shutil.which(name) or name)])[-1]
    if not tool.exists():
        pytest.skip(f"{name} finns inte på den här maskinen")
    return str(tool)


def cli(url: str, *args: str) -> tuple[int, str]:
    """Exit code and standard output of `lerum-flow --database-url URL ARGS` (its errors on failure)."""
    result = run_in_process(["--database-url", url, *args], {"LERUM_FLOW_PERSON": "p-drift"})
    return result.exit_code, result.stdout if result.exit_code == 0 else result.stdout + result.stderr


def test_a_dumped_and_restored_store_verifies_against_the_checkpoint_file_and_starts_nothing_again(
    postgres_server: PgServer, postgres_database_url: str, tmp_path: Path
) -> None:
    source = postgres_database_url
    migrate(Settings(database_url=source))
    settings = Settings(data_dir=tmp_path, database_url=source)
    report(settings, "Larmet ur funktion.")
    report(settings, "Reservkraften startade inte.")
    handed_on = relay_once(settings)
    assert len(handed_on) == 2
    # The escalation's notice went out once, and the ledger knows it.
    ledger = NoticeLedger(settings)
    assert ledger.claim(NOTICE, "p-kommundirektor")
    ledger.mark_sent(NOTICE)
    keys = tmp_path / "revisorer"
    assert cli(source, "audit", "keygen", str(keys))[0] == 0
    code, said = cli(source, "audit", "seal", "--nyckel", f"{keys}.privat.pem")
    assert code == 0, said
    checkpoints = tmp_path / "kontrollpunkter.json"
    assert cli(source, "audit", "checkpoint", "export", str(checkpoints))[0] == 0

    with psycopg.connect(source, autocommit=True) as connection:
        version = int(str(connection.execute("SHOW server_version_num").fetchone()[0])[:2])  # type: ignore[index]
    dump = tmp_path / "lerum.dump"
    subprocess.run(
        [server_tool("pg_dump", version), "--format=custom", f"--file={dump}", source],
        check=True,
        timeout=120,
    )
    restored = postgres_server.create_database()
    try:
        subprocess.run(
            [
                server_tool("pg_restore", version),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={restored}",
                str(dump),
            ],
            check=True,
            timeout=120,
        )
        restored_settings = Settings(data_dir=tmp_path / "aterstalld", database_url=restored)

        code, said = cli(restored, "--json", "audit", "verify", "--checkpoints", str(checkpoints))
        assert code == 0, said
        assert json.loads(said)["intakt"] is True
        code, said = cli(restored, "projections", "rebuild")
        assert code == 0, said
        code, said = cli(restored, "--json", "drift", "status")
        assert code == 0, said
        status = json.loads(said)
        assert status["rela"]["efter"] == 0
        assert {view["efter"] for view in status["vyer"].values()} == {0}

        # Nothing handled before the backup is handed on again, and the notice is not sent again.
        assert relay_once(restored_settings) == []
        assert not NoticeLedger(restored_settings).claim(NOTICE, "p-kommundirektor")
        report(restored_settings, "Nytt efter återställningen.")
        assert len(relay_once(restored_settings)) == 1
    finally:
        postgres_server.drop_database(restored)
