"""Peak memory beside the store's size, and the plain read of the rows an as-of answer consists of."""

from __future__ import annotations

import resource
import sqlite3
from contextlib import closing

import psycopg

from lerum_flow.bench.report import Figure, Goal, GoalKind
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.bitemporal import as_of_conditions, history_type
from lerum_flow.projections.sql import SQLITE, postgres, select
from lerum_flow.projections.store import PROJECTIONS
from lerum_flow.settings import Settings

REPORT = Goal(GoalKind.REPORT_ONLY, 0.0)


def peak_memory(ident: str, name: str, settings: Settings) -> Figure:
    """The highest resident memory of this process and of the processes it waited for (a rebuild's),
    in MB, beside the size of the store (log and views)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Figure(
        ident,
        name,
        "MB",
        value=max(own, children) / 1024,
        baseline=store_megabytes(settings),
        baseline_name="lagrets storlek (logg och vyer)",
        goal=REPORT,
        details={"egen_process_mb": round(own / 1024, 1), "barnprocesser_mb": round(children / 1024, 1)},
    )


def store_megabytes(settings: Settings) -> float:
    if settings.uses_postgres:
        with psycopg.connect(settings.database_url) as conn:
            found = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(found[0]) / 2**20 if found else 0.0
    files = [settings.sqlite_path("governance"), *(settings.sqlite_path(p.name) for p in PROJECTIONS)]
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
