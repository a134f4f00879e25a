"""Waiting for a workflow's result outlasts empty long polls and still reports every way a workflow ends."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from temporal.empty_long_polls import EmptyLongPolls
from temporal.temporal_harness import binary
from temporal.waiting_workflows import WORKFLOWS, Answers, ContinuesAsNew, Fails, WaitsForever
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError, CancelledError, TerminatedError, TimeoutError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from lerum_flow.workflow_result import EMPTY_LONG_POLL, wait_for_result


@asynccontextmanager
async def server(kind: str = "time-skipping") -> AsyncIterator[tuple[WorkflowEnvironment, str]]:
    """A Temporal server of the kind, with a worker for the small workflows on a queue of its own."""
    if kind == "time-skipping":
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=binary("temporal-test-server")
        )
    else:
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=binary("temporal"))
    queue = f"vanta-{uuid.uuid4()}"
    async with env, Worker(env.client, task_queue=queue, workflows=WORKFLOWS):
        yield env, queue


def test_the_sdk_alone_gives_up_on_an_empty_long_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the wait exists: `result()` of a handle without a run id raises on an empty answer."""
    EmptyLongPolls().install(monkeypatch)

    async def scenario() -> None:
        async with server() as (env, queue):
            started = await env.client.start_workflow(
                Answers.run, "x", id=f"w-{uuid.uuid4()}", task_queue=queue
            )
            handle = env.client.get_workflow_handle(started.id)

            with pytest.raises(RuntimeError) as raised:
                await handle.result()

            assert str(raised.value) == EMPTY_LONG_POLL

    asyncio.run(scenario())


@pytest.mark.parametrize("kind", ["time-skipping", "dev"])
def test_the_wait_outlasts_empty_long_polls(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three empty answers in a row, and the wait still returns the workflow's result, on either server."""
    polls = EmptyLongPolls(per_run=3).install(monkeypatch)

    async def scenario() -> None:
        async with server(kind) as (env, queue):
            started = await env.client.start_workflow(
                Answers.run, "x", id=f"w-{uuid.uuid4()}", task_queue=queue
            )

            result = await wait_for_result(env.client.get_workflow_handle(started.id, result_type=str))

            assert result == "svar: x"
            assert polls.emptied[(started.id, "")] == 3

    asyncio.run(scenario())


def test_the_wait_follows_continue_as_new_through_empty_long_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the first run, every following run's poll answered empty once: the last run's result."""
    polls = EmptyLongPolls().install(monkeypatch)

    async def scenario() -> None:
        async with server() as (env, queue):
            first = await env.client.start_workflow(
                ContinuesAsNew.run, 1, id=f"w-{uuid.uuid4()}", task_queue=queue
            )
            handle = env.client.get_workflow_handle(first.id, run_id=first.result_run_id, result_type=int)

            assert await wait_for_result(handle) == 3
            assert len(polls.emptied) == 3  # one empty answer for each of the three runs

    asyncio.run(scenario())


async def _failure_of(handle: Any) -> BaseException | None:
    with pytest.raises(WorkflowFailureError) as raised:
        await wait_for_result(handle)
    return raised.value.cause


def test_a_failed_workflow_still_raises_through_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty answer first, then the failure: the wait raises it, with the workflow's own error."""
    EmptyLongPolls().install(monkeypatch)

    async def scenario() -> None:
        async with server() as (env, queue):
            started = await env.client.start_workflow(Fails.run, id=f"w-{uuid.uuid4()}", task_queue=queue)

            cause = await _failure_of(env.client.get_workflow_handle(started.id))

            assert isinstance(cause, ApplicationError)
            assert cause.message == "avsiktligt fel"

    asyncio.run(scenario())


@pytest.mark.parametrize("ending", ["terminated", "cancelled", "timed out"])
def test_a_workflow_ended_from_outside_still_raises_through_the_wait(
    ending: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terminated, cancelled or timed out while waited for: the wait raises, naming how it ended."""
    EmptyLongPolls().install(monkeypatch)
    expected = {"terminated": TerminatedError, "cancelled": CancelledError, "timed out": TimeoutError}[ending]

    async def scenario() -> None:
        async with server() as (env, queue):
            started = await env.client.start_workflow(
                WaitsForever.run,
                id=f"w-{uuid.uuid4()}",
                task_queue=queue,
                execution_timeout=timedelta(days=1) if ending == "timed out" else None,
            )
            if ending == "terminated":
                await started.terminate("avslutad utifrån")
            elif ending == "cancelled":
                await started.cancel()
            # A handle from the environment's start skips time while waited for: the day passes.
            cause = await _failure_of(started)

            assert isinstance(cause, expected)

    asyncio.run(scenario())


def test_cancelling_the_waiting_task_ends_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wait never hides a cancellation of its own task: it ends at once, the workflow runs on."""
    EmptyLongPolls().install(monkeypatch)

    async def scenario() -> None:
        async with server() as (env, queue):
            started = await env.client.start_workflow(
                WaitsForever.run, id=f"w-{uuid.uuid4()}", task_queue=queue
            )
            waiting = asyncio.create_task(wait_for_result(env.client.get_workflow_handle(started.id)))
            await asyncio.sleep(0.5)
            waiting.cancel()

            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert (await started.describe()).status is not None
            await started.terminate()

    asyncio.run(scenario())


def test_another_runtime_error_is_not_taken_for_an_empty_poll() -> None:
    """Only the SDK's empty-poll error is retried; any other error reaches the caller at once."""

    class Broken:
        id = "w-trasig"
        calls = 0

        async def result(self) -> None:
            self.calls += 1
            raise RuntimeError("Unexpectedly missing new run ID from continue as new")

    broken = Broken()

    with pytest.raises(RuntimeError, match="missing new run ID"):
        asyncio.run(wait_for_result(broken))  # type: ignore[arg-type]
    assert broken.calls == 1
