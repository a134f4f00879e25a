"""The worker entrypoint: every workflow and activity on one task queue, and the relay beside them.

Several worker processes may serve the same queue (escalations scale out so):
Temporal hands each task to one of them, and a killed one's tasks go to the
others. Each runs a relay too; relays that overlap deliver an event twice at
worst, which the workflows recognise by its event id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.worker import Interceptor, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions
from temporalio.workflow import SandboxImportNotificationPolicy

from lerum_flow.application import Governance
from lerum_flow.notifications import Notifier
from lerum_flow.relay import POLL_SECONDS, Relay, RelayPosition
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.settings import Settings
from lerum_flow.workflows.activities import GovernanceActivities, NoticeReminders
from lerum_flow.workflows.arshjul import Arshjul
from lerum_flow.workflows.eskalering import Eskalering
from lerum_flow.workflows.eskalering_activities import EskaleringActivities
from lerum_flow.workflows.internkontroll.activities import InternkontrollActivities
from lerum_flow.workflows.internkontroll.workflow import Internkontroll
from lerum_flow.workflows.mandatperiod import Mandatperiod
from lerum_flow.workflows.uppfoljning import Uppfoljning

WORKFLOWS: Sequence[type] = (Arshjul, Mandatperiod, Uppfoljning, Eskalering, Internkontroll)


def strict_runner() -> WorkflowRunner:
    """A sandbox that refuses an import not passed through on purpose, at worker start.

    Without it, structlog or eventsourcing imported into workflow code hits a
    lock inside the sandbox and the workflow task retries forever.
    """
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_import_notification_policy(
            SandboxImportNotificationPolicy.RAISE_ON_UNINTENTIONAL_PASSTHROUGH
        )
    )


def build_worker(
    client: Client,
    task_queue: str,
    activities: GovernanceActivities,
    *,
    escalation: EskaleringActivities | None = None,
    internkontroll: InternkontrollActivities | None = None,
    extra_workflows: Sequence[type] = (),
    extra_activities: Sequence[Callable[..., Any]] = (),
    interceptors: Sequence[Interceptor] = (),
    max_concurrent_activities: int = 20,
    max_cached_workflows: int = 1000,
) -> Worker:
    """A worker of every workflow; the escalation's and the internkontroll year's activities default to
    those of `activities`' store."""
    escalation = escalation or EskaleringActivities(activities.governance, after_write=activities.after_write)
    internkontroll = internkontroll or InternkontrollActivities(activities)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[*WORKFLOWS, *extra_workflows],
        activities=[*activities.all(), *escalation.all(), *internkontroll.all(), *extra_activities],
        workflow_runner=strict_runner(),
        interceptors=interceptors,
        max_concurrent_activities=max_concurrent_activities,
        max_cached_workflows=max_cached_workflows,
    )


async def serve(
    client: Client,
    task_queue: str,
    governance: Governance,
    settings: Settings,
    stop: asyncio.Event,
    *,
    activities: GovernanceActivities | None = None,
    escalation: EskaleringActivities | None = None,
    notifier: Notifier | None = None,
    poll_seconds: float = POLL_SECONDS,
    max_cached_workflows: int = 1000,
) -> None:
    """Run the worker and the relay until `stop` is set; both shut down before this returns.

    `notifier` is the channel notices go out on (the log unless given).
    """
    position = RelayPosition(settings)
    relay = Relay(governance, position, [TemporalRoutes(client, governance, task_queue=task_queue)])
    reminders = NoticeReminders(notifier) if notifier is not None else None
    steps = activities or GovernanceActivities(governance, notifier=reminders)
    worker = build_worker(
        client,
        task_queue,
        steps,
        escalation=escalation or EskaleringActivities(governance, notifier=notifier),
        internkontroll=InternkontrollActivities(steps, notifier=notifier),
        max_cached_workflows=max_cached_workflows,
    )
    log = structlog.get_logger("lerum_flow.worker")
    try:
        async with worker:
            log.info("worker_startad", task_queue=task_queue)
            await relay.run(stop, poll_seconds=poll_seconds)
    finally:
        position.close()
        log.info("worker_stoppad", task_queue=task_queue)
