"""The relay's route for governing documents: each decision on a document reaches its review timer.

Adopting, revising, reviewing, repealing or superseding a document is
signalled to the document's review workflow (`styrdokument-<id>`),
which is started with the signal if it is not running: a repealed
document's ended timer wakes for a late repeat, reads the document, and ends
again. The review process's own events (a document flagged because its
parent changed) are not signalled: the process recorded them and knows.
A repeat of an event is recognised by the workflow by its event id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from temporalio.client import Client

from lerum_flow.commands import PROCESS_ACTOR
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.logs import get_logger
from lerum_flow.relay_contract import event_id
from lerum_flow.styrdokument_contract import (
    AKTUALITETSPROVAT,
    ANTAGET,
    ERSATT,
    REVIDERAT,
    SIGNAL_STYRDOKUMENT,
    UPPHAVT,
    WORKFLOW_AKTUALITETSPROVNING,
    AktualitetsprovningStart,
    StyrdokumentAndrat,
    aktualitetsprovning_workflow_id,
)

# What a person's decision did to a document, by event type.
STYRDOKUMENT_CHANGES: Mapping[type[Any], str] = {
    Styrdokument.Adopted: ANTAGET,
    Styrdokument.Revised: REVIDERAT,
    Styrdokument.Reviewed: AKTUALITETSPROVAT,
    Styrdokument.Repealed: UPPHAVT,
    Styrdokument.Superseded: ERSATT,
}


class StyrdokumentRoutes:
    """Starts or signals each document's review timer on `task_queue`."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue
        self.topics = tuple(cls.TOPIC for cls in STYRDOKUMENT_CHANGES)
        self._log = get_logger("lerum_flow.relay")

    async def target(self, event: Any) -> str | None:
        if type(event) not in STYRDOKUMENT_CHANGES or event.actor == PROCESS_ACTOR:
            return None
        return aktualitetsprovning_workflow_id(event.originator_id)

    async def __call__(self, event: Any, notification_id: int) -> None:
        workflow_id = await self.target(event)
        if workflow_id is None:
            return
        message = StyrdokumentAndrat(
            event_id=event_id(event.originator_id, event.originator_version),
            notification_id=notification_id,
            styrdokument_id=event.originator_id,
            version=event.originator_version,
            what=STYRDOKUMENT_CHANGES[type(event)],
            on=event.effective_on,
        )
        # Signal-with-start: one running timer per document, started by whichever comes first.
        await self.client.start_workflow(
            WORKFLOW_AKTUALITETSPROVNING,
            AktualitetsprovningStart(styrdokument_id=event.originator_id),
            id=workflow_id,
            task_queue=self.task_queue,
            start_signal=SIGNAL_STYRDOKUMENT,
            start_signal_args=[message],
        )
        self._log.info("relay_signalerade", workflow_id=workflow_id, signal=SIGNAL_STYRDOKUMENT)
