"""A view's write lock held by another process longer than the store's wait, as a rebuild of that view
holds it (`projections rebuild`, or a follower rebuilding a view it found empty): a follower
(`lerum-flow projections run`, the web's projector) waits and tries again, and catches up once the
lock is let go, instead of ending with sqlite3's own error; a rebuild waits for it likewise instead
of failing."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from integration.test_projections_history import generate_history

from lerum_flow.application import Governance
from lerum_flow.projections import runner
from lerum_flow.projections.beslut import BeslutProjection
from lerum_flow.projections.rebuild import rebuild_views
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell


class NotedLog:
    """The follower's log lines, as (level, event)."""

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self.lines = lines

    def __getattr__(self, level: str) -> Callable[..., None]:
        return lambda event, **_: self.lines.append((level, event))


def test_a_follower_waits_out_a_view_locked_by_another_process_and_then_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The follower logs its wait as the store at work (info), not as a failure warned of each try."""
    logged: list[tuple[str, str]] = []
    monkeypatch.setattr(runner, "logger", NotedLog(logged))
    settings = Settings(data_dir=tmp_path, lock_timeout_seconds=1)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, 300, seed=7)
    app.close()
    store = ViewStore.open(settings)
    projector = store.projector()
    head = projector.head()
    # Another process's write transaction on the beslut view, as a rebuild holds it.
    holder = sqlite3.connect(settings.sqlite_path(BeslutProjection.name), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    failures: list[BaseException] = []
    stop = threading.Event()

    def follow() -> None:
        try:
            projector.follow(stop)
        except BaseException as error:  # what would end `projections run`
            failures.append(error)

    follower = threading.Thread(target=follow, name="follower")
    follower.start()
    try:
        # Longer than the follower's wait for the lock (1 s), twice over.
        follower.join(timeout=2.5)
        still_following = follower.is_alive()
        holder.execute("ROLLBACK")
        deadline = time.monotonic() + 60
        while min(projector.positions().values()) < head and time.monotonic() < deadline and not failures:
            time.sleep(0.1)
        positions = projector.positions()
    finally:
        stop.set()
        follower.join(timeout=30)
        holder.close()
        store.close()

    assert failures == []
    assert still_following
    assert set(positions.values()) == {head}
    assert ("info", "vy_upptagen_vantar") in logged
    assert [event for level, event in logged if level == "warning"] == []


def test_a_rebuild_waits_for_a_view_another_process_holds_and_then_rebuilds_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, lock_timeout_seconds=1)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    generate_history(app, 300, seed=7)
    app.close()
    ViewStore.open(settings).close()  # the views' files made, as on any store in use
    holder = sqlite3.connect(
        settings.sqlite_path(BeslutProjection.name), isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    # Let go after more than twice the store's wait (1 s), while the rebuild is waiting for it.
    letting_go = threading.Timer(2.5, holder.execute, args=("ROLLBACK",))
    letting_go.start()
    try:
        rebuilt = rebuild_views(settings, processes=1)
    finally:
        letting_go.join()
        holder.close()

    store = ViewStore.open(settings)
    try:
        head = store.projector().head()
        assert set(store.projector().positions().values()) == {head}
        assert rebuilt.positions[BeslutProjection.name] == head
    finally:
        store.close()
