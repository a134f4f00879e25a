"""The whole benchmark suite: which stores it makes, in which order it measures, and at what size.

Stores are made first; measurements then run one at a time, so that no
benchmark competes with another for the two cores (only the national scale
runs several processes, on purpose).
"""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

from lerum_flow.bench import (
    bench_append,
    bench_audit,
    bench_holdings,
    bench_kommuner,
    bench_read,
    bench_reports,
    bench_startup,
    bench_temporal,
    bench_web,
)
from lerum_flow.bench.bench_national import national
from lerum_flow.bench.rawsql import Backend
from lerum_flow.bench.report import Figure, Report, not_measured
from lerum_flow.bench.stores import (
    PostgresServer,
    copy_store,
    open_governance,
    postgres_server,
    sqlite_path,
    sqlite_settings,
)
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.workload import DEFAULT_SEED, Tally, generate, profile_for_events
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

Say = Callable[[str], None]


@dataclass(frozen=True)
class Sizes:
    """How big each store is; the full run is for reports, the quick one a smoke check."""

    history: Profile  # the as-of store (and, its first mandate period, the rebuild store)
    append: Profile
    latency_history: int
    latency_samples: int
    rebuild_repeats: int
    mandates: int
    wholes: int
    national: int
    national_templates: int
    national_year: Profile
    signals: int
    # Escalations: deviations reported one at a time (the latency), then a burst of them at once.
    escalations: int
    escalation_burst: int
    simulated_years: int
    # Many municipalities through one worker process: N for each run (the first the baseline), and
    # the escalations each municipality has in a run.
    kommuner: tuple[int, ...]
    kommun_escalations: int
    # New processes per command for the start-up figures.
    startup_rounds: int
    # People asked what they held on a random day (who holds a position).
    people: int

    @classmethod
    def full(cls, municipalities: int) -> Sizes:
        return cls(
            history=Profile.lerum(years=12),
            append=Profile.lerum(years=1).scaled(0.5),
            latency_history=20_000,
            latency_samples=300,
            rebuild_repeats=2,
            mandates=200,
            wholes=2,
            national=municipalities,
            national_templates=4,
            national_year=Profile.lerum(years=1),
            signals=200,
            escalations=100,
            escalation_burst=50,
            simulated_years=4,
            kommuner=(1, 2, 4),
            kommun_escalations=20,
            startup_rounds=30,
            people=20,
        )

    @classmethod
    def quick(cls, events: int, municipalities: int) -> Sizes:
        return cls(
            history=_sized(events),
            append=_sized(max(1_000, events // 4), years=1),
            latency_history=max(500, events // 10),
            latency_samples=30,
            rebuild_repeats=1,
            mandates=20,
            wholes=2,
            national=municipalities,
            national_templates=2,
            national_year=_sized(max(1_000, events // 10), years=1),
            signals=20,
            escalations=5,
            escalation_burst=5,
            simulated_years=1,
            kommuner=(1, 2),
            kommun_escalations=3,
            startup_rounds=5,
            people=20,
        )


def _sized(events: int, *, years: int = 4) -> Profile:
    return profile_for_events(default_styrmodell(), events, years=years)


@dataclass(frozen=True)
class SuiteOptions:
    quick: bool
    seed: int = DEFAULT_SEED
    events: int | None = None
    municipalities: int | None = None
    postgres_url: str = ""
    workdir: Path | None = None
    temporal: bool = True
    workers: int = os.cpu_count() or 2

    def sizes(self) -> Sizes:
        if self.quick:
            return Sizes.quick(self.events or 30_000, self.municipalities or 3)
        sizes = Sizes.full(self.municipalities or 290)
        if self.events:
            return replace(sizes, history=_sized(self.events, years=12))
        return sizes


@dataclass(frozen=True)
class Target:
    """A store to measure on: SQLite, or PostgreSQL when a server answers (else why not)."""

    label: str
    settings: Settings
    backend: Backend
    missing: str = ""


def run_suite(options: SuiteOptions, say: Say = lambda _: None) -> Report:
    sizes = options.sizes()
    seed = options.seed
    report = Report(about=_about(options, sizes))
    phases: list[tuple[str, float]] = []

    def step(text: str) -> None:
        phases.append((text.rstrip(" …"), time.perf_counter()))
        say(text)

    with _workdir(options.workdir) as work, postgres_server(options.postgres_url) as pg:
        step("Genererar historiken genom applikationen …")
        history = sqlite_settings(work / "historik")
        tally = _generate(history, sizes.history, seed)
        report.about["historik"] = tally.as_dict()
        mandate = _first_mandate_period(history, work / "mandatperiod", tally, sizes.history)
        step("Start av kommandoraden …")
        report.add(*bench_startup.startup(work / "historik", rounds=sizes.startup_rounds))
        for t in _fresh(work, pg, "tillagg"):
            step(f"Tillägg genom applikationen ({t.label}) …")
            report.add(
                *_measure(
                    t,
                    "append",
                    lambda t: bench_append.append(
                        t.settings, t.backend, sizes.append, seed=seed, label=t.label
                    ),
                )
            )
        for t in _fresh(work, pg, "kommando"):
            step(f"Enskilda kommandon ({t.label}) …")
            report.add(
                *_measure(
                    t,
                    "command",
                    lambda t: bench_append.single_commands(
                        t.settings,
                        t.backend,
                        sizes.append,
                        seed=seed,
                        label=t.label,
                        history=sizes.latency_history,
                        samples=sizes.latency_samples,
                    ),
                )
            )
        for t in _copies(work, pg, mandate):
            step(f"Ombyggnad av alla vyer ({t.label}) …")
            report.add(
                *_measure(
                    t,
                    "rebuild",
                    lambda t: bench_read.full_rebuild(
                        t.settings,
                        t.backend,
                        label=t.label,
                        repeats=sizes.rebuild_repeats,
                        mandate_period=True,
                    ),
                )
            )
        for t in _copies(work, pg, history):
            step(f"As-of ({t.label}) …")
            report.add(
                *_measure(
                    t,
                    "asof",
                    lambda t: bench_read.as_of(
                        t.settings,
                        t.backend,
                        label=t.label,
                        mandates=sizes.mandates,
                        wholes=sizes.wholes,
                        seed=seed,
                    ),
                )
            )
            step(f"Vem som innehar en befattning ({t.label}) …")
            report.add(
                *_measure(
                    t,
                    "holdings",
                    lambda t: bench_holdings.holdings(
                        t.settings, label=t.label, people=sizes.people, seed=seed
                    ),
                )
            )
        step("Webbsidorna …")
        report.add(*bench_web.web_pages(history, label="sqlite", samples=sizes.mandates, seed=seed))
        for t in _sealable_copies(work, pg, history):
            step(f"Revisionens verifiering och export ({t.label}) …")
            report.add(
                *_measure(
                    t, "audit", lambda t: bench_audit.export_and_verify(t.settings, t.backend, label=t.label)
                )
            )
        step("Årsredovisning ur mandatperioden …")
        report.add(*bench_reports.arsredovisning(mandate, default_styrmodell(), with_pdf=not options.quick))
        step("Temporal …")
        report.add(
            *(
                bench_temporal.escalation(sizes.signals, sizes.escalations, sizes.escalation_burst, pg)
                if options.temporal
                else bench_temporal.escalation_not_measured("Temporal hoppades över med --no-temporal")
            )
        )
        report.add(bench_temporal.simulation(sizes.simulated_years))
        step("Flera kommuner genom en workerprocess …")
        report.add(
            *(
                bench_kommuner.measure(pg, counts=sizes.kommuner, deviations=sizes.kommun_escalations)
                if options.temporal
                else bench_kommuner.not_measured("Temporal hoppades över med --no-temporal")
            )
        )
        step(f"Nationell skala: {sizes.national} kommuner …")
        report.add(
            *national(
                work / "nationell",
                municipalities=sizes.national,
                templates=sizes.national_templates,
                profile=sizes.national_year,
                seed=seed,
                workers=options.workers,
            )
        )
    step("Klart")
    report.about["faser_sekunder"] = {
        name: round(later - started, 1) for (name, started), (_, later) in pairwise(phases)
    }
    report.about["slut"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.about["belastning_vid_slut"] = _load()
    return report


def _generate(settings: Settings, profile: Profile, seed: int) -> Tally:
    app = open_governance(settings)
    try:
        return generate(app, profile, seed=seed)
    finally:
        app.close()


def _first_mandate_period(history: Settings, directory: Path, tally: Tally, profile: Profile) -> Settings:
    """The history's first mandate period (four budget years), copied out for the rebuild."""
    target = sqlite_settings(directory)
    last = profile.start_year + 3
    copy_store(history, target, upto=tally.year_ends.get(last) if profile.years > 4 else None)
    return target


def _fresh(work: Path, pg: PostgresServer, name: str) -> Iterator[Target]:
    """Empty stores: a SQLite file and a PostgreSQL database of this run."""
    sqlite = sqlite_settings(work / name)
    yield Target("sqlite", sqlite, Backend(sqlite=sqlite_path(sqlite)))
    missing = pg.unavailable()
    if missing:
        yield Target("postgresql", Settings(), Backend(), missing)
        return
    url = pg.create()
    yield Target("postgresql", Settings(database_url=url), Backend(postgres=url))


def _copies(work: Path, pg: PostgresServer, source: Settings, *, sqlite: bool = True) -> Iterator[Target]:
    """The source store itself (unless not `sqlite`), and the same rows copied into a PostgreSQL
    database."""
    if sqlite:
        yield Target("sqlite", source, Backend(sqlite=sqlite_path(source)))
    missing = pg.unavailable()
    if missing:
        yield Target("postgresql", Settings(), Backend(), missing)
        return
    url = pg.create()
    copy_store(source, Settings(database_url=url))
    yield Target("postgresql", Settings(database_url=url), Backend(postgres=url))


def _sealable_copies(work: Path, pg: PostgresServer, source: Settings) -> Iterator[Target]:
    """The source's log copied into a SQLite store and a PostgreSQL database of their own: sealing
    makes a store's log append-only, which no other measurement's store should become."""
    sqlite = sqlite_settings(work / "revision")
    copy_store(source, sqlite)
    yield Target("sqlite", sqlite, Backend(sqlite=sqlite_path(sqlite)))
    yield from _copies(work, pg, source, sqlite=False)


def _measure(target: Target, what: str, measure: Callable[[Target], list[Figure]]) -> list[Figure]:
    if target.missing:
        return [
            not_measured(
                f"{what}_{target.label}", f"{what} ({target.label})", "", f"ej mätt: {target.missing}"
            )
        ]
    return measure(target)


@contextmanager
def _workdir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    made = Path(tempfile.mkdtemp(prefix="lerum-bench-"))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _about(options: SuiteOptions, sizes: Sizes) -> dict[str, object]:
    return {
        "start": datetime.now(UTC).isoformat(timespec="seconds"),
        "lage": "snabb" if options.quick else "full",
        "slumpfro": options.seed,
        "karnor": os.cpu_count(),
        "processer_nationellt": options.workers,
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "psycopg": version("psycopg"),
        "belastning_vid_start": _load(),
        "profil_historik": sizes.history.as_dict(),
        "profil_tillagg": sizes.append.as_dict(),
        "kommuner": sizes.national,
    }


def _load() -> list[float]:
    """The machine's load average: other processes on the shared cores make every figure slower."""
    return [round(x, 2) for x in os.getloadavg()]
