"""The commands the web door records, each through the same `Governance` method the command
line calls, in the position the record says the person acts in.

A client never names the position it is believed in: accepting and reporting
are the recipient's, reviewing the giver's, an acknowledgement the level's
where the deviation lies; `Governance` then refuses a person who did not hold
that position on the day. Issuing names the giving position only to choose
among the positions the person holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, TypeVar
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.avvikelse_acknowledgement import acknowledge_naming_the_first
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.input_dates import parse_day
from lerum_flow.web.idempotency import IdempotencyKeys, fingerprint
from lerum_flow.web.identity import Caller, check_may_act, person_of
from lerum_flow.web.reads import today
from lerum_flow.web.record import WebRecord

TCommand = TypeVar("TCommand", bound=c.Command)


class Identity(TypedDict):
    """The fields every command shares, given to its typed constructor as `**identity`."""

    actor: str
    person: str
    command_id: UUID | None


@dataclass(frozen=True)
class Request:
    """Who asks, with the idempotency key and the body it came with (for its fingerprint)."""

    caller: Caller
    path: str
    body: dict[str, Any]
    idempotency_key: str | None = None


def business_day(text: str | None) -> date:
    return parse_day(text, field="date") if text else today()


def parse_id(text: str, field: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise InvalidInput(f"'{text}' är inget giltigt id.", field=field, rule="ogiltigt_id") from None


class Actions:
    def __init__(self, record: WebRecord) -> None:
        self.record = record
        self.keys = IdempotencyKeys(record)

    def record_as(
        self,
        request: Request,
        handle: Callable[[Governance, TCommand], Outcome],
        position: str,
        build: Callable[[Identity], TCommand],
    ) -> Outcome:
        """Build the command (with its typed constructor, in `build`) as the person in `position`, with
        the idempotency key as its id, and record it; the key is kept once the command was recorded."""
        person = person_of(request.caller)
        with self.record.lock:
            print_ = fingerprint(request.path, request.body)
            command_id = (
                self.keys.command_id(person, request.idempotency_key, print_)
                if request.idempotency_key is not None
                else None
            )
            command = build({"actor": position, "person": person, "command_id": command_id})
            outcome = handle(self.record.governance, command)
            if request.idempotency_key is not None:
                self.keys.remember(person, request.idempotency_key, print_)
            return outcome

    def acting_day(self, request: Request, body: dict[str, Any]) -> date:
        """The business day of the command, once the caller is known to act in some position that day
        (which one is the record's to say, and `Governance`'s to check)."""
        on = business_day(body.get("date"))
        check_may_act(self.record, request.caller, on)
        return on

    def _uppdrag_side(self, uppdrag_id: UUID, side: str) -> str:
        with self.record.lock:
            uppdrag, _ = self.record.governance.read_with_events(Uppdrag, uppdrag_id)
        return str(getattr(uppdrag, side))

    # --- uppdrag --------------------------------------------------------------------------

    def own_position(self, request: Request, body: dict[str, Any], on: date, what: str) -> str:
        """The position a person acts in on their own initiative: the one they hold, or the one named
        among several (which `Governance` then checks against the register like any other)."""
        acting = check_may_act(self.record, request.caller, on)
        named = body.get("as")
        if named:
            return str(named)
        if len(acting) == 1:
            return acting[0]
        raise InvalidInput(
            f"Du innehar flera befattningar ({', '.join(acting)}); ange i vilken du {what}.",
            field="as",
            rule="befattning_kravs",
        )

    def issue_uppdrag(self, request: Request, body: dict[str, Any]) -> Outcome:
        on = business_day(body.get("date"))
        giver = self.own_position(request, body, on, "ger uppdraget")
        return self.record_as(
            request,
            Governance.issue_uppdrag,
            giver,
            lambda identity: c.parse_command(
                c.IssueUppdrag,
                **identity,
                kind=body.get("kind") or "uppdrag",
                recipient=body.get("to"),
                title=body.get("title"),
                description=body.get("description") or "",
                due=body.get("due") or None,
                origin_beslut_id=body.get("beslut") or None,
                parent_id=body.get("part-of") or None,
                issued_on=on,
                key=body.get("key") or "",
            ),
        )

    def accept_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        recipient = self._uppdrag_side(uppdrag_id, "recipient")
        return self.record_as(
            request,
            Governance.accept_uppdrag,
            recipient,
            lambda identity: c.parse_command(c.AcceptUppdrag, **identity, uppdrag_id=uppdrag_id, on=on),
        )

    def report_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        recipient = self._uppdrag_side(uppdrag_id, "recipient")
        return self.record_as(
            request,
            Governance.report_uppdrag,
            recipient,
            lambda identity: c.parse_command(
                c.ReportUppdrag,
                **identity,
                uppdrag_id=uppdrag_id,
                assessment=body.get("assessment"),
                text=body.get("text"),
                period=body.get("period") or "",
                on=on,
            ),
        )

    def accept_report(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        giver = self._uppdrag_side(uppdrag_id, "giver")
        return self.record_as(
            request,
            Governance.accept_report,
            giver,
            lambda identity: c.parse_command(
                c.AcceptReport, **identity, uppdrag_id=uppdrag_id, comment=body.get("comment") or "", on=on
            ),
        )

    def return_report(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        giver = self._uppdrag_side(uppdrag_id, "giver")
        return self.record_as(
            request,
            Governance.return_report,
            giver,
            lambda identity: c.parse_command(
                c.ReturnReport, **identity, uppdrag_id=uppdrag_id, reason=body.get("reason"), on=on
            ),
        )

    def break_down_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        """A sub-uppdrag under this one, given by its recipient (the only one who may break it down)."""
        recipient = self._uppdrag_side(uppdrag_id, "recipient")
        return self.issue_uppdrag(request, {**body, "part-of": str(uppdrag_id), "as": recipient})

    def revise_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        giver = self._uppdrag_side(uppdrag_id, "giver")
        return self.record_as(
            request,
            Governance.revise_uppdrag,
            giver,
            lambda identity: c.parse_command(
                c.ReviseUppdrag,
                **identity,
                uppdrag_id=uppdrag_id,
                title=body.get("title") or "",
                # Absent keeps the description there is, as the command line's absent option does.
                description=body.get("description"),
                due=body.get("due") or None,
                reason=body.get("reason"),
                on=on,
            ),
        )

    def complete_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        giver = self._uppdrag_side(uppdrag_id, "giver")
        return self.record_as(
            request,
            Governance.complete_uppdrag,
            giver,
            lambda identity: c.parse_command(
                c.CompleteUppdrag, **identity, uppdrag_id=uppdrag_id, comment=body.get("comment") or "", on=on
            ),
        )

    def withdraw_uppdrag(self, request: Request, uppdrag_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        giver = self._uppdrag_side(uppdrag_id, "giver")
        return self.record_as(
            request,
            Governance.withdraw_uppdrag,
            giver,
            lambda identity: c.parse_command(
                c.WithdrawUppdrag, **identity, uppdrag_id=uppdrag_id, reason=body.get("reason"), on=on
            ),
        )

    # --- avvikelser -----------------------------------------------------------------------

    def report_avvikelse(self, request: Request, body: dict[str, Any]) -> Outcome:
        on = business_day(body.get("date"))
        reporter = self.own_position(request, body, on, "rapporterar avvikelsen")
        return self.record_as(
            request,
            Governance.report_avvikelse,
            reporter,
            lambda identity: c.parse_command(
                c.ReportAvvikelse,
                **identity,
                subject_kind=body.get("about"),
                subject_ref=body.get("ref"),
                severity=body.get("severity"),
                category=body.get("category"),
                description=body.get("description"),
                occurred_on=on,
                key=body.get("key") or "",
            ),
        )

    def _level_of(self, avvikelse_id: UUID) -> str:
        with self.record.lock:
            avvikelse, _ = self.record.governance.read_with_events(Avvikelse, avvikelse_id)
        return avvikelse.level

    def acknowledge_avvikelse(self, request: Request, avvikelse_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        return self.record_as(
            request,
            acknowledge_naming_the_first(self.record.settings),
            self._level_of(avvikelse_id),
            lambda identity: c.parse_command(
                c.AcknowledgeAvvikelse, **identity, avvikelse_id=avvikelse_id, on=on
            ),
        )

    def escalate_avvikelse(self, request: Request, avvikelse_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        return self.record_as(
            request,
            Governance.escalate_avvikelse,
            self._level_of(avvikelse_id),
            lambda identity: c.parse_command(
                c.EscalateAvvikelse,
                **identity,
                avvikelse_id=avvikelse_id,
                to_level=body.get("to") or "",
                reason=body.get("reason") or "",
                on=on,
            ),
        )

    def decide_action(self, request: Request, avvikelse_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        return self.record_as(
            request,
            Governance.decide_action,
            self._level_of(avvikelse_id),
            lambda identity: c.parse_command(
                c.DecideAction, **identity, avvikelse_id=avvikelse_id, action=body.get("action"), on=on
            ),
        )

    def close_avvikelse(self, request: Request, avvikelse_id: UUID, body: dict[str, Any]) -> Outcome:
        on = self.acting_day(request, body)
        return self.record_as(
            request,
            Governance.close_avvikelse,
            self._level_of(avvikelse_id),
            lambda identity: c.parse_command(
                c.CloseAvvikelse,
                **identity,
                avvikelse_id=avvikelse_id,
                resolution=body.get("description"),
                on=on,
            ),
        )
