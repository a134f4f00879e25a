"""A SQLite view's rebuild: resetting it (the start of every rebuild) frees its tables' pages
without writing them again (SQLite built with SECURE_DELETE, as Debian's, zeroed every freed page,
which wrote the whole view once more before the rebuild began), and its indexes, made at the end,
are all there after it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from integration.test_projections_history import generate_history

from lerum_flow.application import Governance
from lerum_flow.projections.beslut import BeslutProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

pytestmark = pytest.mark.slow


def _pages(database: Path) -> tuple[int, int]:
    """The file's pages and its page size, with the write-ahead log moved into it and emptied."""
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]


def _indexes(database: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(database)) as conn:
        found: list[tuple[str, str]] = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        return found


@pytest.fixture
def beslut_view(tmp_path: Path) -> Iterator[tuple[ViewStore, Path]]:
    """A Lerum-shaped history, the beslut view caught up with it, and the view's file."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'governance.db'}")
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    views = ViewStore.open(settings, names=(BeslutProjection.name,))
    try:
        generate_history(app, 3000)
        views.projector().catch_up()
        yield views, settings.sqlite_path(BeslutProjection.name)
    finally:
        views.close()
        app.close()


def test_resetting_a_sqlite_view_writes_a_small_part_of_the_pages_it_frees(
    beslut_view: tuple[ViewStore, Path],
) -> None:
    views, database = beslut_view
    pages, page_size = _pages(database)
    views.projection(BeslutProjection).view.reset(views.log.name)
    written = Path(f"{database}-wal").stat().st_size
    with closing(sqlite3.connect(database)) as conn:
        freed = conn.execute("PRAGMA freelist_count").fetchone()[0]
    assert freed > pages // 2
    assert written < freed * page_size // 10


def test_a_rebuilt_sqlite_view_has_every_index_it_had_following_the_log(
    beslut_view: tuple[ViewStore, Path],
) -> None:
    views, database = beslut_view
    followed = _indexes(database)
    views.projector().rebuild()
    # Every index the view's tables declare (their keys are no index of their own here).
    declared = sum(len(t.indexes) for t in views.projection(BeslutProjection).view.all_row_types)
    assert len(followed) == declared > 0
    assert _indexes(database) == followed
