"""Eight writers, each with its own Governance on one store, revising ONE uppdrag at once:
every command is recorded exactly once, versions stay contiguous, nothing is lost."""

from __future__ import annotations

import multiprocessing
import random
import threading
from collections import Counter
from collections.abc import Sequence
from uuid import UUID, uuid4

import pytest
from integration.governance_writers import Sent, run_threads, write_to_queue
from unit.governance_world import governance, issue_to_director, seed

from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.settings import Settings

WRITERS = 8
COMMANDS_PER_WRITER = 15
# Processes run truly in parallel (no GIL between them), so they collide far more often;
# more commands each make the longer races, where a slow writer keeps losing, likely.
COMMANDS_PER_PROCESS = 30
# Command ids that two writers send at the same time, as a retry racing its original would.
SHARED_COMMANDS = 8
TIMEOUT_SECONDS = 300


def _plans(per_writer: int = COMMANDS_PER_WRITER) -> tuple[list[list[str]], set[str]]:
    """Per writer: its own command ids plus shared ones, each shared id given to two writers."""
    plans = [[str(uuid4()) for _ in range(per_writer)] for _ in range(WRITERS)]
    shared = [str(uuid4()) for _ in range(SHARED_COMMANDS)]
    for n, command_id in enumerate(shared):
        plans[n % WRITERS].append(command_id)
        plans[(n + 1) % WRITERS].append(command_id)
    rng = random.Random(1441)
    for plan in plans:
        rng.shuffle(plan)
    return plans, set(shared)


def _uppdrag_on(env: dict[str, str]) -> UUID:
    """Seed the store and issue the uppdrag the writers fight over (version 1, not yet accepted)."""
    app = governance(env)
    try:
        world = seed(app)
        return issue_to_director(app, world, title="Omstridd").id
    finally:
        app.close()


def _check(
    env: dict[str, str], uppdrag_id: UUID, plans: Sequence[Sequence[str]], shared: set[str], sent: list[Sent]
) -> None:
    errors = [s for s in sent if s.error is not None]
    assert errors == [], f"{len(errors)} commands failed, e.g. {errors[:3]}"
    assert len(sent) == sum(len(plan) for plan in plans)

    reader = governance(env)
    try:
        events = reader.events_of(uppdrag_id)
    finally:
        reader.close()
    revisions = [e for e in events if isinstance(e, Uppdrag.Revised)]
    recorded = [s for s in sent if s.recorded]

    # Versions in the store are contiguous from 1.
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    # Every distinct command id is stored exactly once: nothing lost, nothing twice.
    stored = Counter(str(e.command_id) for e in revisions)
    distinct = {command_id for plan in plans for command_id in plan}
    assert set(stored) == distinct, f"missing: {distinct - set(stored)}, unexpected: {set(stored) - distinct}"
    assert max(stored.values()) == 1, f"stored twice: {[i for i, n in stored.items() if n > 1]}"
    # Of each shared pair exactly one send was told "recorded", the other "already recorded".
    both_recorded = [
        i for i in shared if Counter(s.recorded for s in sent if s.command_id == i) != Counter([False, True])
    ]
    assert both_recorded == [], f"sent by two writers, both told 'recorded' (or neither): {both_recorded}"
    # Final version is the issue plus one per command that said "recorded".
    assert len(events) == 1 + len(recorded)
    # What each writer was told matches the store: its recorded version holds its command.
    by_version = {e.originator_version: str(e.command_id) for e in events}
    assert [s for s in recorded if s.version is None or by_version[s.version] != s.command_id] == []


@pytest.mark.slow
def test_eight_writer_threads_on_one_uppdrag_record_each_command_exactly_once(database_url: str) -> None:
    """Threads with their own Governance instances, racing on one uppdrag, lose and duplicate nothing."""
    env = Settings(database_url=database_url).eventsourcing_env("governance")
    uppdrag_id = _uppdrag_on(env)
    plans, shared = _plans()
    sent = run_threads(env, uppdrag_id, plans, TIMEOUT_SECONDS)
    _check(env, uppdrag_id, plans, shared, sent)


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_writer_processes_on_one_uppdrag_record_each_command_exactly_once(
    postgres_database_url: str,
) -> None:
    """Separate processes (spawned, nothing shared but the database) lose and duplicate nothing."""
    env = Settings(database_url=postgres_database_url).eventsourcing_env("governance")
    uppdrag_id = _uppdrag_on(env)
    plans, shared = _plans(COMMANDS_PER_PROCESS)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS)
    opening = context.Lock()
    results = context.Queue()
    processes = [
        context.Process(
            target=write_to_queue, args=(n, env, uppdrag_id, plan, start, opening, results), daemon=True
        )
        for n, plan in enumerate(plans)
    ]
    for process in processes:
        process.start()
    try:
        sent = [s for _ in processes for s in results.get(timeout=TIMEOUT_SECONDS)]
    finally:
        for process in processes:
            process.join(timeout=TIMEOUT_SECONDS)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    _check(env, uppdrag_id, plans, shared, sent)


@pytest.mark.postgres
def test_instances_open_at_once_on_one_postgres_store(postgres_database_url: str) -> None:
    """Eight processes starting together (workers after a deploy) all open the existing store."""
    env = Settings(database_url=postgres_database_url).eventsourcing_env("governance")
    governance(env).close()
    start = threading.Barrier(WRITERS)
    failures: list[str] = []

    def open_one() -> None:
        start.wait(timeout=60)
        try:
            governance(env).close()
        except Exception as error:
            failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=open_one) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
