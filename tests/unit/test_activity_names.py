"""Every activity is named `<process>.<verb>`, and still answers to every name a recorded history calls.

Activity names are stored in workflow histories: a run recorded before the
renaming schedules the former names, on replay and when it goes on, so the
worker must serve them too (`former_names`), with the same inputs and results.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.testing import ActivityEnvironment

from lerum_flow.application import Governance
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.arshjul.models import CyclePlan, PlanCycleInput
from lerum_flow.workflows.former_names import under_former_names
from lerum_flow.workflows.governance_steps import GovernanceSteps
from lerum_flow.workflows.planning import plan_cycle as plan_cycle_of
from lerum_flow.workflows.worker import ProcessActivities

HISTORIES = Path(__file__).parents[1] / "temporal" / "histories"


@pytest.fixture(scope="module")
def activities() -> ProcessActivities:
    governance = Governance(default_styrmodell(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return ProcessActivities.on(governance)


def name_of(registered: Callable[..., Any]) -> str:
    # temporalio keeps the definition it registers on the function and offers no public reader of it.
    definition = activity._Definition.must_from_callable(registered)
    assert definition.name is not None
    return definition.name


def called_in_histories() -> set[str]:
    """Every activity name scheduled in a recorded history."""
    names = set()
    for path in HISTORIES.rglob("*.json"):
        for run in json.loads(path.read_text(encoding="utf-8"))["runs"]:
            for event in run["events"]:
                scheduled = event.get("activityTaskScheduledEventAttributes")
                if scheduled:
                    names.add(scheduled["activityType"]["name"])
    return names


def test_every_activity_is_named_after_its_process_and_its_verb(activities: ProcessActivities) -> None:
    """`arshjul.plan`, `eskalering.follow`, ...: the process, a dot, and the method's own name."""
    by_process = {
        "arshjul": activities.arshjul.all(),
        "mandatperiod": activities.mandatperiod.all(),
        "uppfoljning": activities.uppfoljning.all(),
        "eskalering": activities.eskalering.all(),
        "styrdokument": activities.styrdokument.all(),
    }
    for process, registered in by_process.items():
        assert registered
        assert [name_of(a) for a in registered] == [f"{process}.{a.__name__}" for a in registered]


def test_the_worker_serves_every_name_a_recorded_history_calls(activities: ProcessActivities) -> None:
    """The former names of histories recorded before the renaming, and the names of those recorded since."""
    served = [name_of(a) for a in activities.all()]
    former = {name_of(a) for a in under_former_names(activities.current())}

    assert len(served) == len(set(served))
    assert called_in_histories() <= set(served)
    assert former <= called_in_histories(), "a former name that no recorded history calls"


def types_of(registered: Callable[..., Any]) -> tuple[Any, ...]:
    """What an activity takes and gives, as the data converter decodes and encodes it."""
    hints = typing.get_type_hints(registered)
    return (*(hints[p] for p in inspect.signature(registered).parameters), hints["return"])


def test_under_its_former_name_an_activity_takes_and_gives_what_it_does_under_its_own() -> None:
    """A run recorded before the renaming hands the same input over and gets the same result back."""
    steps = GovernanceSteps(
        Governance(default_styrmodell(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    )
    arshjul = ArshjulActivities(steps)
    (plan_cycle,) = [a for a in under_former_names(arshjul.all()) if name_of(a) == "plan_cycle"]

    assert types_of(plan_cycle) == types_of(arshjul.plan) == (PlanCycleInput, CyclePlan)
    kommun = steps.styrmodell.kommun.kod
    planned = asyncio.run(
        ActivityEnvironment().run(plan_cycle, PlanCycleInput(kommunkod=kommun, budget_year=2030))
    )
    assert planned == plan_cycle_of(steps.styrmodell, 2030)
