"""The bench's floor under the rebuild copies exactly the rows the views hold, and leaves nothing
behind, on SQLite and PostgreSQL: no time is asserted."""

from __future__ import annotations

import psycopg
import pytest
from integration.conftest import Store
from integration.test_projections_history import generate_history

from lerum_flow.bench.view_copy import SCRATCH_SCHEMA, view_copy_seconds
from lerum_flow.projections.rebuild import rebuild_views

pytestmark = pytest.mark.slow


def _rows_held(store: Store) -> int:
    """Every row of every table of every view: current rows and their history."""
    return sum(p.view.count(t, {}) for p in store.views.projections for t in p.view.all_row_types)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_view_copy_copies_every_row_the_views_hold_and_removes_its_copies(
    store: Store, threads: int
) -> None:
    generate_history(store.app, 800)
    rebuild_views(store.settings, processes=1)
    held = _rows_held(store)
    assert held > 100  # current rows and their history

    seconds, copied = view_copy_seconds(store.settings, threads)

    assert copied == held
    assert seconds > 0
    if store.settings.uses_postgres:
        with psycopg.connect(store.settings.database_url) as conn:
            left = conn.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE %s",
                (f"{SCRATCH_SCHEMA}%",),
            ).fetchone()
        assert left == (0,)
    assert _rows_held(store) == held  # the views themselves untouched
