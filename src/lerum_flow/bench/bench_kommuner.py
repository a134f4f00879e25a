"""Many municipalities on one PostgreSQL and one worker process: the cost per municipality as N grows.

For each N (1, 2, 4, ...) a fresh database gets N municipalities through
`kommun add` (Lerum's styrmodell under N kommunkoder), each staffed down to an
enhetschef. One `lerum-flow worker --alla-kommuner` process serves them all,
as deployed. Each municipality then reports `deviations` deviations a day
late (the store's clock 30 hours behind while reporting), so each misses the
sektorschef's 24 hours at once: the worker's relay starts its escalation in
the municipality's namespace, the workflow reads it and has the miss
recorded, which escalates it to the kommundirektör, where it stays. One
figure per N: the wall time from the first report until every municipality's
misses are all recorded, divided by N (seconds per municipality), against the
same figure for N = 1 measured in the same run; beside it the worker's
resident memory once it serves all N (its growth per municipality sizes a
fleet), the connections it holds to the database and its CPU while idle. A warm-up deviation
per municipality comes first and is not counted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import psycopg
from psycopg import sql

from lerum_flow.application import Governance
from lerum_flow.bench.bench_escalation import Reports
from lerum_flow.bench.bench_temporal import free_port
from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.bench.stores import PostgresServer
from lerum_flow.demo.short_deadlines import late_clock
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.kommun_register import auditor_role_of
from lerum_flow.kommun_setup import add_kommun
from lerum_flow.settings import Settings, kommun_schema
from lerum_flow.styrmodell import shipped_styrmodell_path
from lerum_flow.temporal_runtime import DevServer
from lerum_flow.temporal_settings import TemporalSettings

GOAL = Goal(GoalKind.REPORT_ONLY, text="kostnad per kommun när N växer")
# Past the sektorschef's 24 hours, short of the kommundirektör's next 24 after the miss.
REPORTED_LATE = timedelta(hours=30)
WAIT_SECONDS = 180.0
POLL_SECONDS = 0.2
IDLE_SECONDS = 10.0


def measure(pg: PostgresServer, *, counts: Sequence[int], deviations: int) -> list[Figure]:
    """The figures on a dev server of this run's own and databases of `pg`, or one row saying why not."""
    missing = pg.unavailable()
    if missing:
        return not_measured(missing)
    temporal = TemporalSettings(address=f"127.0.0.1:{free_port()}")
    with tempfile.TemporaryDirectory(prefix="lerum-kommuner-") as tmp:
        server = DevServer(temporal, Path(tmp) / "temporal")
        try:
            server.start()
            return municipalities(temporal, pg, Path(tmp) / "lager", counts=counts, deviations=deviations)
        except Exception as error:  # a missing binary, a server that did not start, a failed run
            return not_measured(f"mätningen misslyckades: {type(error).__name__}: {error}"[:300])
        finally:
            server.stop()


def municipalities(
    temporal: TemporalSettings, pg: PostgresServer, work: Path, *, counts: Sequence[int], deviations: int
) -> list[Figure]:
    """One figure per N in `counts` (the first is the baseline)."""
    runs: dict[int, tuple[float, int, int, int, float]] = {}
    for n in counts:
        runs[n] = _one_run(temporal, pg.create(), work / f"n{n}", n, deviations)
    first = counts[0]
    baseline = runs[first][0] / first
    figures = []
    for n in counts:
        seconds, rss_kib, misses, connections, idle = runs[n]
        figures.append(
            Figure(
                f"kommuner_{n}",
                f"{n} kommuner × {deviations} eskaleringar genom en workerprocess, sekunder per kommun",
                "s",
                value=seconds / n,
                baseline=baseline,
                baseline_name=f"samma mätning med {first} kommun i samma körning",
                goal=GOAL,
                details={
                    "kommuner": n,
                    "missade_frister": misses,
                    "sekunder_totalt": round(seconds, 3),
                    "workerns_minne_kib": rss_kib,
                    "workerns_anslutningar": connections,
                    "workerns_cpu_i_vila": round(idle, 3),
                },
            )
        )
    return figures


def not_measured(reason: str) -> list[Figure]:
    return [
        Figure("kommuner", "Flera kommuner genom en workerprocess", "s", not_measured=f"ej mätt: {reason}")
    ]


def _one_run(
    temporal: TemporalSettings, url: str, work: Path, n: int, deviations: int
) -> tuple[float, int, int, int, float]:
    work.mkdir(parents=True, exist_ok=True)
    base = Settings(database_url=url)
    # Codes of their own per run: the dev server keeps each namespace's escalations (still open at the
    # kommundirektör) from one run to the next, and a deviation's workflow id repeats between runs.
    codes = [f"{100 * n + i:04d}" for i in range(n)]
    since = datetime.now(UTC).date() - timedelta(days=3)
    try:
        for kod in codes:
            add_kommun(base, kod, _model_file(work, kod), effective_from=since)
        stores = {kod: _reporting(base, kod) for kod in codes}
        try:
            before = _connections(base)
            with _fleet(temporal, base, work / "worker.log") as worker:
                _report_and_wait(stores, base, 1)  # warm-up: every municipality served
                rss = _rss_kib(worker.pid)
                connections = _connections(base) - before
                idle = _idle_cpu_share(worker.pid)
                started = time.perf_counter()
                misses = _report_and_wait(stores, base, deviations)
                elapsed = time.perf_counter() - started
        finally:
            for reports in stores.values():
                reports.governance.close()
    finally:
        _drop_roles(base, codes)
    return elapsed, rss, misses, connections, idle


def _idle_cpu_share(pid: int) -> float:
    """The worker's CPU time over IDLE_SECONDS of nothing to do, as a share of one core: what its
    relays' polling of every municipality's log costs while no process has work."""
    started, cpu = time.perf_counter(), _cpu_seconds(pid)
    time.sleep(IDLE_SECONDS)
    return (_cpu_seconds(pid) - cpu) / (time.perf_counter() - started)


def _cpu_seconds(pid: int) -> float:
    # utime and stime, the 14th and 15th fields after the command's name, in clock ticks.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _connections(base: Settings) -> int:
    """Connections to the run's database (this count's own included, so differences are exact)."""
    with psycopg.connect(base.database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def _model_file(work: Path, kod: str) -> Path:
    text = (
        shipped_styrmodell_path("lerum")
        .read_text(encoding="utf-8")
        .replace('kod = "1441"', f'kod = "{kod}"', 1)
    )
    path = work / f"styrmodell-{kod}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _reporting(base: Settings, kod: str) -> Reports:
    settings = Settings(database_url=base.database_url, kommun=kod, create_tables=False)
    governance = Governance(None, env=settings.eventsourcing_env(), clock=late_clock(REPORTED_LATE))
    return Reports(governance)


def _report_and_wait(stores: dict[str, Reports], base: Settings, each: int) -> int:
    """Report `each` deviations in every municipality, then wait until every one's miss is recorded."""
    before = {kod: _misses(base, kod) for kod in stores}
    reported: dict[str, list[UUID]] = {kod: [] for kod in stores}
    for _ in range(each):
        for kod, reports in stores.items():
            reported[kod].append(reports.one()[0])
    give_up = time.monotonic() + WAIT_SECONDS
    while True:
        now = {kod: _misses(base, kod) for kod in stores}
        if all(now[kod] - before[kod] >= each for kod in stores):
            return sum(now[kod] - before[kod] for kod in stores)
        if time.monotonic() > give_up:
            raise RuntimeError(
                f"missade frister kom inte fram inom {WAIT_SECONDS:.0f} s: {now} (före {before})"
            )
        time.sleep(POLL_SECONDS)


def _misses(base: Settings, kod: str) -> int:
    with psycopg.connect(base.database_url, autocommit=True) as connection:
        row = connection.execute(
            sql.SQL("SELECT count(*) FROM {}.governance_events WHERE topic = %s").format(
                sql.Identifier(kommun_schema(kod))
            ),
            (Avvikelse.DeadlineMissed.TOPIC,),
        ).fetchone()
    return int(row[0]) if row else 0


@contextlib.contextmanager
def _fleet(temporal: TemporalSettings, base: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`lerum-flow worker --alla-kommuner` in a process of its own, as deployed; stopped after."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LERUM_FLOW_", "POSTGRES_"))}
    env |= {
        "LERUM_FLOW_DATABASE_URL": base.database_url,
        "LERUM_FLOW_TEMPORAL_ADDRESS": temporal.address,
        "LERUM_FLOW_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "lerum_flow.cli.main", "worker", "--alla-kommuner"]
    with log.open("ab") as stderr:
        process = subprocess.Popen(  # noqa: S603 - this Python and fixed arguments
            command, stdout=subprocess.DEVNULL, stderr=stderr, env=env, start_new_session=True
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _rss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _drop_roles(base: Settings, codes: Sequence[str]) -> None:
    """Roles belong to the whole server and outlive the run's database: dropped here."""
    with psycopg.connect(base.database_url, autocommit=True) as connection:
        for kod in codes:
            role = auditor_role_of(base, kod)
            if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                connection.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
                connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
