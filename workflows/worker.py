"""The worker entrypoint: every workflow and activity on one task queue, and the relay beside them.

Several worker processes may serve the same queue (escalations scale out so):
Temporal hands each task to one of them, and a killed one's tasks go to the
others. Each has a relay too, which follows the log only while its process
leads (`lerum_flow.leadership`): one relay per store at a time, another
taking over within a second or so when the leader dies.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
    Worker,
    WorkflowRunner,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions
from temporalio.workflow import SandboxImportNotificationPolicy

from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal
from lerum_flow.health_server import WorkerHealth
from lerum_flow.leadership import Leadership, open_leadership
from lerum_flow.logs import get_logger
from lerum_flow.notifications import Notifier
from lerum_flow.reading import Children
from lerum_flow.relay import POLL_SECONDS, Relay, RelayPosition
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.relay_styrdokument import StyrdokumentRoutes
from lerum_flow.settings import Settings
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.worker_sampling import StoreSampler
from lerum_flow.workflows.activity_metrics import ActivityMetrics
from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.arshjul.workflow import Arshjul
from lerum_flow.workflows.eskalering.activities import EskaleringActivities
from lerum_flow.workflows.eskalering.workflow import Eskalering
from lerum_flow.workflows.former_names import under_former_names
from lerum_flow.workflows.governance_steps import (
    DecisionsTaken,
    GovernanceSteps,
    NoticeReminders,
    Reminders,
    failure_of,
)
from lerum_flow.workflows.internkontroll.activities import InternkontrollActivities
from lerum_flow.workflows.internkontroll.workflow import Internkontroll
from lerum_flow.workflows.mandatperiod.activities import MandatperiodActivities
from lerum_flow.workflows.mandatperiod.workflow import Mandatperiod
from lerum_flow.workflows.report_drafts import DraftMaker
from lerum_flow.workflows.styrdokument.activities import StyrdokumentActivities
from lerum_flow.workflows.styrdokument.workflow import Aktualitetsprovning
from lerum_flow.workflows.uppfoljning.activities import UppfoljningActivities
from lerum_flow.workflows.uppfoljning.workflow import Uppfoljning

WORKFLOWS: Sequence[type] = (
    Arshjul,
    Mandatperiod,
    Uppfoljning,
    Eskalering,
    Aktualitetsprovning,
    Internkontroll,
)


@dataclass(frozen=True)
class ProcessActivities:
    """The activities of the six processes, one object each (a stand-in may take one's place)."""

    arshjul: ArshjulActivities
    mandatperiod: MandatperiodActivities
    uppfoljning: UppfoljningActivities
    eskalering: EskaleringActivities
    styrdokument: StyrdokumentActivities
    internkontroll: InternkontrollActivities

    @classmethod
    def on(
        cls,
        governance: Governance,
        *,
        notifier: Notifier | None = None,
        reminders: Reminders | None = None,
        decisions: DecisionsTaken | None = None,
        drafts: DraftMaker | None = None,
        derived: Children | None = None,
    ) -> ProcessActivities:
        """Activities on one store; notices go out on `notifier` (the log unless given), reminders too
        unless `reminders` delivers them; `decisions` finds decisions taken (see GovernanceSteps);
        `drafts` makes the årshjul's report drafts (none are made without it)."""
        if reminders is None and notifier is not None:
            reminders = NoticeReminders(notifier)
        steps = GovernanceSteps(governance, reminders=reminders, decisions=decisions)
        return cls(
            arshjul=ArshjulActivities(steps, drafts),
            mandatperiod=MandatperiodActivities(steps),
            uppfoljning=UppfoljningActivities(steps, drafts),
            eskalering=EskaleringActivities(governance, notifier=notifier),
            styrdokument=StyrdokumentActivities(governance, notifier=notifier, derived=derived),
            internkontroll=InternkontrollActivities(steps, notifier=notifier),
        )

    def current(self) -> list[Callable[..., object]]:
        """Every activity, under its name `<process>.<verb>`."""
        return [
            *self.arshjul.all(),
            *self.mandatperiod.all(),
            *self.uppfoljning.all(),
            *self.eskalering.all(),
            *self.styrdokument.all(),
            *self.internkontroll.all(),
        ]

    def all(self) -> list[Callable[..., object]]:
        """Every activity under its name, and under its former name (`former_names`) as well."""
        current = self.current()
        return [*current, *under_former_names(current)]


class RelayAfterActivities(Interceptor):
    """Has `relay` hand on what each activity recorded before the activity completes.

    For a relay beside a time-skipping server (the demo's simulation, the
    tests): that server moves time on as soon as no task runs, so a signal
    the relay would send at its next poll could arrive after the deadline it
    answers. The production relay polls (`serve`).
    """

    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _CatchUpAfter(next, self.relay)


class _CatchUpAfter(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, relay: Relay) -> None:
        super().__init__(next)
        self.relay = relay

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        result = await super().execute_activity(input)
        await self.relay.catch_up()
        return result


class RefusalsEndActivities(Interceptor):
    """Ends an activity for good on a refusal it did not record through `record`: a read finding no
    such record (an index naming one the store does not have), a check of its input. Retried, it
    would be refused the same way once a minute for ever; failed for good, the workflow reports it.
    Every worker has it (`build_worker`), innermost, so the metrics count it as a refusal."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _RefusedForGood(next)


class _RefusedForGood(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except Refusal as refusal:
            raise failure_of(refusal) from None


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
    activities: ProcessActivities,
    *,
    extra_workflows: Sequence[type] = (),
    extra_activities: Sequence[Callable[..., Any]] = (),
    interceptors: Sequence[Interceptor] = (),
    max_concurrent_activities: int = 20,
    max_cached_workflows: int = 1000,
    graceful_stop: timedelta = timedelta(0),
) -> Worker:
    """A worker of every workflow and activity (the demo adds its simulated people's own).

    On shutdown it stops polling at once and gives running activities
    `graceful_stop` to finish before they are cancelled (and retried by
    Temporal on another worker).
    """
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[*WORKFLOWS, *extra_workflows],
        activities=[*activities.all(), *extra_activities],
        workflow_runner=strict_runner(),
        # Innermost (the first given is outermost), so the others see a refusal as it ends the activity.
        interceptors=[*interceptors, RefusalsEndActivities()],
        max_concurrent_activities=max_concurrent_activities,
        max_cached_workflows=max_cached_workflows,
        graceful_shutdown_timeout=graceful_stop,
    )


@dataclass(frozen=True)
class Watching:
    """What a watched worker reports to: its metrics and its probes' state, sampled this often."""

    metrics: WorkerMetrics
    health: WorkerHealth
    sample_seconds: float = 15.0

    def lead(self, leading: bool) -> None:
        """The relay's leadership changed: the probe and the metric say so."""
        self.health.leader = leading
        self.metrics.leader.labels(role="relay").set(1 if leading else 0)


async def serve(
    client: Client,
    task_queue: str,
    governance: Governance,
    settings: Settings,
    stop: asyncio.Event,
    *,
    activities: ProcessActivities | None = None,
    notifier: Notifier | None = None,
    decisions: DecisionsTaken | None = None,
    drafts: DraftMaker | None = None,
    derived: Children | None = None,
    poll_seconds: float = POLL_SECONDS,
    max_cached_workflows: int = 1000,
    graceful_stop: timedelta = timedelta(0),
    watching: Watching | None = None,
    extra_workflows: Sequence[type] = (),
    extra_activities: Sequence[Callable[..., Any]] = (),
    leadership: Leadership | None = None,
) -> None:
    """Run the worker and the relay until `stop` is set; both shut down before this returns.

    `notifier` is the channel notices go out on (the log unless given).
    `graceful_stop` is how long running activities may go on after `stop`
    (the deployed worker's comes from WorkerSettings). With `watching`,
    activities are counted, the store is sampled for the gauges, and the
    probes learn when the worker serves and when it stops. The relay runs
    while this process leads (`leadership`, the store's own unless given).
    """
    leadership = leadership or open_leadership(settings, "relay")
    position = RelayPosition(settings)
    relay = Relay(
        governance,
        position,
        [
            TemporalRoutes(client, governance, task_queue=task_queue),
            StyrdokumentRoutes(client, task_queue),
        ],
    )
    worker = build_worker(
        client,
        task_queue,
        activities
        or ProcessActivities.on(
            governance, notifier=notifier, decisions=decisions, drafts=drafts, derived=derived
        ),
        max_cached_workflows=max_cached_workflows,
        graceful_stop=graceful_stop,
        interceptors=[ActivityMetrics(watching.metrics)] if watching else [],
        extra_workflows=extra_workflows,
        extra_activities=extra_activities,
    )
    log = get_logger("lerum_flow.worker")
    sampling: asyncio.Task[None] | None = None
    try:
        if watching is not None:
            sampler = StoreSampler(governance, position, settings, watching.metrics, watching.health)
            sampling = asyncio.create_task(sampler.run(stop, every=watching.sample_seconds))
        async with worker:
            log.info("worker_startad", task_queue=task_queue)
            if watching is not None:
                watching.health.started = True
            await relay.run(
                stop,
                poll_seconds=poll_seconds,
                leadership=leadership,
                on_lead=watching.lead if watching is not None else None,
            )
            # The relay has stopped: give the lead up now, not after the graceful stop,
            # so that another replica relays while this one finishes its steps.
            leadership.close()
            # Leaving the block shuts the worker down: no new tasks, running activities
            # get `graceful_stop` to finish. Not ready from here on.
            if watching is not None:
                watching.lead(False)
                watching.health.stopping = True
            log.info("worker_stannar", task_queue=task_queue, grace_seconds=graceful_stop.total_seconds())
    finally:
        if sampling is not None:
            if not stop.is_set():
                sampling.cancel()  # the worker failed: nothing left to watch
            with contextlib.suppress(asyncio.CancelledError):
                await sampling
        position.close()
        leadership.close()
        log.info("worker_stoppad", task_queue=task_queue)
