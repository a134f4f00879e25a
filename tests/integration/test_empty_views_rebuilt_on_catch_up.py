"""A view found empty when its views are caught up with a long log (never built, or emptied by a
`projections rebuild` cut short with Ctrl-C) is rebuilt from the stored events, as a rebuild does,
instead of following the log page by page: the next read, the web or `projections run` waits
seconds, not a minute. Its rows are the rows that following the log makes."""

from __future__ import annotations

from typing import Any

import pytest
from integration.test_projections_history import generate_history
from integration.test_projections_incremental import assert_same_rows, dumps

from lerum_flow.application import Governance
from lerum_flow.projections import runner
from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.record_rebuild import rebuild_by_record
from lerum_flow.projections.runner import REBUILD_EMPTY_FROM
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

EMPTIED = ("uppdrag_view", "beslut_view")


@pytest.fixture
def views(database_url: str) -> Any:
    settings = Settings(database_url=database_url)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, 400, seed=11)
    app.close()
    store = ViewStore.open(settings)
    yield store
    store.close()


def _rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The views rebuilt record by record (`rebuild_by_record`), from now on."""
    rebuilt: list[str] = []

    def recorded(projection: ViewProjection, log: Any, upto: int) -> int:
        rebuilt.append(projection.name)
        return rebuild_by_record(projection, log, upto)

    monkeypatch.setattr(runner, "rebuild_by_record", recorded)
    return rebuilt


def _emptied(views: ViewStore) -> None:
    """The views a rebuild cut short leaves behind: no rows, at position 0."""
    for projection in views.projections:
        if projection.name in EMPTIED:
            projection.view.reset(views.log.name)


@pytest.mark.parametrize(
    ("rebuild_empty_from", "rebuilt_views"),
    [
        # This log is short: the threshold lowered makes it a long one, as a mandate period's is.
        pytest.param(1, list(EMPTIED), id="long_log_rebuilt"),
        pytest.param(REBUILD_EMPTY_FROM, [], id="short_log_followed"),
    ],
)
def test_views_found_empty_are_rebuilt_on_a_long_log_and_followed_on_a_short_one_with_the_same_rows(
    views: ViewStore, monkeypatch: pytest.MonkeyPatch, rebuild_empty_from: int, rebuilt_views: list[str]
) -> None:
    views.projector().catch_up()
    followed = dumps(views)
    _emptied(views)
    rebuilt = _rebuilds(monkeypatch)
    projector = views.projector()
    projector.rebuild_empty_from = rebuild_empty_from

    projector.catch_up()

    assert rebuilt == rebuilt_views
    assert set(projector.positions().values()) == {projector.head()}
    assert_same_rows(dumps(views), followed)


def test_a_view_rebuilt_by_another_process_after_it_was_found_empty_is_left_as_it_is(
    views: ViewStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The beslut view is read at position 0 (as it was a moment before another process rebuilt it)
    while it is at the head: the catch-up's rebuild finds that in its own transaction and gives up,
    emptying nothing."""
    projector = views.projector()
    projector.catch_up()
    followed = dumps(views)
    positions = projector.positions
    monkeypatch.setattr(projector, "positions", lambda: {**positions(), "beslut_view": 0})
    emptied: list[str] = []
    for projection in views.projections:

        def reset(
            name: str, projection: ViewProjection = projection, previous: Any = projection.view.reset
        ) -> None:
            emptied.append(projection.name)
            previous(name)

        monkeypatch.setattr(projection.view, "reset", reset)
    projector.rebuild_empty_from = 1

    projector.catch_up()

    assert emptied == []
    monkeypatch.undo()
    assert set(projector.positions().values()) == {projector.head()}
    assert_same_rows(dumps(views), followed)
