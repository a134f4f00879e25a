"""The CLI as a user runs it: in-process through Typer's CliRunner, or as a real process.

Both run against a fresh SQLite store in the test's tmp_path unless a test
passes --database-url. Also the few records most tests start from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result
from unit.governance_world import appoint, staff

from lerum_flow.application import Governance
from lerum_flow.cli.main import main
from lerum_flow.log_pages import head
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

SRC = Path(__file__).resolve().parents[2] / "src"
PERSON = "p-test-01"
# What a subprocess keeps of the parent's environment: enough to run Python.
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


@dataclass
class Cli:
    """`lerum-flow` in-process, with the person and data dir a user would have set."""

    data_dir: Path
    env: dict[str, str | None] = field(default_factory=dict)

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
        environment: dict[str, str | None] = {
            "LERUM_FLOW_DATA_DIR": str(self.data_dir),
            "LERUM_FLOW_PERSON": PERSON,
        }
        environment.update(self.env)
        environment.update(env or {})
        return run_in_process(list(args), environment)

    def record(self, *args: str) -> str:
        """Run a recording command with --json and return the id it printed."""
        result = self("--json", *args)
        assert result.exit_code == 0, result.output
        outcome: dict[str, Any] = json.loads(result.stdout)
        assert outcome["registrerad"] is True, outcome
        return str(outcome["id"])

    def history(self, record_id: str) -> list[dict[str, Any]]:
        result = self("--json", "audit", "history", record_id)
        assert result.exit_code == 0, result.output
        entries: list[dict[str, Any]] = json.loads(result.stdout)
        return entries

    def events(self, record_id: str) -> list[str]:
        return [entry["handelse"] for entry in self.history(record_id)]

    def staff(self) -> Cli:
        """PERSON holds every position of the fixed chain for as long as the record reaches (KF's as
        its sekreterare), recorded through the application as the kanslienhet would when taking the
        system into use."""
        with self._governance() as app:
            staff(app, person=PERSON)
        return self

    def appoint_another(self, position: str, person: str, *, role: str = "") -> None:
        """`person` too holds `position` of the fixed chain, appointed by PERSON."""
        with self._governance() as app:
            appoint(app, position, person, role=role, holder=PERSON)

    @contextmanager
    def _governance(self) -> Iterator[Governance]:
        settings = Settings(
            data_dir=self.data_dir, database_url=self.env.get("LERUM_FLOW_DATABASE_URL") or ""
        )
        app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
        try:
            yield app
        finally:
            app.close()

    def appoint(self, position: str, *, by: str, on: str = "1900-01-01") -> str:
        """PERSON holds `position` (established since) from `on`, appointed by the official `by`."""
        return self.record(
            "forordnande",
            "appoint",
            PERSON,
            "--position",
            position,
            "--valid-from",
            on,
            "--date",
            on,
            "--as",
            by,
        )

    def event_count(self) -> int:
        """How many events the store holds (its highest position), read past the CLI."""
        log = GovernanceLog(Settings(data_dir=self.data_dir).eventsourcing_env("governance"))
        try:
            return head(log.recorder)
        finally:
            log.close()


def run_in_process(args: list[str], env: Mapping[str, str | None]) -> Result:
    """`lerum-flow ARGS` through the same main() the console script runs, with its output captured."""
    runner = CliRunner()
    with runner.isolation(env=env) as (stdout, stderr, output):
        code = main(args)
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(
            runner=runner,
            stdout_bytes=stdout.getvalue(),
            stderr_bytes=stderr.getvalue(),
            output_bytes=output.getvalue(),
            return_value=code,
            exit_code=code,
            exception=None,
        )


def run_process(
    *args: str, data_dir: Path, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m lerum_flow.cli.main ARGS` in a clean environment, as from a shell."""
    environment = {name: os.environ[name] for name in _KEPT if name in os.environ}
    environment |= {"PYTHONPATH": str(SRC), "LERUM_FLOW_DATA_DIR": str(data_dir)}
    environment |= dict(env or {})
    return subprocess.run(
        [sys.executable, "-m", "lerum_flow.cli.main", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ks_verksamhetsplan(cli: Cli) -> str:
    """KS adopts a verksamhetsplan: the political decision uppdrag to the staff trace to."""
    return cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--matter", "verksamhetsplan",
        "--diarienummer", "KS 2026/450", "--paragraf", "§ 201", "--title", "Verksamhetsplan 2027",
        "--date", "2026-12-14",
    )  # fmt: skip


def uppdrag_to_kommundirektor(cli: Cli) -> str:
    plan = ks_verksamhetsplan(cli)
    return cli.record(
        "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--beslut", plan,
        "--title", "Verkställ verksamhetsplan 2027", "--due", "2027-12-31", "--date", "2027-01-10",
    )  # fmt: skip
