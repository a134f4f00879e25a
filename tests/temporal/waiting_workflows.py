"""Small workflows to wait for: one answers, one continues as new, one fails, one waits for ever."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError


@workflow.defn
class Answers:
    @workflow.run
    async def run(self, text: str) -> str:
        return f"svar: {text}"


@workflow.defn
class ContinuesAsNew:
    @workflow.run
    async def run(self, run_number: int) -> int:
        if run_number < 3:
            workflow.continue_as_new(run_number + 1)
        return run_number


@workflow.defn
class Fails:
    @workflow.run
    async def run(self) -> None:
        raise ApplicationError("avsiktligt fel", non_retryable=True)


@workflow.defn
class WaitsForever:
    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)


WORKFLOWS = [Answers, ContinuesAsNew, Fails, WaitsForever]
