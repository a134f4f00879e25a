"""Peak memory beside the store's size, and the plain read of the rows an as-of answer consists of."""

from __future__ import annotations

import resource
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.integrity.opening import seal_path
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.bitemporal import as_of_conditions, history_type
from lerum_flow.projections.sql import SQLITE, postgres, select
from lerum_flow.projections.store import PROJECTIONS
from lerum_flow.settings import Settings

REPORT = Goal(GoalKind.REPORT_ONLY, 0.0)
# How often a child process's peak is read while it runs.
CHILD_SAMPLE_SECONDS = 0.1
SELF_STATUS = Path("/proc/self/status")


@dataclass
class PeakMemory:
    """The highest resident memory, in KB, of this process and of its child processes (the largest
    one) while a measurement ran, and the highest of all of them resident at the same moment (a
    rebuild's processes run side by side); `reset` says whether this process's peak was reset at
    the start of every block measured (Linux), else it is its peak since it started."""

    own_kb: int = 0
    children_kb: int = 0
    together_kb: int = 0
    reset: bool = True


@contextmanager
def measuring_peak_memory(found: PeakMemory | None = None) -> Iterator[PeakMemory]:
    """This process's peak reset at the start of the block and read at its end, and the peak of
    each child process sampled while it runs (a rebuild's view processes); with `found`, the
    highest of it and this block (several timed runs, one figure).

    Why: `getrusage` keeps the highest mark since the process started, so every figure after the
    largest one would repeat it; on Linux the mark is reset through /proc.
    """
    if found is None:
        found = PeakMemory()
    found.reset = _reset_own_peak() and found.reset
    stop = threading.Event()

    def sample() -> None:
        while True:
            children = _children()
            found.children_kb = max([found.children_kb, *(_status_kb(c, "VmHWM:") for c in children)])
            resident = sum(_status_kb(p, "VmRSS:") for p in (SELF_STATUS, *children))
            found.together_kb = max(found.together_kb, resident)
            if stop.wait(CHILD_SAMPLE_SECONDS):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield found
    finally:
        stop.set()
        sampler.join()
        found.own_kb = max(found.own_kb, _own_peak_kb())
        # Not `getrusage(RUSAGE_CHILDREN)`: Linux counts, in a child's peak, the memory of the
        # process it was started from (the image exec replaced), so a view's rebuild started from
        # the bench would report the bench's own peak. The samples read each child's own mark.


def peak_memory(ident: str, name: str, settings: Settings, peak: PeakMemory) -> Figure:
    """The measured peak of this process and of its largest child, in MB, beside the size of the
    store (log and views)."""
    own, children = peak.own_kb / 1024, peak.children_kb / 1024
    return Figure(
        ident,
        name,
        "MB",
        value=max(own, children),
        baseline=store_megabytes(settings),
        baseline_name="lagrets storlek (logg och vyer)",
        goal=REPORT,
        details={
            "egen_process_mb": round(own, 1),
            "storsta_barnprocess_mb": round(children, 1),
            "alla_processer_samtidigt_mb": round(peak.together_kb / 1024, 1),
            "egen_topp_nollstalld_fore_matningen": peak.reset,
        },
    )


def command_peak_memory(ident: str, name: str, settings: Settings, peak_kb: int) -> Figure:
    """The peak of one command run in a process of its own, as a user starts it, in MB, beside the
    size of the store (log, views and seal)."""
    return Figure(
        ident,
        name,
        "MB",
        value=peak_kb / 1024,
        baseline=store_megabytes(settings),
        baseline_name="lagrets storlek (logg, vyer och försegling)",
        goal=REPORT,
        details={"kommandots_process_mb": round(peak_kb / 1024, 1)},
    )


def _reset_own_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _own_peak_kb() -> int:
    return _status_kb(SELF_STATUS, "VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _children() -> list[Path]:
    """The /proc status file of each running child of this process (of any of its threads).

    A child that has not yet replaced its image (its command line still ours: between fork and
    exec) is left out: until then its memory is this process's."""
    found: list[Path] = []
    own = _command_line("self")
    for children in Path("/proc/self/task").glob("*/children"):
        try:
            pids = children.read_text(encoding="ascii").split()
        except OSError:
            continue
        found += [Path(f"/proc/{pid}/status") for pid in pids if _command_line(pid) != own]
    return found


def _command_line(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _status_kb(status: Path, field: str) -> int:
    """A /proc status file's `field` in KB (VmHWM: the peak resident set; VmRSS: resident now), 0
    if it cannot be read."""
    try:
        text = status.read_text(encoding="ascii")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def store_megabytes(settings: Settings) -> float:
    if settings.uses_postgres:
        with psycopg.connect(settings.database_url) as conn:
            found = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(found[0]) / 2**20 if found else 0.0
    files = [
        settings.sqlite_path("governance"),
        *(settings.sqlite_path(p.name) for p in PROJECTIONS),
        seal_path(settings),  # a sealed store's own file (on PostgreSQL in the same database)
    ]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


def answering_rows(settings: Settings, asked: AsOf) -> int:
    """Read, with plain sqlite3 or psycopg, every history row that answers `asked`; how many."""
    where = as_of_conditions(asked.on, asked.known_on)
    count = 0
    for projection in PROJECTIONS:
        for row_type in projection.sqlite_view.row_types:
            if not row_type.historic:
                continue
            table = history_type(row_type)
            if settings.uses_postgres:
                statement, params = select(postgres("public"), table, where)
                with psycopg.connect(settings.database_url) as conn:
                    count += len(conn.execute(statement, params).fetchall())
            else:
                sqlite_where = {
                    k: v.converted(str) if hasattr(v, "converted") else str(v) for k, v in where.items()
                }
                statement, params = select(SQLITE, table, sqlite_where)
                with closing(sqlite3.connect(settings.sqlite_path(projection.name))) as conn:
                    count += len(conn.execute(statement, params).fetchall())
    return count
