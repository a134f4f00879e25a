"""The escalation benchmark's worker process: started with its own store clock, awaited, stopped.

`python -m lerum_flow.bench.escalation_worker` is `lerum-flow worker` with
the benchmark's late clock; this module starts it in a process group of its
own, waits until it says it is ready, and stops it (killing the group if it
does not stop in time).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from lerum_flow.bench.escalation_worker import READY
from lerum_flow.settings import Settings
from lerum_flow.temporal_settings import TemporalSettings

WORKER_START_SECONDS = 60.0
WORKER_STOP_SECONDS = 15.0
# What configures a store or the application: the worker gets its store from its arguments only.
CONFIG_PREFIXES = ("LERUM_FLOW_", "POSTGRES_", "SQLITE_", "GOVERNANCE_", "RELAY_", "PERSISTENCE_MODULE")


@contextmanager
def worker_process(
    temporal: TemporalSettings, settings: Settings, log: Path, clock_behind: timedelta
) -> Iterator[subprocess.Popen[bytes]]:
    """The worker process, ready, for the time of the block; stopped (and its group killed) after."""
    assert settings.styrmodell_path is not None
    command = [
        sys.executable,
        "-m",
        "lerum_flow.bench.escalation_worker",
        "--address",
        temporal.address,
        "--task-queue",
        temporal.task_queue,
        "--database-url",
        settings.database_url,
        "--data-dir",
        str(settings.data_dir),
        "--styrmodell",
        str(settings.styrmodell_path),
        "--clock-behind",
        str(clock_behind.total_seconds()),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}
    with log.open("ab") as stderr:
        # Its own process group, so that nothing it might start outlives it.
        process = subprocess.Popen(  # noqa: S603 - this Python and fixed arguments
            command, stdout=subprocess.PIPE, stderr=stderr, env=env, start_new_session=True
        )
    try:
        _await_ready(process, log)
        yield process
    finally:
        _stop(process)


def _await_ready(process: subprocess.Popen[bytes], log: Path) -> None:
    assert process.stdout is not None
    said = b""
    give_up = time.monotonic() + WORKER_START_SECONDS
    while b"\n" not in said:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            raise RuntimeError(
                f"eskaleringsarbetaren blev inte redo på {WORKER_START_SECONDS:g} s ({_tail(log)})"
            )
        readable, _, _ = select.select([process.stdout], [], [], min(remaining, 0.5))
        if readable:
            chunk = os.read(process.stdout.fileno(), 1024)
            if not chunk:
                raise RuntimeError(f"eskaleringsarbetaren avslutades (kod {process.wait()}): {_tail(log)}")
            said += chunk
    if said.split(b"\n")[0].strip() != READY.encode():
        raise RuntimeError(f"eskaleringsarbetaren svarade {said[:80]!r}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()


def state(process: subprocess.Popen[bytes], log: Path) -> str:
    code = process.poll()
    return f"{'körs' if code is None else f'avslutad med kod {code}'}; {_tail(log)}"


def _tail(log: Path, chars: int = 300) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "ingen logg"
    return f"loggen slutar: {text[-chars:]}" if text else "tom logg"
