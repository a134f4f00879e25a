"""Workflow-side helpers: a dated agenda, waiting for it, running its steps' activities, their inputs.

Deterministic code only (no clock but `workflow.now()`, no I/O); imported by
the workflow modules through `imports_passed_through()`.
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

from lerum_flow.domain.plan_steps import answering_decision
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.relay_contract import BeslutTaget, system_person
from lerum_flow.workflows.clock import day_after
from lerum_flow.workflows.former_names import former_name
from lerum_flow.workflows.models import (
    AvvikelseSpec,
    DecisionStep,
    FindBeslutInput,
    MissedDecisionInput,
)

# Refused commands fail at once (non-retryable); everything else, such as a
# store that is down, is retried for as long as it takes.
ACTIVITY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))

# Continue-as-new also when the history grows for another reason (many signals).
MAX_EVENTS_PER_RUN = 2_000

# Making a report's draft replays the log as of a day (the auditor's as-of replay): minutes on
# a store of a whole mandate period, far more than a command's activity timeout.
DRAFT_TIMEOUT = timedelta(minutes=30)

# Since this patch every activity is called by its name `<process>.<verb>`; a run recorded
# before it called them by their former names, and replaying it must call those again.
ACTIVITY_NAMES_PATCH = "activity-names-by-process"

TArgument = TypeVar("TArgument")
TResult = TypeVar("TResult")


async def run_activity(
    activity: Callable[[Any, TArgument], Awaitable[TResult]],
    argument: TArgument,
    *,
    timeout: timedelta,
    heartbeat_timeout: timedelta | None = None,
) -> TResult:
    """Run `activity` (a method of its class), under its former name in a run recorded before the renaming.

    Retried with ACTIVITY_RETRY: until it succeeds or is refused for good.
    """
    if workflow.patched(ACTIVITY_NAMES_PATCH):
        return await workflow.execute_activity_method(
            activity,
            argument,
            start_to_close_timeout=timeout,
            heartbeat_timeout=heartbeat_timeout,
            retry_policy=ACTIVITY_RETRY,
        )
    result: TResult = await workflow.execute_activity(
        former_name(activity),
        argument,
        result_type=typing.get_type_hints(activity)["return"],
        start_to_close_timeout=timeout,
        heartbeat_timeout=heartbeat_timeout,
        retry_policy=ACTIVITY_RETRY,
    )
    return result


@dataclass(frozen=True)
class Item:
    """One dated thing to do; `order` breaks ties so the agenda is the same on every replay."""

    key: str
    at: datetime
    phase: str
    order: int


def choose(
    items: Iterable[Item], done: Iterable[str], ready_at: Callable[[Item], datetime | None]
) -> tuple[Item, datetime] | None:
    """The pending item due first: at its own time, or earlier when it is ready earlier."""
    finished = set(done)
    best: tuple[Item, datetime] | None = None
    for item in items:
        if item.key in finished:
            continue
        ready = ready_at(item)
        due = item.at if ready is None else min(ready, item.at)
        if best is None or (due, item.order) < (best[1], best[0].order):
            best = (item, due)
    return best


async def wait_until(at: datetime, wake: Callable[[], bool]) -> bool:
    """Wait until `at` or until `wake()` holds; True when woken by it."""
    if wake():
        return True
    remaining = at - workflow.now()
    if remaining <= timedelta(0):
        return False
    try:
        await workflow.wait_condition(wake, timeout=remaining)
    except TimeoutError:
        return wake()
    return True


def should_continue_as_new() -> bool:
    info = workflow.info()
    return info.is_continue_as_new_suggested() or info.get_current_history_length() > MAX_EVENTS_PER_RUN


def matching_beslut(beslut: Iterable[BeslutTaget], step: DecisionStep) -> BeslutTaget | None:
    """The first decision that answers a step (the rule is the domain's: `answering_decision`)."""
    return answering_decision(beslut, step)


def find_input(steps: Iterable[DecisionStep]) -> FindBeslutInput:
    listed = list(steps)
    return FindBeslutInput(
        kinds=sorted({s.kind for s in listed}),
        decided_by=sorted({s.organ for s in listed}),
        not_before=min(s.not_before for s in listed),
    )


def missed_decision(
    step: DecisionStep, workflow_id: str, *, severity: str, category: str
) -> MissedDecisionInput:
    subject = f"{workflow_id}:{step.key}"
    return MissedDecisionInput(
        step=step,
        find=find_input([step]),
        avvikelse=AvvikelseSpec(
            command_key=f"{workflow_id}/avvikelse/{step.key}",
            person=system_person(workflow_id),
            actor=step.responsible,
            subject_kind=str(AvvikelseSubject.HANDELSE),
            subject_ref=subject,
            severity=severity,
            category=category,
            description=f"{step.name} har inte beslutats av {step.organ_name} senast "
            f"{step.deadline.on.isoformat()}.",
            occurred_on=day_after(step.deadline.on),
            key=f"beslut-saknas:{subject}",
        ),
    )


def problem(error: Exception, what: str) -> str:
    """A refused step in words, for the status and the result, instead of a failed workflow."""
    cause: BaseException | None = error
    while isinstance(cause, ActivityError | ChildWorkflowError) and cause.cause is not None:
        cause = cause.cause
    message = cause.message if isinstance(cause, ApplicationError) else str(cause)
    return f"{what}: {message}"
