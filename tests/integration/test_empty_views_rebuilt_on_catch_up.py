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
from lerum_flow.projections.runner import Projector
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


def _rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The views each `Projector.rebuild` was asked to rebuild, from now on."""
    rebuilt: list[list[str]] = []
    rebuild = Projector.rebuild

    def recorded(self: Projector, **kwargs: Any) -> int:
        rebuilt.append([p.name for p in self.projections])
        return rebuild(self, **kwargs)

    monkeypatch.setattr(Projector, "rebuild", recorded)
    return rebuilt


def _emptied(views: ViewStore) -> None:
    """The views a rebuild cut short leaves behind: no rows, at position 0."""
    for projection in views.projections:
        if projection.name in EMPTIED:
            projection.view.reset(views.log.name)


def test_views_found_empty_on_a_long_log_are_rebuilt_with_the_rows_following_makes(
    views: ViewStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    views.projector().catch_up()
    followed = dumps(views)
    _emptied(views)
    rebuilt = _rebuilds(monkeypatch)
    projector = views.projector()
    projector.rebuild_empty_from = 1  # this log is short; the default is for a mandate period's

    projector.catch_up()

    assert rebuilt == [list(EMPTIED)]
    assert set(projector.positions().values()) == {projector.head()}
    assert_same_rows(dumps(views), followed)


def test_views_found_empty_on_a_short_log_follow_it_without_a_rebuild(
    views: ViewStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    views.projector().catch_up()
    followed = dumps(views)
    _emptied(views)
    rebuilt = _rebuilds(monkeypatch)
    projector = views.projector()

    projector.catch_up()

    assert rebuilt == []
    assert_same_rows(dumps(views), followed)
