"""A workflow of one slow activity, for the graceful-stop test: the step says when it starts and ends."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from temporalio import activity, workflow

STEP_SECONDS = 3.0


@activity.defn(name="prov.slow_step")
async def slow_step(marker_dir: str) -> str:
    """Takes a few seconds; writes a file when it starts and when it finishes (a cancelled one never does)."""
    folder = Path(marker_dir)
    (folder / "started").write_text(str(activity.info().attempt))
    await asyncio.sleep(STEP_SECONDS)
    (folder / "finished").write_text(str(activity.info().attempt))
    return "klar"


@workflow.defn(name="ProvLangsamtSteg")
class SlowStep:
    @workflow.run
    async def run(self, marker_dir: str) -> str:
        return await workflow.execute_activity(
            slow_step, marker_dir, start_to_close_timeout=timedelta(minutes=1)
        )
