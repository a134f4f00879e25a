"""A worker process for test_eskalering_skala.py: the production worker and relay, on a store that runs late.

This store's clock runs `--clock-behind` seconds behind the real one, so a
level given one hour to acknowledge has a few real seconds (see
lerum_flow.demo.short_deadlines). Nothing else differs from
`lerum-flow worker`, except that the worker says "SPARAT" on stdout after
each missed deadline it has committed, so the test can kill it between a
commit and the end of the activity (whose retry elsewhere must then record
nothing new).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.demo.short_deadlines import late_clock
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.logs import configure_logging
from lerum_flow.process_settings import WorkerSettings
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.temporal_runtime import TemporalSettings, connect, stop_on_signals
from lerum_flow.workflows.worker import serve
from lerum_flow.workflows.worker_process import watched


class AnnouncingGovernance(Governance):
    name = "Governance"  # the same store and tracking name as the real one

    def miss_acknowledgement_deadline(self, cmd: c.MissAcknowledgementDeadline) -> Outcome:
        outcome = super().miss_acknowledgement_deadline(cmd)
        print("SPARAT", flush=True)
        return outcome


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--styrmodell", type=Path, required=True)
    parser.add_argument("--clock-behind", type=float, required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--health-port", type=int, default=0)
    args = parser.parse_args()
    configure_logging("WARNING")
    temporal = TemporalSettings(address=args.address, task_queue=args.task_queue)
    settings = Settings(
        data_dir=args.data_dir, styrmodell_path=args.styrmodell, database_url=args.database_url
    )
    governance = AnnouncingGovernance(
        load_styrmodell(args.styrmodell),
        env=settings.eventsourcing_env(),
        clock=late_clock(timedelta(seconds=args.clock_behind)),
    )
    client = await connect(temporal)
    stop = asyncio.Event()
    stop_on_signals(stop)
    try:
        # With a health port, /readyz and /metrics say whether this replica's relay leads.
        with watched(WorkerSettings(health_port=args.health_port, sample_seconds=1.0)) as watching:
            # Ready once the health port is ours: the test chose it free, but another process
            # may have taken it since; then the test is told so, and chooses again.
            print("REDO", flush=True)
            await serve(
                client, temporal.task_queue, governance, settings, stop, poll_seconds=0.2, watching=watching
            )
    except InvalidInput as refusal:
        if refusal.rule != "port_upptagen":
            raise
        print("UPPTAGEN", flush=True)
    finally:
        governance.close()


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    logging.shutdown()
    os._exit(0)  # the temporalio SDK can crash at interpreter exit (sdk-python issue 300)
