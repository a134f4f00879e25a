"""The escalation's activities, each registered as `eskalering.<verb>`: read where a deviation
stands, record a missed deadline, inform a level.

The workflow knows only what it waits for and until when (docs/arkitektur.md, rule 1):
each activity reads the deviation afresh from the store and returns its
`Lage`, deadline included, computed here in UTC, outside the sandbox. Every
write carries a command id derived from the workflow id and the step, so a
retried activity records nothing twice; notices go out at least once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from uuid import UUID

from temporalio import activity

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind, Notifier
from lerum_flow.relay_contract import system_person
from lerum_flow.workflows.eskalering.lage import read_lage
from lerum_flow.workflows.eskalering.models import FollowInput, InformInput, Lage, MissInput, MissResult
from lerum_flow.workflows.governance_steps import (
    OVERTAKEN,
    command_id,
    record,
    unless_overtaken,
)

# The domain's answer when the level no longer waits to acknowledge: someone
# acknowledged or escalated it while the deadline passed.
# Acknowledged or escalated by a person just as the deadline passed: nothing to record,
# and the read that follows shows what happened.
NO_LONGER_WAITING = frozenset({"vantar_inte_pa_kvittens"})
# The version of an outcome that recorded nothing because of that (no record has version 0).


class EskaleringActivities:
    """Activities on one Governance and one notifier."""

    def __init__(self, governance: Governance, *, notifier: Notifier | None = None) -> None:
        self.governance = governance
        self.notifier: Notifier = notifier or LoggingNotifier()

    @activity.defn(name="eskalering.follow")
    async def follow(self, request: FollowInput) -> Lage:
        lage = await self._read(request.avvikelse_id)
        return await self._notify_holder(lage, request.workflow_id, request.notified_visit, request.informed)

    @activity.defn(name="eskalering.record_missed_deadline")
    async def record_missed_deadline(self, request: MissInput) -> MissResult:
        """Record that the level let its deadline pass (which hands the deviation up); tell the next one."""
        outcome = await record(
            unless_overtaken(
                self.governance.miss_acknowledgement_deadline, NO_LONGER_WAITING, lambda c: c.avvikelse_id
            ),
            c.MissAcknowledgementDeadline,
            actor=c.PROCESS_ACTOR,
            person=system_person(request.workflow_id),
            command_id=command_id(f"{request.workflow_id}/kvittens-missad/{request.level}/{request.visit}"),
            avvikelse_id=request.avvikelse_id,
            level=request.level,
            deadline=request.deadline,
        )
        lage = await self._read(request.avvikelse_id)
        return MissResult(
            missed=outcome.version != OVERTAKEN,
            lage=await self._notify_holder(
                lage, request.workflow_id, request.notified_visit, request.informed
            ),
        )

    @activity.defn(name="eskalering.inform")
    async def inform(self, request: InformInput) -> bool:
        """Inform a level above of the deviation, once, and send it a notice."""
        outcome = await record(
            self.governance.inform_level,
            c.InformLevel,
            actor=c.PROCESS_ACTOR,
            person=system_person(request.workflow_id),
            command_id=command_id(f"{request.workflow_id}/informera/{request.level}"),
            avvikelse_id=request.avvikelse_id,
            level=request.level,
            on=request.on,
        )
        lage = await self._read(request.avvikelse_id)
        name = await asyncio.to_thread(lambda: self.governance.position(request.level).name)
        # In a thread: a channel such as e-mail waits on its server, the worker's loop must not.
        await asyncio.to_thread(
            self.notifier.notify,
            Notice(
                kind=NoticeKind.FOR_KANNEDOM,
                recipient=request.level,
                subject=f"För kännedom: allvarlig avvikelse hos {lage.level_name}",
                text=f"{name} informeras om en avvikelse av graden '{lage.severity}' som ligger hos "
                f"{lage.level_name}. Den kan påverka budgeten.",
                ref=str(request.avvikelse_id),
                workflow_id=request.workflow_id,
                key=f"{request.workflow_id}/informera/{request.level}",
            ),
        )
        return outcome.recorded

    async def _read(self, avvikelse_id: UUID) -> Lage:
        # No such deviation is a refusal, which ends the activity for good (`worker.RefusalsEndActivities`).
        return await asyncio.to_thread(read_lage, self.governance, avvikelse_id)

    async def _notify_holder(
        self, lage: Lage, workflow_id: str, notified_visit: int, informed: list[str]
    ) -> Lage:
        """Send the level holding the deviation its notice, once per visit as far as this workflow knows."""
        lage = lage.model_copy(update={"notified_visit": notified_visit})
        if not lage.notice_pending or set(lage.inform) - set(informed):
            return lage
        assert lage.deadline is not None
        local = lage.deadline.astimezone(MUNICIPAL_TIME)
        # In a thread: a channel such as e-mail waits on its server, the worker's loop must not.
        await asyncio.to_thread(
            self.notifier.notify,
            Notice(
                kind=NoticeKind.KVITTERA,
                recipient=lage.level,
                subject=f"Avvikelse att kvittera senast {local:%Y-%m-%d %H:%M}",
                text=f"En avvikelse ({lage.severity}) ligger hos {lage.level_name}. Kvittera den senast "
                f"{local:%Y-%m-%d %H:%M}; annars går den vidare uppåt i styrkedjan.",
                ref=str(lage.avvikelse_id),
                workflow_id=workflow_id,
                due=lage.deadline,
                key=f"{workflow_id}/kvittera/{lage.visit}",
            ),
        )
        return lage.model_copy(update={"notified_visit": lage.visit})

    def all(self) -> list[Callable[..., object]]:
        return [self.follow, self.record_missed_deadline, self.inform]
