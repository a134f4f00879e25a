"""A floor under the rebuild: the rows the views hold, copied by the database itself into empty
tables of the same layout, their indexes made after, as a rebuild makes them.

Why: the rebuild's goal is set against a plain read of the log, but a rebuild must also write
what the views hold. Copied table to table inside the database (SQLite transfers whole records,
PostgreSQL runs INSERT ... SELECT), with no Python in between, that writing is the least any
rebuild of these views can cost here. The bench shows the rebuild beside it, so a missed goal
says how much is the writing and how much the rest. The views are copied by as many threads as
the rebuild has processes (the database does the work, without the interpreter's lock).
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import psycopg
from psycopg import sql

from lerum_flow.bench.timing import stopwatch
from lerum_flow.projections.bitemporal import history_types_of
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import PROJECTIONS
from lerum_flow.settings import Settings

SCRATCH_SCHEMA = "bench_vykopia"


def view_copy_seconds(settings: Settings, processes: int) -> tuple[float, int]:
    """Wall seconds to copy every view's rows (after a rebuild) with `processes` threads, and how
    many rows were copied. The copies are removed afterwards."""
    tables = {p.name: _tables(p.sqlite_view.row_types) for p in PROJECTIONS}
    if settings.uses_postgres:
        return _copy_postgres(settings, [t for names in tables.values() for t in names], processes)
    with tempfile.TemporaryDirectory(prefix="vykopia-") as scratch:
        jobs = [
            (settings.sqlite_path(name), Path(scratch) / f"{name}.db", names)
            for name, names in tables.items()
        ]
        with stopwatch() as copied, ThreadPoolExecutor(max(1, processes)) as pool:
            rows = sum(pool.map(lambda job: _copy_sqlite(*job), jobs))
    return copied.wall, rows


def _tables(row_types: tuple[type[Row], ...]) -> list[str]:
    """A view's tables: its current rows' and their history's (`GovernanceView.all_row_types`)."""
    return [t.table for t in (*row_types, *history_types_of(row_types))]


def _copy_sqlite(source: Path, target: Path, tables: list[str]) -> int:
    """One view's tables into a new file, set up as a view's (WAL, synchronous NORMAL), in one
    transaction: the rows first, then the indexes."""
    with closing(sqlite3.connect(target, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("ATTACH DATABASE ? AS source", (str(source),))
        marks = ", ".join("?" * len(tables))
        found = conn.execute(
            f"SELECT type, sql FROM source.sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL",  # noqa: S608 - placeholders only
            tables,
        ).fetchall()
        for kind, statement in found:
            if kind == "table":
                conn.execute(statement)
        rows = 0
        conn.execute("BEGIN")
        for table in tables:
            cursor = conn.execute(f'INSERT INTO main."{table}" SELECT * FROM source."{table}"')  # noqa: S608 - the views' own table names
            rows += cursor.rowcount
        for kind, statement in found:
            if kind == "index":
                conn.execute(statement)
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE source")
    return rows


# An index's definition as PostgreSQL gives it: "CREATE [UNIQUE] INDEX name ON schema.table USING ...".
_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) (USING .*)$")


def _copy_postgres(settings: Settings, tables: list[str], processes: int) -> tuple[float, int]:
    """Each view table into a table of the same columns in a scratch schema, one transaction per
    table: the rows, then its indexes."""
    schema = settings.store_schema or "public"
    scratch = f"{SCRATCH_SCHEMA}_{os.getpid()}"
    url = settings.database_url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(scratch)))
    try:
        with stopwatch() as copied, ThreadPoolExecutor(max(1, processes)) as pool:
            rows = sum(pool.map(lambda table: _copy_postgres_table(url, schema, scratch, table), tables))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(scratch)))
    return copied.wall, rows


def _copy_postgres_table(url: str, schema: str, scratch: str, table: str) -> int:
    source = sql.Identifier(schema, table)
    target = sql.Identifier(scratch, table)
    with psycopg.connect(url) as conn:
        definitions = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s", (schema, table)
        ).fetchall()
        conn.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS)").format(target, source))
        rows = conn.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(target, source)).rowcount
        for (definition,) in definitions:
            match = _INDEX.match(definition)
            if match is None:
                continue
            unique, _, _, rest = match.groups()
            statement = f"CREATE {unique or ''}INDEX ON {{}} {rest}"
            conn.execute(sql.SQL(statement).format(target))
    return rows
