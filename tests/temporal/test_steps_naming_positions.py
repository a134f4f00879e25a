"""A workflow's step records through the same use cases as a person: one naming a position not there on
its day is refused for good (not retried, not a crash), recording nothing."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment
from unit.governance_world import DAY, SECTOR, governance, seed, send

from lerum_flow.relay_contract import system_person
from lerum_flow.workflows.governance_steps import GovernanceSteps, refusal_rule
from lerum_flow.workflows.models import IssueUppdragInput, UppdragSpec

LATE = "enhet-sen"
LATER = date(2027, 8, 1)


def test_an_uppdrag_a_workflow_issues_to_a_position_not_yet_established_ends_the_step_for_good() -> None:
    """The step issuing an uppdrag to a unit established only from LATER, on DAY, fails non-retryable
    with the rule and the Swedish message, and the store holds nothing new."""
    app = governance()
    world = seed(app)
    send(app, "establish_befattning", SECTOR, code=LATE, name="Ny enhet", kind="chef", parent=SECTOR,
         established_on=LATER)  # fmt: skip
    spec = UppdragSpec(giver=SECTOR, recipient=LATE, title="Lokaler", due=date(2027, 12, 1), key="lokaler")
    request = IssueUppdragInput(
        command_key="plan/lokaler",
        person=system_person("plan"),
        spec=spec,
        origin_beslut_id=world.budget,
        issued_on=DAY,
    )
    before = app.head()

    with pytest.raises(ApplicationError) as refused:
        asyncio.run(ActivityEnvironment().run(GovernanceSteps(app).issue_uppdrag, request))

    assert refused.value.non_retryable
    assert refusal_rule(refused.value) == "inte_inrattad_an"
    assert f"Befattningen '{LATE}' fanns inte 2027-03-01: den inrättades först från 2027-08-01." in str(
        refused.value
    )
    assert app.head() == before
