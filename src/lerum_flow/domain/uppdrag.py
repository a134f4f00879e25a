"""Uppdrag: the giver owns the WHAT, the recipient owns the HOW and reports back.

A mål is an uppdrag from a political organ. An uppdrag is done when the giver
has accepted its report, not when the recipient says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp, require_actor
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.values import UppdragStatus

Status = UppdragStatus
OPEN = frozenset(
    {Status.ISSUED, Status.ACCEPTED, Status.REPORTED, Status.REPORT_ACCEPTED, Status.REPORT_RETURNED}
)
IN_HAND = OPEN - {Status.ISSUED}


class Uppdrag(GovernanceAggregate):
    TOPIC = "lerum_flow:Uppdrag"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Uppdrag.Event"

    class Issued(Event, Aggregate.Created):
        TOPIC = "lerum_flow:Uppdrag.Issued"
        kind: str
        giver: str
        recipient: str
        title: str
        description: str
        due: date | None
        origin_beslut_id: UUID | None
        parent_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.kind = self.kind
            aggregate.giver = self.giver
            aggregate.recipient = self.recipient
            aggregate.title = self.title
            aggregate.description = self.description
            aggregate.due = self.due
            aggregate.issued_on = self.effective_on
            aggregate.origin_beslut_id = self.origin_beslut_id
            aggregate.parent_id = self.parent_id
            aggregate.status = Status.ISSUED

    class Accepted(Event):
        TOPIC = "lerum_flow:Uppdrag.Accepted"

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.ACCEPTED

    class Reported(Event):
        """The recipient's återrapportering: an assessment on the styrmodell's scale and a text."""

        TOPIC = "lerum_flow:Uppdrag.Reported"
        assessment: str
        text: str
        period: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.REPORTED

    class ReportAccepted(Event):
        TOPIC = "lerum_flow:Uppdrag.ReportAccepted"
        comment: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.REPORT_ACCEPTED

    class ReportReturned(Event):
        TOPIC = "lerum_flow:Uppdrag.ReportReturned"
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.REPORT_RETURNED

    class Revised(Event):
        """The giver changed the WHAT; the reason is kept."""

        TOPIC = "lerum_flow:Uppdrag.Revised"
        title: str
        description: str
        due: date | None
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.title = self.title
            aggregate.description = self.description
            aggregate.due = self.due

    class Completed(Event):
        TOPIC = "lerum_flow:Uppdrag.Completed"
        comment: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.COMPLETED

    class Withdrawn(Event):
        TOPIC = "lerum_flow:Uppdrag.Withdrawn"
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.WITHDRAWN

    def __init__(self) -> None:
        super().__init__()
        self.kind = ""
        self.giver = ""
        self.recipient = ""
        self.title = ""
        self.description = ""
        self.due: date | None = None
        self.issued_on = date.min
        self.origin_beslut_id: UUID | None = None
        self.parent_id: UUID | None = None
        self.status = Status.ISSUED

    @classmethod
    def issue(
        cls,
        uppdrag_id: UUID,
        stamp: Stamp,
        *,
        kind: str,
        giver: str,
        recipient: str,
        title: str,
        description: str,
        due: date | None,
        origin_beslut_id: UUID | None,
        parent_id: UUID | None,
    ) -> Uppdrag:
        require_actor(stamp, giver, role="uppdragsgivaren", field="as")
        if giver == recipient:
            raise InvalidInput(
                "Ett uppdrag ska riktas till någon annan än uppdragsgivaren.",
                field="to",
                rule="mottagare_annan_an_givare",
            )
        _require_due_after(due, stamp.effective_on)
        return cls.start(
            cls.Issued,
            uppdrag_id,
            stamp,
            kind=kind,
            giver=giver,
            recipient=recipient,
            title=title,
            description=description,
            due=due,
            origin_beslut_id=origin_beslut_id,
            parent_id=parent_id,
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_in_hand(self) -> bool:
        """Accepted by the recipient and not yet finished: it may be broken down further."""
        return self.status in IN_HAND

    def accept(self, stamp: Stamp) -> None:
        require_actor(stamp, self.recipient, role="uppdragstagaren")
        self._require_status({Status.ISSUED}, "tas emot")
        self.record(self.Accepted, stamp)

    def report(self, stamp: Stamp, *, assessment: str, text: str, period: str, scale: list[str]) -> None:
        require_actor(stamp, self.recipient, role="uppdragstagaren")
        self._require_status(IN_HAND - {Status.REPORTED}, "återrapporteras")
        check_assessment(assessment, scale)
        self.record(self.Reported, stamp, assessment=assessment, text=text, period=period)

    def accept_report(self, stamp: Stamp, *, comment: str) -> None:
        require_actor(stamp, self.giver, role="uppdragsgivaren")
        self._require_status({Status.REPORTED}, "få sin rapport godkänd")
        self.record(self.ReportAccepted, stamp, comment=comment)

    def return_report(self, stamp: Stamp, *, reason: str) -> None:
        require_actor(stamp, self.giver, role="uppdragsgivaren")
        self._require_status({Status.REPORTED}, "få sin rapport återförvisad")
        _require_reason(reason)
        self.record(self.ReportReturned, stamp, reason=reason)

    def revise(self, stamp: Stamp, *, title: str, description: str, due: date | None, reason: str) -> None:
        require_actor(stamp, self.giver, role="uppdragsgivaren")
        self._require_status(OPEN, "ändras")
        _require_reason(reason)
        _require_due_after(due, self.issued_on)
        self.record(self.Revised, stamp, title=title, description=description, due=due, reason=reason)

    def complete(self, stamp: Stamp, *, comment: str) -> None:
        require_actor(stamp, self.giver, role="uppdragsgivaren")
        self._require_status({Status.REPORT_ACCEPTED}, "slutföras (en godkänd rapport krävs)")
        self.record(self.Completed, stamp, comment=comment)

    def withdraw(self, stamp: Stamp, *, reason: str) -> None:
        require_actor(stamp, self.giver, role="uppdragsgivaren")
        self._require_status(OPEN, "återkallas")
        _require_reason(reason)
        self.record(self.Withdrawn, stamp, reason=reason)

    def _require_status(self, allowed: set[UppdragStatus] | frozenset[UppdragStatus], action: str) -> None:
        if self.status not in allowed:
            raise InvalidState(
                f"Uppdraget har status '{self.status}' och kan inte {action}.",
                field="uppdrag",
                rule="uppdragets_status",
            )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("Ett skäl ska anges.", field="reason", rule="skal_kravs")


def _require_due_after(due: date | None, issued_on: date) -> None:
    if due is not None and due < issued_on:
        raise InvalidInput(
            f"Slutdatum {due.isoformat()} ligger före uppdragets startdatum {issued_on.isoformat()}.",
            field="due",
            rule="datumordning",
        )


def check_assessment(assessment: str, scale: Sequence[str]) -> None:
    """Refuse an assessment that is not on the styrmodell's scale (bedömningsskalan)."""
    if assessment not in scale:
        raise InvalidInput(
            f"Bedömningen '{assessment}' finns inte i styrmodellens skala; välj en av: {', '.join(scale)}.",
            field="assessment",
            rule="bedomningsskala",
        )
