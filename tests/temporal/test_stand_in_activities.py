"""The workflows' timing alone: stand-in activities, registered under the production names, on the
time-skipping server.

No store, no relay: each stand-in answers from a script and notes when it was
called (the server's time), and the test plays the relay by signalling the
workflow itself. What is checked is only what the workflow decides about
time: how long it waits, and what it asks for when the wait is over.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from temporal.temporal_harness import binary
from temporalio import activity
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import (
    SIGNAL_AVVIKELSE,
    SIGNAL_BESLUT,
    SIGNAL_RAPPORT,
    AvvikelseAndrad,
    BeslutTaget,
    RapportInkommen,
    arshjul_workflow_id,
    eskalering_workflow_id,
    uppfoljning_workflow_id,
)
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.arshjul.models import ArshjulInput, ArshjulResult, CyclePlan, PlanCycleInput
from lerum_flow.workflows.arshjul.workflow import Arshjul
from lerum_flow.workflows.clock import local_date, start_of
from lerum_flow.workflows.eskalering.models import (
    EskaleringInput,
    EskaleringResult,
    FollowInput,
    Lage,
    MissInput,
    MissResult,
)
from lerum_flow.workflows.eskalering.workflow import Eskalering
from lerum_flow.workflows.models import (
    DecisionStep,
    FindBeslutInput,
    IssuedUppdrag,
    IssueUppdragInput,
    MissedDecisionInput,
    MissedDecisionOutcome,
    MissingReportsInput,
    MissingReportsOutcome,
    Moment,
    RemindInput,
    UppdragSpec,
)
from lerum_flow.workflows.uppfoljning.models import (
    FollowUpStep,
    Reporter,
    RequestReportsInput,
    UppfoljningInput,
    UppfoljningResult,
)
from lerum_flow.workflows.uppfoljning.workflow import Uppfoljning
from lerum_flow.workflows.worker import WORKFLOWS, strict_runner

BUDGET_DEADLINE = timedelta(days=30)


def server_now() -> datetime:
    """The time-skipping server's time at which the running activity attempt was scheduled."""
    return activity.info().current_attempt_scheduled_time


async def until(condition: Callable[[], bool]) -> None:
    """Wait in real time (the server's clock only keeps pace meanwhile) until `condition` holds."""
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("det väntade hände aldrig")


@asynccontextmanager
async def stand_ins(activities: Sequence[Any]) -> AsyncIterator[tuple[WorkflowEnvironment, str]]:
    """A time-skipping server and a worker of the real workflows with only `activities`."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=binary("temporal-test-server")
    )
    task_queue = f"stand-ins-{uuid.uuid4()}"
    try:
        async with Worker(
            env.client,
            task_queue=task_queue,
            workflows=list(WORKFLOWS),
            activities=list(activities),
            workflow_runner=strict_runner(),
        ):
            yield env, task_queue
    finally:
        await env.shutdown()


# --- the årshjul ------------------------------------------------------------------------


def budget_only_plan(year: int, start: datetime) -> CyclePlan:
    """A year with one step, KF's budget due 30 days after `start`; the uppdrag is given up in a year."""
    deadline = start + BUDGET_DEADLINE
    return CyclePlan(
        kommunkod="1441",
        kommun="Lerum",
        budget_year=year,
        election_year=False,
        decisions=[
            DecisionStep(
                key="budget",
                name=f"Budget {year}",
                kind="budget",
                organ="kf",
                organ_name="Kommunfullmäktige",
                not_before=local_date(start),
                deadline=Moment(on=local_date(deadline), at=deadline),
                responsible="ks",
                phase="budget",
            )
        ],
        budget_uppdrag=UppdragSpec(
            giver="kf", recipient="ks", title=f"Budget {year}", due=date(year, 12, 31), key="b"
        ),
        budget_give_up=Moment(on=local_date(start + timedelta(days=365)), at=start + timedelta(days=365)),
        follow_ups=[],
        reports=[],
        avvikelse_severity="avvikelse",
        avvikelse_category="ekonomi",
    )


@dataclass
class CycleStandIns:
    """The årshjul's activities as a script: the plan above, an empty store, and a log of what was asked."""

    year: int
    start: datetime
    missed: list[tuple[datetime, MissedDecisionInput]] = field(default_factory=list)
    issued: list[tuple[datetime, IssueUppdragInput]] = field(default_factory=list)

    @activity.defn(name="arshjul.plan")
    async def plan(self, request: PlanCycleInput) -> CyclePlan:
        return budget_only_plan(request.budget_year, self.start)

    @activity.defn(name="arshjul.find_beslut")
    async def find_beslut(self, request: FindBeslutInput) -> list[BeslutTaget]:
        return []

    @activity.defn(name="arshjul.record_missed_decision")
    async def record_missed_decision(self, request: MissedDecisionInput) -> MissedDecisionOutcome:
        self.missed.append((server_now(), request))
        return MissedDecisionOutcome(found=[], avvikelse_id=uuid.uuid4())

    @activity.defn(name="arshjul.issue_uppdrag")
    async def issue_uppdrag(self, request: IssueUppdragInput) -> IssuedUppdrag:
        self.issued.append((server_now(), request))
        return IssuedUppdrag(key=request.spec.key, uppdrag_id=uuid.uuid4(), recorded=True)

    def all(self) -> list[Any]:
        return [self.plan, self.find_beslut, self.record_missed_decision, self.issue_uppdrag]


async def start_cycle(client: Client, task_queue: str, year: int) -> Any:
    return await client.start_workflow(
        Arshjul.run,
        ArshjulInput(kommunkod="1441", budget_year=year),
        id=arshjul_workflow_id("1441", year),
        task_queue=task_queue,
    )


def test_the_arshjul_waits_for_the_budget_until_its_deadline_and_then_has_it_recorded_missed() -> None:
    """No decision comes: at the deadline, not before, the missing budget is recorded, once."""

    async def scenario() -> None:
        year = municipal_today().year + 2
        start = datetime.now().astimezone()
        script = CycleStandIns(year, start)
        async with stand_ins(script.all()) as (env, task_queue):
            script.start = await env.get_current_time()
            result: ArshjulResult = await wait_for_result(await start_cycle(env.client, task_queue, year))

        ((asked_at, asked),) = script.missed
        assert asked_at >= script.start + BUDGET_DEADLINE
        assert asked.avvikelse.actor == "ks"
        assert asked.avvikelse.occurred_on == local_date(script.start + BUDGET_DEADLINE) + timedelta(days=1)
        assert (result.tally.deadlines_missed, result.tally.avvikelser) == (1, 1)
        assert script.issued == []

    asyncio.run(scenario())


def test_a_budget_decided_in_time_is_counted_met_and_its_uppdrag_issued_from_the_decision_day() -> None:
    """The decision is signalled before the deadline: nothing is recorded missed; KF's uppdrag follows it."""

    async def scenario() -> None:
        year = municipal_today().year + 2
        script = CycleStandIns(year, datetime.now().astimezone())
        async with stand_ins(script.all()) as (env, task_queue):
            script.start = await env.get_current_time()
            decided_on = local_date(script.start) + timedelta(days=10)
            decision = BeslutTaget(
                event_id="budget:1",
                beslut_id=uuid.uuid4(),
                kind="budget",
                decided_by="kf",
                decided_on=decided_on,
            )
            handle = await start_cycle(env.client, task_queue, year)
            await handle.signal(SIGNAL_BESLUT, decision)
            result: ArshjulResult = await wait_for_result(handle)

        assert script.missed == []
        ((issued_at, issued),) = script.issued
        assert start_of(decided_on) <= issued_at < script.start + BUDGET_DEADLINE
        assert (issued.origin_beslut_id, issued.issued_on) == (decision.beslut_id, decided_on)
        assert (result.tally.deadlines_met, result.tally.deadlines_missed) == (1, 0)

    asyncio.run(scenario())


# --- the follow-up -----------------------------------------------------------------------


def follow_up_step(start: datetime) -> FollowUpStep:
    """Two reports asked for a day after `start`, a reminder on day 10, the deadline on day 15."""

    def moment(days: int) -> Moment:
        return Moment(on=local_date(start + timedelta(days=days)), at=start + timedelta(days=days))

    return FollowUpStep(
        period="2030-03",
        led="sektorschef",
        led_name="sektorschef → kommundirektör",
        request=moment(1),
        remind=moment(10),
        deadline=moment(15),
        reporters=[Reporter(position="larande", reports_to="kommundirektor")],
        areas=["ekonomi", "verksamhet"],
    )


@dataclass
class FollowUpStandIns:
    """The follow-up's activities as a script: each request becomes an uppdrag; reminders and misses noted."""

    requested: list[IssuedUppdrag] = field(default_factory=list)
    reminded: list[tuple[datetime, RemindInput]] = field(default_factory=list)
    missing: list[tuple[datetime, MissingReportsInput]] = field(default_factory=list)

    @activity.defn(name="uppfoljning.request_reports")
    async def request_reports(self, request: RequestReportsInput) -> list[IssuedUppdrag]:
        self.requested = [
            IssuedUppdrag(key=f"{r.recipient}/{r.key}", uppdrag_id=uuid.uuid4(), recorded=True)
            for r in request.requests
        ]
        return self.requested

    @activity.defn(name="uppfoljning.remind")
    async def remind(self, request: RemindInput) -> int:
        self.reminded.append((server_now(), request))
        return len(request.reminders)

    @activity.defn(name="uppfoljning.record_missing_reports")
    async def record_missing_reports(self, request: MissingReportsInput) -> MissingReportsOutcome:
        self.missing.append((server_now(), request))
        return MissingReportsOutcome(
            reported_after_all=[], avvikelser=[uuid.uuid4() for _ in request.avvikelser]
        )

    def all(self) -> list[Any]:
        return [self.request_reports, self.remind, self.record_missing_reports]


def test_a_follow_up_reminds_at_its_reminder_and_records_at_its_deadline_only_the_report_not_in() -> None:
    """One of two reports comes in: the other is reminded of on day 10 and recorded missing after day 15."""

    async def scenario() -> None:
        script = FollowUpStandIns()
        async with stand_ins(script.all()) as (env, task_queue):
            step = follow_up_step(await env.get_current_time())
            handle = await env.client.start_workflow(
                Uppfoljning.run,
                UppfoljningInput(
                    kommunkod="1441",
                    budget_year=2030,
                    step=step,
                    origin_beslut_id=uuid.uuid4(),
                    avvikelse_severity="avvikelse",
                    avvikelse_category="ekonomi",
                ),
                id=uppfoljning_workflow_id("1441", 2030, step.period, step.led),
                task_queue=task_queue,
            )
            # Time moves to just after the request; the relay (played here) hands one report on.
            await env.sleep(step.request.at - await env.get_current_time() + timedelta(hours=1))
            await until(lambda: bool(script.requested))
            reported, silent = script.requested
            await handle.signal(
                SIGNAL_RAPPORT,
                RapportInkommen(
                    event_id=f"{reported.uppdrag_id}:3",
                    uppdrag_id=reported.uppdrag_id,
                    reported_by="larande",
                    reported_on=step.request.on + timedelta(days=4),
                ),
            )
            result: UppfoljningResult = await wait_for_result(handle)

        ((reminded_at, reminder),) = script.reminded
        assert step.remind.at <= reminded_at < step.deadline.at
        assert [r.uppdrag_id for r in reminder.reminders] == [silent.uppdrag_id]
        ((recorded_at, missing),) = script.missing
        assert recorded_at >= step.deadline.at
        assert missing.uppdrag_ids == [silent.uppdrag_id]
        assert [a.subject_ref for a in missing.avvikelser] == [str(silent.uppdrag_id)]
        assert (result.tally.reports_on_time, result.tally.reports_missing, result.tally.avvikelser) == (
            1,
            1,
            1,
        )

    asyncio.run(scenario())


# --- the escalation ------------------------------------------------------------------------

LEVELS = ["chef", "sektorschef", "kf"]
HOURS = {"chef": 2, "sektorschef": 4, "kf": 24}


def lage_at(avvikelse_id: uuid.UUID, index: int, since: datetime, *, acknowledged: bool = False) -> Lage:
    """The deviation at LEVELS[index] since `since`, visit `index + 1`, its deadline HOURS later."""
    level = LEVELS[index]
    return Lage(
        avvikelse_id=avvikelse_id,
        version=index + 1 + int(acknowledged),
        status="kvitterad" if acknowledged else "rapporterad",
        is_open=True,
        level=level,
        level_name=level,
        visit=index + 1,
        at_level_since=since,
        deadline=None if acknowledged else since + timedelta(hours=HOURS[level]),
        above=LEVELS[index + 1] if index + 1 < len(LEVELS) else None,
        severity="avvikelse",
        # As if its notice had gone out: the stand-ins send none.
        notified_visit=index + 1,
    )


@dataclass
class EscalationStandIns:
    """The escalation's activities as a script: a deviation that goes up a level at each miss."""

    avvikelse_id: uuid.UUID
    lage: Lage | None = None
    # After a signal, the next read finds the deviation changed to this.
    changed: list[Lage] = field(default_factory=list)
    reads: list[datetime] = field(default_factory=list)
    misses: list[tuple[datetime, MissInput]] = field(default_factory=list)

    @activity.defn(name="eskalering.follow")
    async def follow(self, request: FollowInput) -> Lage:
        self.reads.append(server_now())
        if self.lage is None:
            self.lage = lage_at(self.avvikelse_id, 0, self.reads[0])
        elif self.changed:
            self.lage = self.changed.pop(0)
        return self.lage

    @activity.defn(name="eskalering.record_missed_deadline")
    async def record_missed_deadline(self, request: MissInput) -> MissResult:
        now = server_now()
        self.misses.append((now, request))
        index = LEVELS.index(request.level)
        if index + 1 < len(LEVELS):
            self.lage = lage_at(self.avvikelse_id, index + 1, now)
        return MissResult(missed=True, lage=self.lage or lage_at(self.avvikelse_id, index, now))

    def all(self) -> list[Any]:
        return [self.follow, self.record_missed_deadline]


async def start_escalation(client: Client, task_queue: str, avvikelse_id: uuid.UUID) -> Any:
    return await client.start_workflow(
        Eskalering.run,
        EskaleringInput(avvikelse_id=avvikelse_id),
        id=eskalering_workflow_id(avvikelse_id),
        task_queue=task_queue,
    )


def test_an_unacknowledged_deviation_escalates_at_each_levels_deadline_until_the_top() -> None:
    """Each deadline passes unanswered: the miss is recorded then, and the next level's clock starts."""

    async def scenario() -> None:
        script = EscalationStandIns(uuid.uuid4())
        async with stand_ins(script.all()) as (env, task_queue):
            result: EskaleringResult = await wait_for_result(
                await start_escalation(env.client, task_queue, script.avvikelse_id)
            )

        assert [miss.level for _, miss in script.misses] == LEVELS
        since = script.reads[0]
        for (missed_at, miss), level in zip(script.misses, LEVELS, strict=True):
            assert miss.deadline == since + timedelta(hours=HOURS[level])
            assert missed_at >= miss.deadline
            since = missed_at
        assert (result.outcome, result.level, result.missed) == ("obesvarad", "kf", LEVELS)

    asyncio.run(scenario())


def test_a_deviation_acknowledged_before_its_deadline_is_not_escalated() -> None:
    """The chef acknowledges and then closes it: no deadline is recorded missed, the workflow ends."""

    async def scenario() -> None:
        script = EscalationStandIns(uuid.uuid4())
        async with stand_ins(script.all()) as (env, task_queue):
            start = await env.get_current_time()
            handle = await start_escalation(env.client, task_queue, script.avvikelse_id)
            acknowledged = lage_at(script.avvikelse_id, 0, start, acknowledged=True)
            closed = acknowledged.model_copy(update={"version": 3, "status": "stangd", "is_open": False})
            script.changed = [acknowledged, closed]
            for version, what in ((2, "kvitterad"), (3, "stangd")):
                await handle.signal(
                    SIGNAL_AVVIKELSE,
                    AvvikelseAndrad(
                        event_id=f"{script.avvikelse_id}:{version}",
                        avvikelse_id=script.avvikelse_id,
                        version=version,
                        what=what,
                    ),
                )
            result: EskaleringResult = await wait_for_result(handle)

        assert script.misses == []
        assert (result.outcome, result.level, result.missed) == ("stangd", "chef", [])

    asyncio.run(scenario())
