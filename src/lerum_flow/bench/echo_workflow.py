"""A workflow that only remembers the last signal it got: the baseline for Temporal's round trip.

Workflow code: imports nothing but temporalio, so the sandbox re-imports it cleanly.
"""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="BenchEcho")
class Echo:
    def __init__(self) -> None:
        self.last = 0
        self.done = False

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self.done)
        return self.last

    @workflow.signal(name="ping")
    def ping(self, n: int) -> None:
        self.last = n

    @workflow.signal(name="stop")
    def stop(self) -> None:
        self.done = True

    @workflow.query(name="last")
    def seen(self) -> int:
        return self.last
