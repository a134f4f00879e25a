"""Which workflow an event concerns, and the signal that tells it.

- `Beslut.Taken` of a kind the årshjul waits for goes to that budget year's
  cycle (the budget, verksamhetsplan and uppföljningsplan are decided the
  year before the budget year, ansvarsfrihet the year after; a budget
  decision that names its budget year goes to that year's); Vilja och mål
  goes to the mandate period it was decided in.
- `Uppdrag.Reported` goes to the workflow that issued the uppdrag (the
  process that recorded its `Issued`), if a workflow did.
- `Avvikelse.Reported` starts the deviation's escalation (its id derives from
  the deviation's, and a second start of it, running or ended, is refused by
  Temporal: a repeat is a no-op); what a person does with the deviation
  afterwards (acknowledges, assesses, escalates, closes) is signalled to it.
  The escalation process's own events (a missed deadline and the escalation
  it causes) are not: the workflow recorded them and knows.

A signal to a workflow that has ended or was never started is dropped: a
cycle started later finds recorded decisions itself, and a follow-up that has
ended has already recorded its deviations.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from lerum_flow.application import Governance
from lerum_flow.commands import PROCESS_ACTOR
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind
from lerum_flow.logs import get_logger
from lerum_flow.relay_contract import (
    SIGNAL_AVVIKELSE,
    SIGNAL_BESLUT,
    SIGNAL_RAPPORT,
    WORKFLOW_ESKALERING,
    AvvikelseAndrad,
    BeslutTaget,
    EskaleringStart,
    RapportInkommen,
    acting_process,
    arshjul_workflow_id,
    eskalering_workflow_id,
    event_id,
    mandatperiod_workflow_id,
)
from lerum_flow.styrmodell import Styrmodell

# Offsets from the year a decision is taken to the budget year it belongs to.
CYCLE_YEAR_OFFSET = {
    str(BeslutKind.BUDGET): 1,
    str(BeslutKind.VERKSAMHETSPLAN): 1,
    str(BeslutKind.UPPFOLJNINGSPLAN): 1,
    str(BeslutKind.ANSVARSFRIHET): -1,
}


# What a person can do to a deviation that its escalation must hear of, by event type.
AVVIKELSE_CHANGES: dict[type[Any], str] = {
    Avvikelse.Acknowledged: "kvitterad",
    Avvikelse.Assessed: "bedomd",
    Avvikelse.Escalated: "eskalerad",
    Avvikelse.Closed: "stangd",
}
AVVIKELSE_TOPICS = (Avvikelse.Reported.TOPIC, *(cls.TOPIC for cls in AVVIKELSE_CHANGES))

# Reports come in batches on the same uppdrag ids; their issuer never changes.
ISSUER_CACHE_SIZE = 10_000


def beslut_target(
    styrmodell: Styrmodell, kind: str, decided_on: date, budget_year: int | None = None
) -> str | None:
    """The workflow id a decision of `kind` taken on `decided_on` concerns, if any.

    A budget decision that names its budget year goes to that year's cycle.
    """
    kommunkod = styrmodell.kommun.kod
    if kind == str(BeslutKind.BUDGET) and budget_year is not None:
        return arshjul_workflow_id(kommunkod, budget_year)
    if kind in CYCLE_YEAR_OFFSET:
        return arshjul_workflow_id(kommunkod, decided_on.year + CYCLE_YEAR_OFFSET[kind])
    if kind == str(BeslutKind.VILJA_OCH_MAL):
        election_year = styrmodell.mandate_election_year(decided_on)
        if election_year is not None:
            return mandatperiod_workflow_id(kommunkod, election_year)
    return None


class TemporalRoutes:
    """The production routes: decisions and reports become signals, deviations escalations.

    Escalations are started on `task_queue`; without one (a caller that runs no
    escalation workers) deviations are not routed at all.
    """

    def __init__(self, client: Client, governance: Governance, *, task_queue: str | None = None) -> None:
        self.client = client
        self.governance = governance
        self.task_queue = task_queue
        self.topics: Sequence[str] = (Beslut.Taken.TOPIC, Uppdrag.Reported.TOPIC) + (
            AVVIKELSE_TOPICS if task_queue else ()
        )
        self._issuer: dict[Any, str | None] = {}
        self._log = get_logger("lerum_flow.relay")

    async def target(self, event: Any) -> str | None:
        """The workflow `event` goes to, if any: known before acting, so the relay keeps each one's order."""
        if isinstance(event, Beslut.Taken):
            return beslut_target(
                self.governance.styrmodell, event.kind, event.effective_on, event.budget_year
            )
        if isinstance(event, Uppdrag.Reported):
            return await asyncio.to_thread(self._issuing_workflow, event.originator_id)
        if self.task_queue and isinstance(event, Avvikelse.Event):
            return eskalering_workflow_id(event.originator_id)
        return None

    async def __call__(self, event: Any, notification_id: int) -> None:
        target = await self.target(event)
        if target is None:
            return
        if isinstance(event, Beslut.Taken):
            await self.signal(target, SIGNAL_BESLUT, BeslutTaget.of(event, notification_id))
        elif isinstance(event, Uppdrag.Reported):
            await self.signal(
                target,
                SIGNAL_RAPPORT,
                RapportInkommen(
                    event_id=event_id(event.originator_id, event.originator_version),
                    notification_id=notification_id,
                    uppdrag_id=event.originator_id,
                    reported_by=event.actor,
                    reported_on=event.effective_on,
                    period=event.period,
                ),
            )
        elif self.task_queue and isinstance(event, Avvikelse.Event):
            await self._avvikelse(event, target, notification_id, self.task_queue)

    async def _avvikelse(
        self, event: Avvikelse.Event, workflow_id: str, notification_id: int, task_queue: str
    ) -> None:
        if isinstance(event, Avvikelse.Reported):
            await self.start(workflow_id, EskaleringStart(avvikelse_id=event.originator_id), task_queue)
            return
        what = AVVIKELSE_CHANGES.get(type(event))
        if what is None or event.actor == PROCESS_ACTOR:
            return
        await self.signal(
            workflow_id,
            SIGNAL_AVVIKELSE,
            AvvikelseAndrad(
                event_id=event_id(event.originator_id, event.originator_version),
                notification_id=notification_id,
                avvikelse_id=event.originator_id,
                version=event.originator_version,
                what=what,
            ),
        )

    async def start(self, workflow_id: str, start: EskaleringStart, task_queue: str) -> None:
        try:
            await self.client.start_workflow(
                WORKFLOW_ESKALERING,
                start,
                id=workflow_id,
                task_queue=task_queue,
                # Never a second escalation of the same deviation, even after the first ended.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            )
        except WorkflowAlreadyStartedError:
            self._log.info("relay_redan_startad", workflow_id=workflow_id)
            return
        self._log.info("relay_startade", workflow_id=workflow_id)

    def _issuing_workflow(self, uppdrag_id: Any) -> str | None:
        # Runs in several threads at once (the relay hands on concurrently): one may
        # clear the cache between another's lookup and its read, so read it once.
        with contextlib.suppress(KeyError):
            return self._issuer[uppdrag_id]
        if len(self._issuer) > ISSUER_CACHE_SIZE:
            self._issuer.clear()
        first = next(iter(self.governance.events_of(uppdrag_id, limit=1)), None)
        issuer = acting_process(first) if isinstance(first, Uppdrag.Issued) else None
        self._issuer[uppdrag_id] = issuer
        return issuer

    async def signal(self, workflow_id: str, name: str, message: BaseModel) -> None:
        try:
            await self.client.get_workflow_handle(workflow_id).signal(name, message)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            self._log.info("relay_ingen_mottagare", workflow_id=workflow_id, signal=name)
            return
        self._log.info("relay_signalerade", workflow_id=workflow_id, signal=name)
