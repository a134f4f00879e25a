"""An activity run as a worker runs it: through `RefusalsEndActivities`, the interceptor every worker
has innermost (`build_worker`), which ends it for good on a refusal."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.testing import ActivityEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput

from lerum_flow.workflows.worker import RefusalsEndActivities


class _Call(ActivityInboundInterceptor):
    """The activity itself, as the interceptor's next link."""

    def __init__(self) -> None:  # no next link: this is the last
        pass

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        return await input.fn(*input.args)


def on_a_worker(activity: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """`activity(*args)` in an activity's context, through the refusal interceptor."""
    step = RefusalsEndActivities().intercept_activity(_Call())
    call = ExecuteActivityInput(fn=activity, args=list(args), executor=None, headers={})
    return asyncio.run(ActivityEnvironment().run(step.execute_activity, call))
