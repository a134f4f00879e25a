"""What the tests of several worker processes share: a dev server, workers stopped for good, and the verdict.

The verdict is the one every such test reaches whatever it did to the
fleet (a worker killed, the leader killed, PostgreSQL or Temporal
restarted): every deviation reported climbed from its sector to KF, each
level's missed deadline recorded once, and no command recorded twice.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import signal
import uuid
from collections.abc import Sequence
from pathlib import Path

from temporal.temporal_harness import DEV_SERVER_STARTUP, binary, events
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.workflows.eskalering.models import EskaleringResult

LEVELS_ABOVE_SECTOR = ["kommundirektor", "ks", "kf"]


async def dev_server(
    *extra_args: str, port: int | None = None, ui_port: int | None = None
) -> WorkflowEnvironment:
    """The Temporal dev server (a real one: no time skipping), with the pydantic converter."""
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        dev_server_startup_timeout=DEV_SERVER_STARTUP,
        dev_server_extra_args=list(extra_args),
        port=port,
        ui_port=ui_port,
    )


async def kill_all(workers: Sequence[asyncio.subprocess.Process]) -> None:
    """SIGKILL every worker still running, and wait for each."""
    for process in workers:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL)
        with contextlib.suppress(Exception):
            await process.wait()


def assert_all_running(workers: Sequence[asyncio.subprocess.Process], log_dir: Path) -> None:
    """Every worker still runs; if one does not, the failure shows each one's exit code and log's end.

    A worker's stderr is its log (start_worker keeps it in the test's
    directory): how it ended is there, and gone with the directory.
    """
    if all(w.returncode is None for w in workers):
        return
    codes = [w.returncode for w in workers]
    tails = []
    for path in sorted(log_dir.glob("worker-*.log")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        tails.append(f"--- {path.name} ---\n" + "\n".join(lines[-40:]))
    raise AssertionError(f"en worker har avslutats (slutkoder {codes})\n" + "\n".join(tails))


def assert_each_climbed_once(
    governance: Governance,
    chefs: dict[str, str],
    reported: Sequence[uuid.UUID],
    finished: Sequence[EskaleringResult],
) -> None:
    """Every reported deviation missed its sector's deadline and each one above, once; nothing twice."""
    sector_of = {chef: sector for sector, chef in chefs.items()}
    stored = events(governance)
    first_levels = {e.originator_id: sector_of[e.actor] for e in stored if isinstance(e, Avvikelse.Reported)}
    assert set(first_levels) == set(reported)
    misses: dict[uuid.UUID, list[str]] = collections.defaultdict(list)
    for event in stored:
        if isinstance(event, Avvikelse.DeadlineMissed):
            misses[event.originator_id].append(event.level)
    # Nothing lost: each deviation climbed every level, once.
    for avvikelse_id, first_level in first_levels.items():
        assert misses[avvikelse_id] == [first_level, *LEVELS_ABOVE_SECTOR], avvikelse_id
    escalated = [e for e in stored if isinstance(e, Avvikelse.Escalated)]
    assert len(escalated) == len(reported) * len(LEVELS_ABOVE_SECTOR)
    assert all(e.actor == c.PROCESS_ACTOR for e in escalated)
    # Nothing twice: a missed deadline is one command recording two events (the miss and the escalation).
    commands = collections.Counter((e.command_id, type(e).__name__) for e in stored)
    assert [command for command, n in commands.items() if n > 1] == []
    assert {(r.outcome, r.level) for r in finished} == {("obesvarad", "kf")}
    assert all(r.missed == [first_levels[r.avvikelse_id], *LEVELS_ABOVE_SECTOR] for r in finished)
