"""The auditors' export and verification as they run them: `audit seal`, then `audit verify` and
`audit export`, each a command in a process of its own; its peak memory beside the store's size (it
should stay flat as the store grows) and its wall time beside a plain keyset read of the same log.

Why a process of its own: the bench's own process holds what earlier measurements left, so its peak
says nothing about one command; the operating system keeps each process's peak exactly.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lerum_flow.bench.bench_read import first_and_last_day
from lerum_flow.bench.bench_startup import command_line
from lerum_flow.bench.memory import command_peak_memory
from lerum_flow.bench.rawsql import Backend
from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.settings import Settings

REPORT = Goal(GoalKind.REPORT_ONLY, text="rapporteras")
BASELINE_NAME = "ordnad nyckelläsning av samma logg, sidor om 1000"


@dataclass(frozen=True)
class Run:
    """One command's wall time (its process's start included, as a user waits for it) and peak."""

    seconds: float
    peak_kb: int


def export_and_verify(settings: Settings, backend: Backend, *, label: str) -> list[Figure]:
    """Seal first, as a user would before verifying; then verify, and export every event in force on
    the log's last day (all of them, nearly), as CSV."""
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        _, last = first_and_last_day(log)
    finally:
        log.close()
    sealed = _run(settings, "audit", "seal")
    started = time.perf_counter()
    events = backend.keyset_read()
    read = time.perf_counter() - started
    verified = _run(settings, "audit", "verify")
    with tempfile.TemporaryDirectory(prefix="lerum-bench-export-") as directory:
        out = Path(directory) / "underlag.csv"
        exported = _run(settings, "audit", "export", "--as-of", last.isoformat(), "--out", str(out))
        written = out.stat().st_size
    details = {
        "handelser": events,
        "baslinje_sekunder": round(read, 3),
        "forsegling_sekunder": round(sealed.seconds, 3),
        "forsegling_toppminne_mb": round(sealed.peak_kb / 1024, 1),
    }
    return [
        Figure(
            f"audit_verify_{label}",
            f"Verifiering av den förseglade loggen, audit verify ({label})",
            "s",
            value=verified.seconds,
            baseline=read,
            baseline_name=BASELINE_NAME,
            goal=REPORT,
            details=details,
        ),
        command_peak_memory(
            f"audit_verify_memory_{label}",
            f"  toppminne under verifieringen ({label})",
            settings,
            verified.peak_kb,
        ),
        Figure(
            f"audit_export_{label}",
            f"Revisionsunderlag per {last.isoformat()}, audit export som CSV ({label})",
            "s",
            value=exported.seconds,
            baseline=read,
            baseline_name=BASELINE_NAME,
            goal=REPORT,
            details=details | {"filens_mb": round(written / 2**20, 1)},
        ),
        command_peak_memory(
            f"audit_export_memory_{label}",
            f"  toppminne under exporten ({label})",
            settings,
            exported.peak_kb,
        ),
    ]


def _run(settings: Settings, *argv: str) -> Run:
    """The command on this store, started from a small process of its own (peak_child.py)."""
    store = (
        ["--database-url", settings.database_url]
        if settings.uses_postgres
        else ["--data-dir", str(settings.data_dir)]
    )
    command = [*command_line(), *store, *argv]
    done = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "-m", "lerum_flow.bench.peak_child", *command], capture_output=True, check=False
    )
    code, peak_kb, seconds = done.stdout.split()
    if done.returncode != 0 or int(code) != 0:
        raise RuntimeError(f"{' '.join(command)} gav slutkod {int(code)}: {done.stderr[-500:]!r}")
    return Run(float(seconds), int(peak_kb))
