"""Empty long polls on demand: what the time-skipping test server answers after ~20 s of real time.

Installed on the SDK's workflow service, it answers the first long polls of
each workflow run's history (`wait_new_event`) with an empty page and no
page token, as the test server does when its poll expires, without waiting
20 seconds. Every other call goes to the server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import timedelta

import pytest
from temporalio.api.workflowservice.v1 import (
    GetWorkflowExecutionHistoryRequest,
    GetWorkflowExecutionHistoryResponse,
)
from temporalio.service import WorkflowService


class EmptyLongPolls:
    """Empties the first `per_run` long polls of every (workflow id, run id) asked for."""

    def __init__(self, per_run: int = 1) -> None:
        self.per_run = per_run
        self.emptied: Counter[tuple[str, str]] = Counter()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> EmptyLongPolls:
        server = WorkflowService.get_workflow_execution_history

        async def answer(
            service: WorkflowService,
            req: GetWorkflowExecutionHistoryRequest,
            retry: bool = False,
            metadata: Mapping[str, str | bytes] = {},
            timeout: timedelta | None = None,
        ) -> GetWorkflowExecutionHistoryResponse:
            run = (req.execution.workflow_id, req.execution.run_id)
            if req.wait_new_event and self.emptied[run] < self.per_run:
                self.emptied[run] += 1
                return GetWorkflowExecutionHistoryResponse()
            return await server(service, req, retry, metadata, timeout)

        monkeypatch.setattr(WorkflowService, "get_workflow_execution_history", answer)
        return self

    def workflows(self) -> set[str]:
        """The workflow ids whose result waits met an empty answer."""
        return {workflow_id for workflow_id, _ in self.emptied}
