"""A full rebuild of the views: on a large log, each view by a process of its own.

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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.runner import Progress, Projector
from lerum_flow.projections.store import PROJECTIONS, ViewStore
from lerum_flow.settings import Settings

# From this many events in the log, views are rebuilt in processes of their own.
PARALLEL_FROM = 50_000
PROGRESS_SECONDS = 0.2


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
            applied = projector.rebuild(progress=progress)
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
    waiting = [p.name for p in store.projections]
    applied = 0
    running: list[_ViewProcess] = []
    try:
        while waiting or running:
            while waiting and len(running) < processes:
                running.append(_ViewProcess.start(settings, waiting.pop(0), page_size))
            time.sleep(PROGRESS_SECONDS)
            for finished in [r for r in running if r.process.poll() is not None]:
                running.remove(finished)
                applied += finished.outcome()
            if progress is not None:
                progress(min(projector.positions().values(), default=0))
    finally:
        for unfinished in running:
            unfinished.stop()
    return applied


@dataclass
class _ViewProcess:
    """One view rebuilt by `python -m` this module; its log kept in a file.

    A file, not a pipe: a pipe nobody reads while the parent waits would fill and stop it.
    """

    name: str
    process: subprocess.Popen[str]
    errors: IO[str]

    @classmethod
    def start(cls, settings: Settings, name: str, page_size: int) -> _ViewProcess:
        errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by outcome/stop
        process = subprocess.Popen(  # noqa: S603 - this interpreter running this module
            [sys.executable, "-m", __name__, name, str(page_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdin is not None
        # A process that ended at once has not read them: its outcome says why.
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(settings.to_json())
            process.stdin.close()
        return cls(name, process, errors)

    def outcome(self) -> int:
        """The events it applied; raises if it failed."""
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        self.process.wait()
        self.errors.seek(0)
        message = self.errors.read().strip()
        self.errors.close()
        if self.process.returncode != 0:
            raise RebuildFailedError(f"ombyggnaden av {self.name} misslyckades: {message[-2000:]}")
        return int(out.strip())

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.errors.close()


def _rebuild_one(settings: Settings, name: str, page_size: int) -> int:
    store = ViewStore.open(settings, names=(name,))
    try:
        return store.projector(page_size=page_size).rebuild()
    finally:
        store.close()


def main(argv: Sequence[str]) -> None:
    """One view's rebuild: the settings as JSON on stdin, the view and page size as arguments."""
    name, page_size = argv
    settings = Settings.from_json(sys.stdin.read())
    print(_rebuild_one(settings, name, int(page_size)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
