"""The starter: start a cycle or a mandate period once, ask how it goes, list what runs.

Workflow ids are deterministic (`arshjul-1441-2028`), and a second start of
the same id is refused by Temporal, running or finished: starting twice is
harmless and answered with what already exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.plan_steps import StepOutcome, answering_decision, outcome_of
from lerum_flow.relay_contract import (
    WORKFLOW_ARSHJUL,
    WORKFLOW_MANDATPERIOD,
    BeslutTaget,
    arshjul_workflow_id,
    mandatperiod_workflow_id,
)
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.arshjul import cycle
from lerum_flow.workflows.arshjul.models import ArshjulInput, ArshjulResult, CyclePlan
from lerum_flow.workflows.arshjul.workflow import Arshjul
from lerum_flow.workflows.mandatperiod.models import MandatperiodInput, MandatPlan
from lerum_flow.workflows.mandatperiod.workflow import Mandatperiod
from lerum_flow.workflows.models import QUERY_STATUS, WorkflowStatus
from lerum_flow.workflows.planning import plan_cycle, plan_mandatperiod

STATUS_NAMES = {
    WorkflowExecutionStatus.RUNNING: "pågår",
    WorkflowExecutionStatus.COMPLETED: "avslutad",
    WorkflowExecutionStatus.FAILED: "misslyckad",
    WorkflowExecutionStatus.CANCELED: "avbruten",
    WorkflowExecutionStatus.TERMINATED: "stoppad",
    WorkflowExecutionStatus.CONTINUED_AS_NEW: "fortsatt som ny",
    WorkflowExecutionStatus.TIMED_OUT: "tidsgräns",
}


@dataclass(frozen=True)
class Started:
    workflow_id: str
    started: bool
    status: str


@dataclass(frozen=True)
class Listed:
    workflow_id: str
    workflow_type: str
    status: str
    started_at: datetime | None


async def start_arshjul(client: Client, task_queue: str, kommunkod: str, budget_year: int) -> Started:
    workflow_id = arshjul_workflow_id(kommunkod, budget_year)
    arguments = ArshjulInput(kommunkod=kommunkod, budget_year=budget_year)
    return await start_once(client, Arshjul.run, arguments, workflow_id, task_queue)


async def start_mandatperiod(client: Client, task_queue: str, kommunkod: str, election_year: int) -> Started:
    workflow_id = mandatperiod_workflow_id(kommunkod, election_year)
    arguments = MandatperiodInput(kommunkod=kommunkod, election_year=election_year)
    return await start_once(client, Mandatperiod.run, arguments, workflow_id, task_queue)


async def start_once(client: Client, run: Any, arguments: Any, workflow_id: str, task_queue: str) -> Started:
    """Start the workflow unless one with its id ran or runs: then say how that one stands."""
    try:
        await client.start_workflow(
            run,
            arguments,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        )
    except WorkflowAlreadyStartedError:
        return Started(workflow_id, False, await _status_name(client, workflow_id))
    return Started(workflow_id, True, STATUS_NAMES[WorkflowExecutionStatus.RUNNING])


async def query_status(client: Client, workflow_id: str, timeout: timedelta) -> WorkflowStatus | None:
    """What a workflow waits for; None when no worker answers in time (a query needs one)."""
    try:
        status: WorkflowStatus = await client.get_workflow_handle(workflow_id).query(
            QUERY_STATUS, result_type=WorkflowStatus, rpc_timeout=timeout
        )
    except (RPCError, WorkflowQueryFailedError, WorkflowQueryRejectedError):
        return None
    return status


async def list_running(client: Client, kommunkod: str) -> list[Listed]:
    """The cycles and mandate periods of one municipality that are alive now."""
    listed = []
    async for execution in client.list_workflows("ExecutionStatus = 'Running'"):
        if (
            execution.workflow_type in (WORKFLOW_ARSHJUL, WORKFLOW_MANDATPERIOD)
            and f"-{kommunkod}-" in execution.id
        ):
            listed.append(
                Listed(
                    workflow_id=execution.id,
                    workflow_type=execution.workflow_type,
                    status=STATUS_NAMES.get(execution.status, "okänd") if execution.status else "okänd",
                    started_at=execution.start_time,
                )
            )
    return sorted(listed, key=lambda item: item.workflow_id)


async def execution_status(client: Client, workflow_id: str) -> str:
    """The execution status in words; "" for a workflow that was never started."""
    return await _status_name(client, workflow_id)


async def _status_name(client: Client, workflow_id: str) -> str:
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            return ""
        raise
    status = description.status
    return STATUS_NAMES.get(status, "okänd") if status is not None else "okänd"


def plan_of_budget_year(styrmodell: Styrmodell, budget_year: int) -> CyclePlan:
    """The plan a budget year's cycle will run, computed as its plan activity computes it."""
    return plan_cycle(styrmodell, budget_year)


@dataclass(frozen=True)
class StepStanding:
    """A decision step of a budget year as the record answers it on a day."""

    outcome: StepOutcome
    answered_on: date | None


def decision_standings(plan: CyclePlan, decided: Sequence[BeslutTaget], on: date) -> dict[str, StepStanding]:
    """Each decision step of the plan (by its name) answered in time, late, missed or still to come,
    by the decisions recorded: the cycle's own rule for which decision answers a step (a nämnd's plan
    only after KF's budget), so the page and the running cycle agree."""
    found: dict[str, StepStanding] = {}
    for step in plan.decisions:
        answer = answering_decision(decided, cycle.owed(plan, decided, step))
        answered_on = answer.decided_on if answer else None
        found[step.name] = StepStanding(outcome_of(step.deadline.on, answered_on, on), answered_on)
    return found


def plan_of_mandate_period(styrmodell: Styrmodell, election_year: int) -> MandatPlan:
    """The plan a mandate period's workflow will run, computed as its plan activity computes it."""
    return plan_mandatperiod(styrmodell, election_year)


async def describe_cycle(
    client: Client, workflow_id: str, timeout: timedelta = timedelta(seconds=10)
) -> tuple[str, WorkflowStatus | None, ArshjulResult | None]:
    """Its status in words, what it waits for (while it runs) and its result (once it is done)."""
    name = await execution_status(client, workflow_id)
    handle = client.get_workflow_handle(workflow_id, result_type=ArshjulResult)
    if name == STATUS_NAMES[WorkflowExecutionStatus.COMPLETED]:
        return name, None, await wait_for_result(handle)
    if name == STATUS_NAMES[WorkflowExecutionStatus.RUNNING]:
        return name, await query_status(client, workflow_id, timeout), None
    return name, None, None


FIRST_YEAR, LAST_YEAR = 2000, 2200


def check_budget_year(year: int) -> None:
    """Refuse a budget year no cycle could be planned for, in words."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            f"Budgetåret {year} är orimligt; ange ett år mellan {FIRST_YEAR} och {LAST_YEAR}.",
            field="BUDGETÅR",
            rule="budgetar",
        )
