"""A worker process for test_worker_operations.py: `lerum-flow worker` as deployed, plus one slow step.

It runs the same composition as the CLI (`worker_process.run_worker`), its
settings read from the environment, with the SlowStep workflow added so the
test can stop it while an activity runs.
"""

from __future__ import annotations

import asyncio
import os
import sys

from temporal.slow_step import SlowStep, slow_step

from lerum_flow.application import Governance
from lerum_flow.process_settings import WorkerSettings
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.temporal_runtime import stop_on_signals
from lerum_flow.temporal_settings import TemporalSettings
from lerum_flow.workflows.worker_process import run_worker


async def main() -> None:
    settings = Settings.from_environ()
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    stop = asyncio.Event()
    stop_on_signals(stop)
    try:
        await run_worker(
            governance,
            settings,
            TemporalSettings.from_environ(),
            WorkerSettings.from_environ(),
            stop,
            extra_workflows=[SlowStep],
            extra_activities=[slow_step],
        )
    finally:
        governance.close()
    print("STOPPAD", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    os._exit(0)  # the temporalio SDK can crash at interpreter exit (sdk-python issue 300)
