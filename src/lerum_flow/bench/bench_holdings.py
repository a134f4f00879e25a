"""Who holds a position: what a person held on a random day (`held_by`, as a login asks it) and the
whole register, read from the förordnande view's history (caught up first), each beside a plain
read of the same rows through the same index."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta

import psycopg

from lerum_flow.bench.bench_read import first_and_last_day
from lerum_flow.bench.report import Figure, Goal, GoalKind, latency_figures
from lerum_flow.bench.timing import stopwatch
from lerum_flow.projections.bitemporal import OPEN, history_type
from lerum_flow.projections.forordnande import ForordnandeProjection, ForordnandeRow
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.sql import SQLITE, postgres, select
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewHoldings

REPORT = Goal(GoalKind.REPORT_ONLY, text="rapporteras")
# The register is read whole: fewer samples than people are enough for its p99.
REGISTER_SAMPLES = 10
# Both read what ViewHoldings reads as known now: every history row of theirs that is still known.
KNOWN_NOW = {"known_until": OPEN}

PlainRead = Callable[[dict[str, object]], int]


def holdings(settings: Settings, *, label: str, people: int, seed: int) -> list[Figure]:
    rng = random.Random(seed)  # noqa: S311 - reproducible samples, not secrets
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        first, last = first_and_last_day(log)
    finally:
        log.close()
    store = ViewStore.open(settings, names=(ForordnandeProjection.name,))
    try:
        store.projector().catch_up()
        view = store.projection(ForordnandeProjection).view
        lookups = ViewHoldings(view)
        appointees = sorted({row.appointee for row in view.select(ForordnandeRow)})
        chosen = rng.sample(appointees, min(people, len(appointees)))
        with _plain_reads(settings) as plain:
            held = _held_by(lookups, plain, chosen, (first, last), rng, label)
            whole = _register(lookups, plain, label)
    finally:
        store.close()
    return held + whole


def _held_by(
    lookups: ViewHoldings,
    plain: PlainRead,
    people: list[str],
    days: tuple[date, date],
    rng: random.Random,
    label: str,
) -> list[Figure]:
    first, last = days
    times, raw, held = [], [], 0
    for person in people:
        on = first + timedelta(days=rng.randint(0, (last - first).days))
        with stopwatch() as elapsed:
            held += len(lookups.held_by(person, on))
        times.append(elapsed.wall)
        with stopwatch() as read:
            plain({"appointee": person, **KNOWN_NOW})
        raw.append(read.wall)
    return latency_figures(
        f"holdings_held_by_{label}",
        f"Vem som innehar vad: en persons befattningar en slumpad dag, p{{q}} ({label})",
        times,
        raw,
        "samma historikrader lästa rått genom indexet på personen",
        goals={99: REPORT},
        details={"personer": len(people), "befattningar_per_fraga": round(held / max(1, len(people)), 2)},
    )


def _register(lookups: ViewHoldings, plain: PlainRead, label: str) -> list[Figure]:
    times, raw, terms, rows = [], [], 0, 0
    for _ in range(REGISTER_SAMPLES):
        with stopwatch() as elapsed:
            terms = len(lookups.register())
        times.append(elapsed.wall)
        with stopwatch() as read:
            rows = plain(dict(KNOWN_NOW))
        raw.append(read.wall)
    return latency_figures(
        f"holdings_register_{label}",
        f"  hela registret över förordnanden, p{{q}} ({label})",
        times,
        raw,
        "samma historikrader lästa rått",
        goals={99: REPORT},
        details={"fragor": REGISTER_SAMPLES, "forordnanden": terms, "historikrader": rows},
    )


@contextmanager
def _plain_reads(settings: Settings) -> Iterator[PlainRead]:
    """The förordnande history read with plain sqlite3 or psycopg over one open connection, as the
    view holds one: each call reads every row meeting `where`, and says how many."""
    table = history_type(ForordnandeRow)
    if settings.uses_postgres:
        with psycopg.connect(settings.database_url) as conn:

            def read_postgres(where: dict[str, object]) -> int:
                statement, params = select(postgres("public"), table, where)
                return len(conn.execute(statement, params, prepare=True).fetchall())

            yield read_postgres
        return
    path = settings.sqlite_path(ForordnandeProjection.name)
    with closing(sqlite3.connect(path)) as connection:

        def read_sqlite(where: dict[str, object]) -> int:
            statement, params = select(SQLITE, table, {k: str(v) for k, v in where.items()})
            return len(connection.execute(statement, params).fetchall())

        yield read_sqlite
