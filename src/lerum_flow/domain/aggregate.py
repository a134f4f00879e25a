"""The base of every governance aggregate: who, when, which command, and its secrecy.

Every event carries the command id it was recorded for, so a retried command
is recognised and answered "already recorded" instead of being recorded twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.values import Actor

TGovernanceAggregate = TypeVar("TGovernanceAggregate", bound="GovernanceAggregate")


@dataclass(frozen=True)
class Stamp:
    """What every command carries besides its own fields.

    `recorded_at` is the system time the application passes in (domain code
    never reads the clock); `effective_on` is when the fact took effect in the
    world (a decision's date, a delegation's first day); `secrecy` is empty for
    a public record, else the legal reference that makes it secret;
    `explicit_id` says the caller chose the command id (a workflow step, say)
    rather than it being derived from the command's content.
    """

    command_id: UUID
    actor: Actor
    recorded_at: datetime
    effective_on: date
    secrecy: str = ""
    explicit_id: bool = False
    # A correction's reason: lets a command be dated before the record's latest event.
    correction: str | None = None


class GovernanceAggregate(Aggregate):
    TOPIC = "lerum_flow:GovernanceAggregate"

    class Event(Aggregate.Event):
        TOPIC = "lerum_flow:GovernanceAggregate.Event"
        command_id: UUID
        actor: str
        person: str
        effective_on: date
        secrecy: str
        # The workflow that recorded the event, if one did (see Actor). Added after events
        # were stored: those, and events a person records, have none.
        process: str | None = field(default=None, kw_only=True)
        # Why an event is dated before the record's latest one (a correction), if it is.
        # Added after events were stored, like `process`.
        correction: str | None = field(default=None, kw_only=True)

        def apply(self, aggregate: Any) -> None:
            aggregate.handled_commands[self.command_id] = self.originator_version
            aggregate.event_actors.append(self.actor)
            if self.originator_version == 1:
                aggregate.first_effective_on = self.effective_on
            aggregate.last_effective_on = max(aggregate.last_effective_on, self.ordered_on)

        @property
        def ordered_on(self) -> date:
            """The day the event stands at in its record's date order: the day it takes effect, unless
            it was decided on an earlier day about that later one."""
            return self.effective_on

    def __init__(self) -> None:
        self.handled_commands: dict[UUID, int] = {}
        self.event_actors: list[str] = []
        self.first_effective_on = date.min
        self.last_effective_on = date.min

    def has_handled(self, command_id: UUID) -> bool:
        return command_id in self.handled_commands

    def acted_on_by_others_since(self, command_id: UUID, actor: str) -> bool:
        """Whether someone other than `actor` recorded anything after that command."""
        version = self.handled_commands[command_id]
        return any(other != actor for other in self.event_actors[version:])

    @staticmethod
    def stamp_fields(stamp: Stamp) -> dict[str, Any]:
        return {
            "timestamp": stamp.recorded_at,
            "command_id": stamp.command_id,
            "actor": stamp.actor.position,
            "person": stamp.actor.person,
            "process": stamp.actor.process,
            "effective_on": stamp.effective_on,
            "secrecy": stamp.secrecy,
            "correction": stamp.correction,
        }

    def record(
        self,
        event_class: type[Aggregate.Event],
        stamp: Stamp,
        *,
        ordered_on: date | None = None,
        decision_field: str = "beslut",
        **fields: Any,
    ) -> None:
        """Record the event if its day keeps the record's dates in order (or it is a correction). An
        event about a later day (the stamp's) decided on an earlier one stands in the order at the
        decision's day, `ordered_on`, which its event must also give as its `ordered_on`; a refusal
        then names `decision_field`, where the command gives that day."""
        if stamp.effective_on < self.first_effective_on:
            raise InvalidInput(
                f"Datumet {stamp.effective_on.isoformat()} ligger före postens första dag "
                f"{self.first_effective_on.isoformat()}; inget kan gälla innan posten finns.",
                field="date",
                rule="datumordning",
            )
        ordered = stamp.effective_on if ordered_on is None else ordered_on
        if ordered < self.last_effective_on and not stamp.correction:
            # A record's business dates run forward; an earlier one is a correction, said as such.
            dated, named = (
                (f"Datumet {ordered.isoformat()}", "date")
                if ordered_on is None
                else (f"Beslutet, daterat {ordered.isoformat()},", decision_field)
            )
            raise InvalidInput(
                f"{dated} ligger före postens senaste händelse, "
                f"daterad {self.last_effective_on.isoformat()}. Är det en rättelse, ange skälet "
                "(rattelse).",
                field=named,
                rule="datumordning",
            )
        self.trigger_event(event_class, **self.stamp_fields(stamp), **fields)

    @classmethod
    def start(
        cls: type[TGovernanceAggregate],
        event_class: type[Aggregate.Created],
        aggregate_id: UUID,
        stamp: Stamp,
        **fields: Any,
    ) -> TGovernanceAggregate:
        return cls._create(event_class, id=aggregate_id, **cls.stamp_fields(stamp), **fields)


class DecidedAheadEvent(GovernanceAggregate.Event):
    """An event an organ may decide on one day about a later one (a hand-over, a revision or an
    adoption from 1 September, decided in March): it takes effect on `effective_on` and stands in its
    record's date order at `decided_on`, so what the record sees in between is no correction."""

    TOPIC = "lerum_flow:GovernanceAggregate.DecidedAheadEvent"
    # Added after such events were stored: those have none, and stand in their record's date order at
    # `effective_on` as they always did.
    decided_on: date | None = field(default=None, kw_only=True)

    @property
    def ordered_on(self) -> date:
        return self.effective_on if self.decided_on is None else self.decided_on


def require_actor(stamp: Stamp, position: str, *, role: str, field: str = "as") -> None:
    """Refuse unless the command is made by the holder of `position`."""
    if stamp.actor.position != position:
        raise NotPermitted(
            f"Endast {role} ({position}) får göra detta, inte '{stamp.actor.position}'.",
            field=field,
            rule=f"endast_{role.replace(' ', '_')}",
        )
