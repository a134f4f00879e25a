"""Start-up of the command line: `--help` and a read command, each beside starting Python itself.

Every sample is a whole new process, as a person or a script calling the
command in a loop pays it. The three commands are timed in turn, round after
round, so that a busy moment of the shared machine falls on all of them alike.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.bench.timing import percentile

# Seconds above `python -c pass` that a person does not notice as waiting.
STARTUP_GOAL = Goal(GoalKind.ABOVE_BASELINE_AT_MOST, 0.3, "≤ 0,3 s över baslinjen")
BASELINE_NAME = "python -c pass i samma körning"


def command_line() -> list[str]:
    """How a user starts the CLI: the installed console script, or the module when it is not installed."""
    script = Path(sys.executable).with_name("lerum-flow")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lerum_flow.cli.main"]


def startup(store: Path, *, rounds: int) -> list[Figure]:
    """Median start-up of `--help` and of `audit history ID` on `store` (a SQLite data dir)."""
    record_id = _some_record(store / "governance.db")
    commands: dict[str, Sequence[str]] = {
        "baseline": [sys.executable, "-c", "pass"],
        "help": [*command_line(), "--help"],
        "read": [*command_line(), "--data-dir", str(store), "--json", "audit", "history", record_id],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            samples[name].append(_timed(argv))
    baseline = percentile(samples["baseline"], 50)
    details = {"omgangar": rounds, "baslinje_p99_s": round(percentile(samples["baseline"], 99), 3)}
    return [
        Figure(
            f"cli_startup_{name}",
            title,
            "s",
            value=percentile(samples[name], 50),
            baseline=baseline,
            baseline_name=BASELINE_NAME,
            goal=STARTUP_GOAL,
            details=details | {"p99_s": round(percentile(samples[name], 99), 3)},
        )
        for name, title in (
            ("help", "Start av kommandoraden: lerum-flow --help, median"),
            ("read", "Start av ett läskommando: audit history ID, median"),
        )
    ]


def _timed(argv: Sequence[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(list(argv), capture_output=True, check=False)  # noqa: S603 - our own commands
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} gav slutkod {result.returncode}: {result.stderr[-500:]!r}")
    return elapsed


def _some_record(database: Path) -> str:
    with closing(sqlite3.connect(database)) as connection:
        row = connection.execute("SELECT originator_id FROM stored_events LIMIT 1").fetchone()
    if row is None:
        raise RuntimeError(f"{database} har inga händelser att läsa")
    return str(row[0])
