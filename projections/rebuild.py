"""A full rebuild of the views: on a large log, by this process and worker processes, one per
core in all, each rebuilding the next view waiting, the largest first.

Why: a rebuild is Python work (decoding events, building rows), so one
process keeps one core busy however many the machine has. The views do not
depend on each other (each has its own SQLite file, or its own tables and
tracking table on PostgreSQL) and each reads only its own topics, so they
can be rebuilt side by side. Measured with `lerum-flow bench` (see README,
Prestanda). A small log is rebuilt in this process: starting processes
costs more than it saves.

The processes run this module (`python -m`), not multiprocessing: spawning
through multiprocessing re-imports the caller's main module, which a script
without a `__main__` guard would run again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from lerum_flow.logs import ensure_logging
from lerum_flow.projections.avvikelse import AvvikelseProjection
from lerum_flow.projections.beslut import BeslutProjection
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.runner import Progress, Projector
from lerum_flow.projections.store import PROJECTIONS, ViewStore
from lerum_flow.projections.uppdrag import UppdragProjection
from lerum_flow.settings import Settings

# From this many events in the log, views are rebuilt in processes of their own.
PARALLEL_FROM = 50_000
PROGRESS_SECONDS = 0.2
# How long a rebuild waits for a view another process holds (a follower rebuilding a view it found
# empty takes as long as a rebuild of it, a minute or so on a large store) before it fails.
BUSY_WAIT_SECONDS = 600.0


class RebuildFailedError(RuntimeError):
    """A view's rebuild process failed; its error output is in the message."""


def default_processes(head: int) -> int:
    """One process per core, at most one per view; one for a small log."""
    if head < PARALLEL_FROM:
        return 1
    return max(1, min(len(PROJECTIONS), os.cpu_count() or 1))


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did: events the views applied, where each view now is, in how many processes."""

    events: int
    positions: dict[str, int]
    processes: int


def rebuild_views(
    settings: Settings,
    *,
    processes: int | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: Progress | None = None,
) -> Rebuilt:
    """Drop every view and apply the whole log again.

    `processes` None chooses by the size of the log. `progress` is called with
    the position every view has reached.
    """
    store = ViewStore.open(settings)
    try:
        projector = store.projector(page_size=page_size)
        chosen = default_processes(projector.head()) if processes is None else processes
        if chosen <= 1:
            applied = projector.rebuild(progress=progress, busy_wait=BUSY_WAIT_SECONDS)
        else:
            applied = _in_processes(store, projector, settings, chosen, page_size, progress)
        return Rebuilt(applied, projector.positions(), max(1, chosen))
    finally:
        store.close()


def _in_processes(
    store: ViewStore,
    projector: Projector,
    settings: Settings,
    processes: int,
    page_size: int,
    progress: Progress | None,
) -> int:
    """The views rebuilt by this process and `processes` - 1 worker processes, each taking the next
    view waiting, largest first, when it has finished one.

    Why this process takes part: a worker spends most of a second importing before it rebuilds
    anything, and one fewer to start is that much less CPU on a machine whose cores the rebuild
    already fills; this process, ready at once, takes the largest view, whose rebuild is the wait.
    Measured (Lerum mandate period), a process started per view spent more on starting than the
    six smaller views take to rebuild, so each worker takes the next view waiting."""
    waiting = sorted((p.name for p in store.projections), key=_largest_first)
    lock = threading.Lock()
    applied: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def next_view() -> str | None:
        with lock:
            return waiting.pop(0) if waiting and not failures else None

    def work(worker: _Worker) -> None:
        try:
            while (name := next_view()) is not None:
                applied.append(worker.rebuild(name))
        except BaseException as error:  # raised by the rebuild, after every worker is stopped
            failures.append(error)

    def report() -> None:
        assert progress is not None
        while not done.wait(PROGRESS_SECONDS):
            progress(min(projector.positions().values(), default=0))

    workers = [_Worker.start(settings, page_size) for _ in range(min(processes, len(waiting)) - 1)]
    threads = [threading.Thread(target=work, args=(w,), name="view-rebuild") for w in workers]
    if progress is not None:
        threads.append(threading.Thread(target=report, name="view-rebuild-progress"))
    finished = False
    # This process takes the first view waiting, the largest, before the workers take theirs.
    name = next_view()
    try:
        for thread in threads:
            thread.start()
        # In the main thread: an interrupt (Ctrl-C) ends this process's rebuild at once, rolled back.
        while name is not None:
            applied.append(_rebuild_one(settings, name, page_size))
            name = next_view()
        for worker_thread in threads[: len(workers)]:
            worker_thread.join()
        finished = not failures
    finally:
        done.set()
        for worker in workers:
            if finished:
                worker.finish()
            else:
                worker.stop()
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    if progress is not None:
        progress(min(projector.positions().values(), default=0))
    return sum(applied)


# The views by the time their rebuild takes, longest first (measured, Lerum mandate period: beslut
# 6.1 s, uppdrag 1.8 s, avvikelse 1.2 s, each of the others 0.2 s or less): the longest begun first
# end together with the rest. Counting each view's events instead would read the whole log first.
LONGEST_REBUILDS = (BeslutProjection.name, UppdragProjection.name, AvvikelseProjection.name)


def _largest_first(name: str) -> int:
    return LONGEST_REBUILDS.index(name) if name in LONGEST_REBUILDS else len(LONGEST_REBUILDS)


@dataclass
class _Worker:
    """A process running this module (`python -m`) that rebuilds the views it is sent, one name a
    line, answering each with the events it applied; its error output kept in a file.

    A file, not a pipe: a pipe nobody reads while the parent waits would fill and stop it.
    """

    process: subprocess.Popen[str]
    errors: IO[str]

    @classmethod
    def start(cls, settings: Settings, page_size: int) -> _Worker:
        errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by finish/stop
        process = subprocess.Popen(  # noqa: S603 - this interpreter running this module
            [sys.executable, "-m", __name__, str(page_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        worker = cls(process, errors)
        worker._send(settings.to_json())
        return worker

    def rebuild(self, name: str) -> int:
        """The events the view's rebuild applied; raises if the process failed."""
        self._send(name)
        assert self.process.stdout is not None
        answer = self.process.stdout.readline()
        if not answer:
            self.process.wait()
            self.errors.seek(0)
            message = self.errors.read().strip()
            raise RebuildFailedError(f"ombyggnaden av {name} misslyckades: {message[-2000:]}")
        return int(answer)

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        # A process that ended at once has not read it: its next answer says why.
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()

    def finish(self) -> None:
        """No more views: the process ends when it has read that."""
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.process.wait()
        self.errors.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.errors.close()


def _rebuild_one(settings: Settings, name: str, page_size: int) -> int:
    store = ViewStore.open(settings, names=(name,))
    try:
        return store.projector(page_size=page_size).rebuild(busy_wait=BUSY_WAIT_SECONDS)
    finally:
        store.close()


def main(argv: Sequence[str]) -> None:
    """A worker: the page size as argument; on stdin the settings as JSON (one line), then the
    views to rebuild, one name a line; for each, the events applied on stdout."""
    (page_size,) = argv
    # Stdout carries the answers alone: anything else printed or logged (structlog unconfigured
    # prints to stdout) goes to the error output, which the parent keeps in a file.
    answers, sys.stdout = sys.stdout, sys.stderr
    ensure_logging()
    settings = Settings.from_json(sys.stdin.readline())
    for line in sys.stdin:
        print(_rebuild_one(settings, line.strip(), int(page_size)), file=answers, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
