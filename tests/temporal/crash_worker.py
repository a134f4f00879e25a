"""A worker process for test_worker_crash.py: the production worker and relay, with two changes.

- The calendar is compressed: the cycle's plan is the real one (two months
  of follow-ups), with every instant moved to a few seconds after `--t0`.
  A stand-in for the plan activity, under its name, computes it from its
  arguments only, so a worker restarted after a kill computes the same plan.
- Every recording command announces itself on stdout before it starts
  ("STEG") and after its commit ("SPARAT"), and takes a moment on either
  side, so the test can kill the process in the middle of an activity.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio import activity

from lerum_flow.application import Governance, Outcome
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.temporal_runtime import TemporalSettings, connect, stop_on_signals
from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.arshjul.models import CyclePlan, PlanCycleInput
from lerum_flow.workflows.models import Moment
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.worker import ProcessActivities, serve

FOLLOW_UP_STEPS = 4  # two months, both edges
PAUSE = 0.15


class TalkativeGovernance(Governance):
    name = "Governance"  # the same store and tracking name as the real one

    def _announced(self, name: str, call: Any, cmd: Any) -> Outcome:
        print(f"STEG {name}", flush=True)
        time.sleep(PAUSE)
        outcome: Outcome = call(cmd)
        print(f"SPARAT {name} {outcome.recorded}", flush=True)
        time.sleep(PAUSE)
        return outcome

    def issue_uppdrag(self, cmd: Any) -> Outcome:
        return self._announced("issue_uppdrag", super().issue_uppdrag, cmd)

    def revise_uppdrag(self, cmd: Any) -> Outcome:
        return self._announced("revise_uppdrag", super().revise_uppdrag, cmd)

    def report_avvikelse(self, cmd: Any) -> Outcome:
        return self._announced("report_avvikelse", super().report_avvikelse, cmd)


class CompressedPlan(ArshjulActivities):
    """The real plan of the budget year, on a timetable of seconds from `t0`.

    Each follow-up gets seconds between its request and its deadline, so a
    killed worker's retries (a few seconds) delay the cycle but skip nothing.
    """

    def __init__(self, activities: ArshjulActivities, t0: float) -> None:
        super().__init__(activities.steps)
        self.t0 = datetime.fromtimestamp(t0, UTC)

    def at(self, seconds: float) -> datetime:
        return self.t0 + timedelta(seconds=seconds)

    def moment(self, moment: Moment, seconds: float) -> Moment:
        return Moment(on=moment.on, at=self.at(seconds))

    @activity.defn(name="arshjul.plan")
    async def plan(self, request: PlanCycleInput) -> CyclePlan:
        plan = plan_cycle(self.steps.styrmodell, request.budget_year, activity_timeout_seconds=3)
        decisions = [
            d.model_copy(update={"deadline": self.moment(d.deadline, 34 if d.key == "ansvarsfrihet" else 1)})
            for d in plan.decisions
        ]
        follow_ups = [
            f.model_copy(
                update={
                    "request": self.moment(f.request, 3 + 8 * (i // 2)),
                    "remind": self.moment(f.remind, 6 + 8 * (i // 2)),
                    "deadline": self.moment(f.deadline, 8 + 8 * (i // 2)),
                }
            )
            for i, f in enumerate(plan.follow_ups[:FOLLOW_UP_STEPS])
        ]
        reports = [
            r.model_copy(
                update={
                    "request": self.moment(r.request, 20 + 6 * i),
                    "remind": self.moment(r.remind, 22 + 6 * i),
                    "deadline": self.moment(r.deadline, 24 + 6 * i),
                }
            )
            for i, r in enumerate(plan.reports)
        ]
        return plan.model_copy(
            update={
                "decisions": decisions,
                "follow_ups": follow_ups,
                "reports": reports,
                "budget_give_up": self.moment(plan.budget_give_up, 2),
            }
        )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--t0", type=float, required=True)
    args = parser.parse_args()
    temporal = TemporalSettings(address=args.address, task_queue=args.task_queue)
    settings = Settings(data_dir=args.data_dir)
    governance = TalkativeGovernance(default_styrmodell(), env=settings.eventsourcing_env())
    client = await connect(temporal)
    stop = asyncio.Event()
    stop_on_signals(stop)
    production = ProcessActivities.on(governance)
    activities = dataclasses.replace(production, arshjul=CompressedPlan(production.arshjul, args.t0))
    print("REDO", flush=True)
    try:
        # Not sticky: after a kill the next worker gets the workflow tasks at
        # once (and replays every workflow from its history, which is tested too).
        await serve(
            client,
            temporal.task_queue,
            governance,
            settings,
            stop,
            activities=activities,
            poll_seconds=0.2,
            max_cached_workflows=0,
        )
    finally:
        governance.close()


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    os._exit(0)  # the temporalio SDK can crash at interpreter exit (sdk-python issue 300)
