"""The escalation's activities alone: retried, raced by a person, given a deviation that is not there."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from temporal.escalation_world import CHEF, MEDARBETARE, PERSON, establish_unit, history, report
from temporal.on_a_worker import on_a_worker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.municipal_time import municipal_today
from lerum_flow.notifications import Notice
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.eskalering.activities import EskaleringActivities
from lerum_flow.workflows.eskalering.models import FollowInput, MissInput

WORKFLOW_ID = "eskalering-test"


class Notices:
    def __init__(self) -> None:
        self.sent: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        self.sent.append(notice)


@pytest.fixture
def governance(tmp_path: Path) -> Governance:
    settings = Settings(data_dir=tmp_path)
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    establish_unit(app, municipal_today())
    return app


def kinds(governance: Governance, avvikelse_id: uuid.UUID) -> list[str]:
    return [type(e).__name__ for e in history(governance, avvikelse_id)]


def test_a_missed_deadline_retried_is_recorded_once(governance: Governance) -> None:
    """The same step run twice (a worker died after the commit) records one miss and one escalation."""
    avvikelse_id = report(governance, MEDARBETARE)
    notices = Notices()
    activities = EskaleringActivities(governance, notifier=notices)
    env = ActivityEnvironment()
    lage = asyncio.run(
        env.run(activities.follow, FollowInput(avvikelse_id=avvikelse_id, workflow_id=WORKFLOW_ID))
    )
    assert lage.deadline is not None
    miss = MissInput(
        avvikelse_id=avvikelse_id,
        workflow_id=WORKFLOW_ID,
        level=lage.level,
        visit=lage.visit,
        deadline=lage.deadline,
        notified_visit=lage.notified_visit,
    )

    first = asyncio.run(env.run(activities.record_missed_deadline, miss))
    again = asyncio.run(env.run(activities.record_missed_deadline, miss))

    assert (first.missed, again.missed) == (True, True)
    assert first.lage == again.lage
    assert kinds(governance, avvikelse_id) == ["Reported", "DeadlineMissed", "Escalated"]
    # Notices go out at least once, each time under the same key.
    assert [n.recipient for n in notices.sent] == [CHEF, "larande", "larande"]
    assert len({n.key for n in notices.sent}) == 2


def test_a_deadline_passing_as_a_person_acknowledges_records_no_miss(governance: Governance) -> None:
    """The acknowledgement came first: nothing is recorded, and the read shows it acknowledged."""
    avvikelse_id = report(governance, MEDARBETARE)
    activities = EskaleringActivities(governance, notifier=Notices())
    env = ActivityEnvironment()
    lage = asyncio.run(
        env.run(activities.follow, FollowInput(avvikelse_id=avvikelse_id, workflow_id=WORKFLOW_ID))
    )
    assert lage.deadline is not None
    governance.acknowledge_avvikelse(
        c.AcknowledgeAvvikelse(actor=CHEF, person=PERSON, avvikelse_id=avvikelse_id, on=municipal_today())
    )

    result = asyncio.run(
        env.run(
            activities.record_missed_deadline,
            MissInput(
                avvikelse_id=avvikelse_id,
                workflow_id=WORKFLOW_ID,
                level=lage.level,
                visit=lage.visit,
                deadline=lage.deadline,
            ),
        )
    )

    assert (result.missed, result.lage.status, result.lage.deadline) == (False, "kvitterad", None)
    assert kinds(governance, avvikelse_id) == ["Reported", "Acknowledged"]


def test_an_unknown_deviation_is_refused_for_good(governance: Governance) -> None:
    activities = EskaleringActivities(governance, notifier=Notices())
    unknown = FollowInput(avvikelse_id=uuid.uuid4(), workflow_id=WORKFLOW_ID)

    with pytest.raises(ApplicationError) as refused:
        on_a_worker(activities.follow, unknown)

    assert refused.value.non_retryable
    assert "Det finns ingen avvikelse" in refused.value.message
