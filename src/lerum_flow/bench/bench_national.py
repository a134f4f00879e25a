"""National scale: one store per municipality, one year each, all views rebuilt and verified.

Stores are rebuilt in parallel processes, one per core. The stores are made
from a few generated templates (each a municipality's year through the real
application, with its own seed) copied to every municipality: generating 290
years through the application would take hours, and what is measured here is
the rebuild and the verification, which do not depend on how the rows came.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from lerum_flow.bench.profiling import rebuild_profile
from lerum_flow.bench.rawsql import Backend
from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.bench.stores import open_governance, sqlite_path, sqlite_settings
from lerum_flow.bench.timing import rate, stopwatch
from lerum_flow.bench.views import check
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.workload import generate
from lerum_flow.projections.rebuild import rebuild_views

GOAL = Goal(GoalKind.REPORT_ONLY, text="rapportera väggtid och flaskhals")


@dataclass(frozen=True)
class Template:
    directory: Path
    recorded: dict[str, int]
    events: int
    seconds: float


@dataclass(frozen=True)
class Outcome:
    events: int
    seconds: float
    problems: list[str]


def national(
    workdir: Path, *, municipalities: int, templates: int, profile: Profile, seed: int, workers: int
) -> list[Figure]:
    context = multiprocessing.get_context("spawn")  # no inherited connections or threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        jobs = [(workdir / f"mall-{i:02d}", profile, seed + i) for i in range(min(templates, municipalities))]
        made = list(pool.map(_template, *zip(*jobs, strict=True)))
        stores = [workdir / f"kommun-{i:03d}" for i in range(municipalities)]
        with stopwatch() as copying:
            for i, store in enumerate(stores):
                _copy(made[i % len(made)].directory, store)
        with stopwatch() as reading:
            read = sum(pool.map(_read, stores))
        expected = [made[i % len(made)] for i in range(municipalities)]
        with stopwatch() as building:
            outcomes = list(
                pool.map(
                    _rebuild_and_check, stores, [t.recorded for t in expected], [t.events for t in expected]
                )
            )
    events = sum(o.events for o in outcomes)
    problems = [f"{s.name}: {p}" for s, o in zip(stores, outcomes, strict=True) for p in o.problems]
    shares = rebuild_profile(sqlite_settings(stores[0]))
    bottleneck = max(shares, key=lambda k: shares[k])
    return [
        Figure(
            "national",
            f"Nationell skala: {municipalities} kommuner, ett år, ombyggda och kontrollerade",
            "s",
            value=building.wall,
            baseline=reading.wall,
            baseline_name="samma lager lästa rått i ordning, lika många processer",
            goal=GOAL,
            details={
                "kommuner": municipalities,
                "mallar": len(made),
                "processer": workers,
                "handelser": events,
                "handelser_per_s": round(rate(events, building.wall)),
                "lasta_rader": read,
                "kontrollerade_utan_fel": municipalities - len({p.split(":")[0] for p in problems}),
                "fel": problems[:20],
                "summa_sekunder_per_lager": round(sum(o.seconds for o in outcomes), 1),
                "mallgenerering_sekunder": round(max(t.seconds for t in made), 1),
                "kopiering_sekunder": round(copying.wall, 1),
                # The stores are independent and the cores saturated: the time grows with their number.
                "uppskattat_for_290_kommuner_sekunder": round(building.wall * 290 / municipalities),
                "flaskhals": bottleneck,
                "tidsandelar_i_ombyggnad": shares,
            },
        )
    ]


def _template(directory: Path, profile: Profile, seed: int) -> Template:
    """One municipality's year through the application (in a worker process)."""
    settings = sqlite_settings(directory)
    app = open_governance(settings)
    try:
        tally = generate(app, profile, seed=seed)
    finally:
        app.close()
    _checkpoint(sqlite_path(settings))
    return Template(directory, dict(tally.recorded_by), tally.events, tally.seconds)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so copying the file copies every event."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _copy(template: Path, store: Path) -> None:
    store.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "governance.db", store / "governance.db")


def _read(store: Path) -> int:
    return Backend(sqlite=sqlite_path(sqlite_settings(store))).keyset_read()


def _rebuild_and_check(store: Path, recorded: Mapping[str, int], head: int) -> Outcome:
    settings = sqlite_settings(store)
    with stopwatch() as elapsed:
        # One process per store: the stores are what runs in parallel here.
        events = rebuild_views(settings, processes=1).events
        problems = check(settings, recorded, head)
    return Outcome(events, elapsed.wall, problems)
