"""The escalation benchmark's worker process: `lerum-flow worker` on a store whose clock runs behind.

Started by bench_escalation as `python -m lerum_flow.bench.escalation_worker`.
It runs the production worker and relay (`serve`, with its default poll
interval and the CLI's default log level); only the store's clock (see
short_deadlines) and the styrmodell file differ. It says "REDO" on stdout
once it reaches Temporal, and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback
from datetime import timedelta
from pathlib import Path

from lerum_flow.application import Governance
from lerum_flow.demo.short_deadlines import late_clock
from lerum_flow.logs import configure_logging
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.temporal_runtime import TemporalSettings, connect, stop_on_signals
from lerum_flow.workflows.worker import serve

READY = "REDO"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="escalation_worker")
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--styrmodell", type=Path, required=True)
    parser.add_argument("--clock-behind", type=float, required=True, help="seconds")
    return parser.parse_args(argv)


async def main(args: argparse.Namespace) -> None:
    configure_logging()
    temporal = TemporalSettings(address=args.address, task_queue=args.task_queue)
    settings = Settings(
        data_dir=args.data_dir, database_url=args.database_url, styrmodell_path=args.styrmodell
    )
    governance = Governance(
        load_styrmodell(args.styrmodell),
        env=settings.eventsourcing_env("governance"),
        clock=late_clock(timedelta(seconds=args.clock_behind)),
    )
    try:
        client = await connect(temporal)
        stop = asyncio.Event()
        stop_on_signals(stop)
        print(READY, flush=True)
        await serve(client, temporal.task_queue, governance, settings, stop)
    finally:
        governance.close()


if __name__ == "__main__":
    code = 0
    try:
        asyncio.run(main(parse()))
    except SystemExit as exit:  # bad arguments: argparse has said why
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:  # reported on stderr (the benchmark's log of this worker)
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)  # the temporalio SDK can crash at interpreter exit (sdk-python issue 300)
