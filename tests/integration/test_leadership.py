"""Leader election on both stores: one leads at a time, the lead passes on when it is given up or lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

from lerum_flow.leadership import PostgresLeadership, follow_while_leading, lock_key, open_leadership
from lerum_flow.settings import Settings


def test_one_replica_leads_and_the_next_takes_over_when_the_leader_gives_up(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    first, second = open_leadership(settings, "relay"), open_leadership(settings, "relay")
    try:
        assert first.lead()
        assert first.lead()  # still
        assert not second.lead()
        first.close()
        assert second.lead()
        assert not first.lead()
    finally:
        first.close()
        second.close()


def test_the_relay_and_the_projector_lead_apart(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    relay, projector = open_leadership(settings, "relay"), open_leadership(settings, "projektor")
    try:
        assert relay.lead()
        assert projector.lead()
    finally:
        relay.close()
        projector.close()


def test_each_municipality_schema_has_a_lock_of_its_own() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/lf"
    keys = {
        lock_key(Settings(database_url=url, postgres_schema=schema), role)
        for schema in ("", "lerum", "alingsas")
        for role in ("relay", "projektor")
    }
    assert len(keys) == 6


@pytest.mark.postgres
def test_a_leader_whose_session_is_ended_learns_it_and_another_takes_over(
    postgres_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_database_url)
    first, second = PostgresLeadership(settings, "relay"), PostgresLeadership(settings, "relay")
    try:
        assert first.lead()
        with psycopg.connect(postgres_database_url, autocommit=True) as admin:
            # As the server does when a leader's process dies: its session ends, its locks go with it.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        # The server frees the lock when the ended session's process has gone: soon, not at once.
        deadline = time.monotonic() + 30
        while not second.lead():
            assert time.monotonic() < deadline, "låset släpptes aldrig"
            time.sleep(0.05)
        assert not first.lead()
        assert not first.leading
    finally:
        first.close()
        second.close()


def test_a_follower_runs_only_while_its_process_leads(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    holder = open_leadership(settings, "projektor")
    assert holder.lead()
    follower = open_leadership(settings, "projektor")
    stop = threading.Event()
    following = threading.Event()
    changes: list[bool] = []

    def follow(until: threading.Event) -> None:
        following.set()
        stop.set()  # asked to stop while following: `until` then ends the following
        until.wait()

    runner = threading.Thread(
        target=follow_while_leading,
        args=(follower, follow, stop),
        kwargs={"ask_seconds": 0.05, "on_change": changes.append},
    )
    runner.start()
    try:
        # Not while another holds the lead: the follower waits, asking.
        assert not following.wait(0.3)
        holder.close()
        assert following.wait(10)
        runner.join(10)
        assert not runner.is_alive()
        assert changes == [True, False]
    finally:
        stop.set()
        runner.join(10)
        follower.close()
        holder.close()
