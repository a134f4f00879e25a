"""Views kept current piece by piece hold exactly the rows of a fresh rebuild, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from integration.conftest import Store
from integration.test_projections_history import generate_history
from unit.governance_world import seed, staff

from lerum_flow.application import Governance
from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.projections import rebuild
from lerum_flow.projections.asof import AsOf, replay
from lerum_flow.projections.effective_pages import in_effect_on
from lerum_flow.projections.rebuild import RebuildFailedError, rebuild_views
from lerum_flow.projections.rows import Row
from lerum_flow.projections.runner import Projector
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

# Each builds or replays a store of thousands of events: seconds, not milliseconds.
pytestmark = pytest.mark.slow


def dumps(views: ViewStore) -> dict[str, dict[str, list[Row]]]:
    """Every row of every view, by view and table."""
    return {p.name: p.view.dump() for p in views.projections}


def fresh_rebuild(views: ViewStore) -> dict[str, dict[str, list[Row]]]:
    """The rows of new in-memory views rebuilt from the same log."""
    fresh = ViewStore.in_memory(views.log)
    try:
        fresh.projector().rebuild()
        return dumps(fresh)
    finally:
        fresh.close()


def assert_same_rows(
    actual: dict[str, dict[str, list[Row]]], expected: dict[str, dict[str, list[Row]]]
) -> None:
    assert actual.keys() == expected.keys()
    for view, tables in expected.items():
        for table, rows in tables.items():
            got = actual[view][table]
            assert len(got) == len(rows), f"{view}.{table}: {len(got)} rows, expected {len(rows)}"
            for mine, theirs in zip(got, rows, strict=True):
                assert mine == theirs, f"{view}.{table}"


def test_views_caught_up_in_small_pages_equal_a_fresh_rebuild(store: Store) -> None:
    """Catching up after each batch of new events, in odd-sized pages, ends with the rebuild's rows."""
    projector = store.views.projector(page_size=37)
    for batch_seed in (1, 2, 3):
        generate_history(store.app, 700, seed=batch_seed)
        projector.catch_up()
    staff(store.app)  # the world's people join the generated municipality's register
    seed(store.app)
    projector.catch_up()
    assert set(projector.positions().values()) == {projector.head()}
    assert_same_rows(dumps(store.views), fresh_rebuild(store.views))


def test_views_following_the_log_while_it_is_written_equal_a_fresh_rebuild(store: Store) -> None:
    """The runner's follow mode (subscription, pages of whatever has arrived) loses and repeats nothing."""
    generate_history(store.app, 500, seed=11)
    projector = store.views.projector(page_size=50)
    stop = threading.Event()
    follower = threading.Thread(target=projector.follow, args=(stop,))
    follower.start()
    try:
        for batch_seed in (12, 13, 14):
            generate_history(store.app, 400, seed=batch_seed)
        staff(store.app)
        seed(store.app)
        deadline = time.monotonic() + 20
        while min(projector.positions().values()) < projector.head() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        follower.join()
    assert set(projector.positions().values()) == {projector.head()}
    assert_same_rows(dumps(store.views), fresh_rebuild(store.views))


def test_rebuilding_the_views_in_place_gives_the_rows_they_had(store: Store) -> None:
    """Dropping and rebuilding the stored views from the log reproduces them row by row."""
    generate_history(store.app, 1500, seed=21)
    projector = store.views.projector(page_size=100)
    projector.catch_up()
    before = dumps(store.views)
    projector.rebuild()
    assert_same_rows(dumps(store.views), before)


def test_views_rebuilt_by_worker_processes_hold_the_rows_of_a_rebuild_in_one(store: Store) -> None:
    """Views rebuilt by two worker processes, each taking the next view waiting, in pages that end
    between topics, end where one process does."""
    recorded = generate_history(store.app, 1500, seed=33)
    single = rebuild_views(store.settings, processes=1, page_size=97).events
    before = dumps(store.views)
    positions = store.views.projector().positions()
    parallel = rebuild_views(store.settings, processes=2, page_size=97)
    assert parallel.events == single > recorded // 2
    assert (parallel.processes, parallel.positions) == (2, positions)
    assert_same_rows(dumps(store.views), before)
    assert (
        store.views.projector().positions()
        == positions
        == dict.fromkeys(positions, store.views.projector().head())
    )


def test_a_view_process_that_fails_fails_the_rebuild_naming_the_view_and_its_error(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a view's process ends in error, the rebuild raises with the view's name and what it said."""
    generate_history(store.app, 200, seed=34)
    failing = tmp_path / "failing-python"
    failing.write_text("#!/bin/sh\necho 'databasen svarar inte' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(failing))  # what the rebuild starts its view processes with
    with pytest.raises(
        RebuildFailedError, match=r"ombyggnaden av \w+_view misslyckades: databasen svarar inte"
    ):
        rebuild_views(store.settings, processes=2)


def test_this_process_rebuilds_the_largest_view_itself_while_its_worker_starts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In two processes, this one takes the beslut view (the largest) at once; the worker takes the
    rest, and every view ends at the head with the rows of a rebuild in one process."""
    generate_history(store.app, 600, seed=35)
    rebuild_views(store.settings, processes=1)
    before = dumps(store.views)
    here: list[str] = []
    in_this_process = rebuild._rebuild_one

    def noted(settings: Settings, name: str, page_size: int) -> int:
        here.append(name)
        return in_this_process(settings, name, page_size)

    monkeypatch.setattr(rebuild, "_rebuild_one", noted)
    rebuilt = rebuild_views(store.settings, processes=2)
    assert here[0] == "beslut_view"
    assert len(here) < len(rebuilt.positions)  # the worker rebuilt the others, or some of them
    assert set(rebuilt.positions.values()) == {store.views.projector().head()}
    assert_same_rows(dumps(store.views), before)


def test_a_view_this_process_fails_to_rebuild_stops_its_worker_and_fails_the_rebuild(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in this process's own rebuild is the rebuild's error, and no worker is left running."""
    generate_history(store.app, 200, seed=36)

    def failing(settings: Settings, name: str, page_size: int) -> int:
        time.sleep(0.5)  # the worker has started and is taking views of its own
        raise RuntimeError(f"{name} gick inte att bygga om")

    started: list[subprocess.Popen[str]] = []
    start = rebuild._Worker.start

    def noted_start(settings: Settings, page_size: int) -> rebuild._Worker:
        worker = start(settings, page_size)
        started.append(worker.process)
        return worker

    monkeypatch.setattr(rebuild, "_rebuild_one", failing)
    monkeypatch.setattr(rebuild._Worker, "start", noted_start)
    with pytest.raises(RuntimeError, match="beslut_view gick inte att bygga om"):
        rebuild_views(store.settings, processes=2)
    assert len(started) == 1
    assert [process.poll() is not None for process in started] == [True]


def test_two_processes_catching_up_the_same_views_apply_each_event_once(store: Store) -> None:
    """Concurrent appliers (a CLI query and the runner) skip what the other has applied."""
    generate_history(store.app, 2000, seed=31)
    other = ViewStore.open(store.settings)
    try:
        appliers = [store.views.projector(page_size=13), other.projector(page_size=29)]
        errors: list[BaseException] = []

        def catch_up(projector: Projector) -> None:
            try:
                projector.catch_up()
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=catch_up, args=(p,)) for p in appliers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert errors == []
    assert_same_rows(dumps(store.views), fresh_rebuild(store.views))


@pytest.mark.postgres
def test_following_goes_on_after_postgresql_drops_every_connection(postgres_database_url: str) -> None:
    """A lost LISTEN connection ends the subscription; the runner restarts it and loses nothing."""
    settings = Settings(database_url=postgres_database_url)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    views = ViewStore.open(settings)
    projector = views.projector(page_size=50)
    stop = threading.Event()
    follower = threading.Thread(target=projector.follow, args=(stop,))
    follower.start()
    try:
        generate_history(app, 300, seed=51)
        _wait_for_head(projector)
        dbname = postgres_database_url.rsplit("/", 1)[-1]
        with psycopg.connect(postgres_database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,)
            )
        generate_history(app, 300, seed=52)
        _wait_for_head(projector)
        stop.set()
        follower.join()
        assert_same_rows(dumps(views), fresh_rebuild(views))
    finally:
        stop.set()
        follower.join()
        views.close()
        app.close()


@pytest.mark.postgres
def test_a_rebuild_outlasts_the_limit_on_idle_transactions(
    postgres_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild holds each view's transaction open while Python works on other pages; the limit
    on transactions left idle (the library sets idle_in_transaction_session_timeout on every
    connection, 5 s unless told) does not end the rebuild's."""
    settings = Settings(
        database_url=postgres_database_url,
        passthrough={"POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "1"},
    )
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    views = ViewStore.open(settings)
    try:
        generate_history(app, 300, seed=53)
        projector = views.projector(page_size=100)
        projector.catch_up()
        before = dumps(views)
        apply_page = Projector._apply_page

        def slowly(self: Projector, *args: Any, **kwargs: Any) -> int:
            time.sleep(1.5)  # every view's transaction idles longer than the server allows
            monkeypatch.undo()
            return apply_page(self, *args, **kwargs)

        monkeypatch.setattr(Projector, "_apply_page", slowly)
        assert projector.rebuild() > 0
        assert_same_rows(dumps(views), before)
    finally:
        views.close()
        app.close()


def _governance_event(event: object) -> GovernanceAggregate.Event:
    assert isinstance(event, GovernanceAggregate.Event)
    return event


def _wait_for_head(projector: Projector, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while min(projector.positions().values()) < projector.head():
        assert time.monotonic() < deadline, f"views at {projector.positions()}, log at {projector.head()}"
        time.sleep(0.05)


@pytest.mark.parametrize("known_on", [None, "first_recorded_day"])
def test_as_of_replays_left_out_by_effective_date_in_the_database_equal_reading_everything(
    store: Store, known_on: str | None
) -> None:
    """Leaving out in SQL the events that take effect later loses nothing the replay would count."""
    generate_history(store.app, 2500, seed=35)
    log = store.views.log
    events = [
        _governance_event(log.mapper.to_domain_event(n))
        for n in log.recorder.select_notifications(start=1, limit=10_000)
    ]
    days = sorted({e.effective_on for e in events})
    head = log.recorder.max_notification_id() or 0
    for on in (days[0], days[len(days) // 3], days[len(days) // 2], days[-1] + timedelta(days=1)):
        as_of = AsOf(on=on, known_on=events[0].timestamp.date() if known_on else None)
        narrowed = replay(log, as_of)
        everything = ViewStore.in_memory(log)
        Projector(log, everything.projections, accept=as_of.includes).catch_up()
        try:
            assert_same_rows(dumps(narrowed), dumps(everything))
        finally:
            narrowed.close()
            everything.close()
        read = in_effect_on(on, always=[])(log.recorder, after=0, upto=head, size=500)
        kept = sum(len(page.notifications) for page in read)
        assert kept == sum(e.effective_on <= on for e in events)  # the database did leave them out
