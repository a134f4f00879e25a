"""Writers for the concurrency tests: each opens its OWN Governance on a shared store and
sends a planned list of revisions to one uppdrag, as a separate process would.

A module of its own (not a test module) so that spawned processes can import it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.styrmodell import default_styrmodell

ON = date(2027, 3, 1)
START_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Sent:
    """What one command came back with: recorded now, already recorded, or an error."""

    command_id: str
    writer: int
    recorded: bool | None
    version: int | None
    error: str | None


def revision(uppdrag_id: UUID, command_id: str) -> c.ReviseUppdrag:
    """The revision a command id stands for: identical whichever writer sends it."""
    return c.parse_command(
        c.ReviseUppdrag,
        actor="ks",
        person="p-ks",
        command_id=command_id,
        uppdrag_id=uppdrag_id,
        on=ON,
        title=f"Budget 2027, revision {command_id[:8]}",
        reason="Samtidig ändring",
    )


def write(
    writer: int,
    env: Mapping[str, str],
    uppdrag_id: UUID,
    command_ids: Sequence[str],
    start: Any,
    opening: Any,
) -> list[Sent]:
    """Open a Governance (one writer at a time, under the lock `opening`), wait for the
    others at `start` (a barrier), then send every command.

    Opening is serialised because opening instances at the same moment is a separate
    failure, tested on its own (test_instances_open_at_once_on_one_postgres_store).

    Any failure, opening the store included, comes back as a `Sent` with an error and
    breaks the barrier, so the other writers and the test never wait forever.
    """
    try:
        with opening:
            app = Governance(default_styrmodell(), env=dict(env))
    except Exception as error:
        start.abort()
        return [Sent("", writer, None, None, f"opening: {type(error).__name__}: {error}")]
    try:
        start.wait(timeout=START_TIMEOUT_SECONDS)
        sent: list[Sent] = []
        for command_id in command_ids:
            try:
                outcome = app.revise_uppdrag(revision(uppdrag_id, command_id))
            except Exception as error:  # reported to the test, which fails on any of them
                sent.append(Sent(command_id, writer, None, None, f"{type(error).__name__}: {error}"))
            else:
                sent.append(Sent(command_id, writer, outcome.recorded, outcome.version, None))
        return sent
    except threading.BrokenBarrierError:
        return [Sent("", writer, None, None, "another writer could not start")]
    finally:
        app.close()


def write_to_queue(
    writer: int,
    env: Mapping[str, str],
    uppdrag_id: UUID,
    command_ids: Sequence[str],
    start: Any,
    opening: Any,
    results: queue.Queue[list[Sent]],
) -> None:
    """`write` for a process (or thread) target: the result goes on a queue."""
    results.put(write(writer, env, uppdrag_id, command_ids, start, opening))


def run_threads(
    env: Mapping[str, str], uppdrag_id: UUID, plans: Sequence[Sequence[str]], timeout: float
) -> list[Sent]:
    start = threading.Barrier(len(plans))
    opening = threading.Lock()
    results: queue.Queue[list[Sent]] = queue.Queue()
    threads = [
        threading.Thread(
            target=write_to_queue, args=(n, env, uppdrag_id, plan, start, opening, results), daemon=True
        )
        for n, plan in enumerate(plans)
    ]
    for thread in threads:
        thread.start()
    return [sent for _ in threads for sent in results.get(timeout=timeout)]
