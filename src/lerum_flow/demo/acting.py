"""When simulated people act: a workflow that waits until each act's simulated instant, then acts.

The kanslienhet's year (start the cycle, record KF's and KS's decisions) and
every report handed in on a later day are `SimuleradHandling` workflows.
The acts themselves are the activity `sim_act` (see `people`), which goes
through Governance exactly as a person's command from the CLI would.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from lerum_flow.demo.models import Acts
    from lerum_flow.workflows.agenda import ACTIVITY_RETRY, wait_until

ACT_ACTIVITY = "sim_act"


@workflow.defn(name="SimuleradHandling")
class SimuleradHandling:
    @workflow.run
    async def run(self, plan: Acts) -> int:
        for act in sorted(plan.acts, key=lambda a: a.at):
            await wait_until(act.at, lambda: False)
            await workflow.execute_activity(
                ACT_ACTIVITY, act, start_to_close_timeout=timedelta(minutes=1), retry_policy=ACTIVITY_RETRY
            )
        return len(plan.acts)
