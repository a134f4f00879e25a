"""Waiting for a workflow's result through empty long polls, on either Temporal server.

`WorkflowHandle.result()` long-polls the workflow's history for its close
event. The time-skipping test server ends such a poll after about 20 s of
real time with an empty page; for a handle without a run id the SDK
(temporalio 1.35) then raises `RuntimeError("No completion event found")`
although the workflow is still running (a handle with a run id polls again
by itself). On the dev server a 26 s wait on such a handle returned as it
should. Every wait for a result goes through `wait_for_result`, so a wait
longer than one poll (a slow or busy machine) is simply a longer wait.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

from temporalio.client import WorkflowHandle

from lerum_flow.logs import get_logger

# What the SDK raises on an empty long poll; a test checks it still does.
EMPTY_LONG_POLL = "No completion event found"
# An empty answer normally comes after a long poll; should a server answer
# empty at once, this keeps the loop from spinning.
PAUSE_AFTER_EMPTY_POLL = 0.1

ResultType = TypeVar("ResultType")


async def wait_for_result(handle: WorkflowHandle[Any, ResultType]) -> ResultType:
    """The workflow's result, polling again after every empty long poll.

    Runs are followed across continue-as-new as `result()` does. A failed,
    cancelled, terminated or timed-out workflow still raises
    `WorkflowFailureError`, an RPC error still raises, and cancelling the
    waiting task cancels the wait.
    """
    empty_polls = 0
    while True:
        try:
            return await handle.result()
        except RuntimeError as error:
            if str(error) != EMPTY_LONG_POLL:
                raise
        empty_polls += 1
        get_logger(__name__).debug("empty_long_poll", workflow_id=handle.id, empty_polls=empty_polls)
        await asyncio.sleep(PAUSE_AFTER_EMPTY_POLL)
