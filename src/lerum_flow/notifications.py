"""Notices to people: one small interface, so that a real channel (e-mail, chat) is one new class.

A notice tells a position that something waits for it: a deviation to
acknowledge by a deadline, a deviation it is informed of, a report to hand
in. Notices are not governance facts (the event store holds those); they are
sent from activities, at least once: an activity retried after a crash sends
its notice again, so a channel that can should drop a repeat by `key` (the
e-mail channel does, `email_notices`). Activities call a channel in a thread:
it may wait on a server.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from lerum_flow.logs import get_logger


class NoticeKind(StrEnum):
    KVITTERA = "kvittera"  # a deviation has reached the recipient's level: acknowledge it
    FOR_KANNEDOM = "for_kannedom"  # informed of a deviation held by a level below
    PAMINNELSE = "paminnelse"  # a report is due


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    # A position id of the styrkedja; who holds it is the channel's business.
    recipient: str
    subject: str
    text: str
    # The record concerned (avvikelse or uppdrag id).
    ref: str
    workflow_id: str
    # The instant by which the recipient must act, if any (UTC).
    due: datetime | None = None
    # The same for every resend of the same notice.
    key: str


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None: ...


class LoggingNotifier:
    """Writes each notice to the log until a real channel is chosen."""

    def __init__(self) -> None:
        self._log = get_logger("lerum_flow.notiser")

    def notify(self, notice: Notice) -> None:
        self._log.info(
            "notis",
            kind=str(notice.kind),
            recipient=notice.recipient,
            subject=notice.subject,
            ref=notice.ref,
            due=notice.due.isoformat() if notice.due else None,
            workflow_id=notice.workflow_id,
            key=notice.key,
        )
