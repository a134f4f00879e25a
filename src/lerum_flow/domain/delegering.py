"""Delegering: the right to decide in one matter on an organ's behalf."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.delegation_chain import in_force
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.values import derive_id


def delegering_id(beslut_id: UUID, matter: str, delegate: str) -> UUID:
    """The id of the delegation of `matter` to `delegate` under the decision `beslut_id`.

    One per decision, matter and delegate, so a repeated grant is recognised;
    a planner that refers to a delegation before it is granted derives it here too.
    """
    return derive_id("delegering", str(beslut_id), matter, delegate)


class Delegering(GovernanceAggregate):
    TOPIC = "lerum_flow:Delegering"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Delegering.Event"

    class Granted(Event, Aggregate.Created):
        """In force from `effective_on`, under the decision `beslut_id`."""

        TOPIC = "lerum_flow:Delegering.Granted"
        granted_by: str
        delegate: str
        matter: str
        urgent: bool
        beslut_id: UUID
        parent_id: UUID | None
        conditions: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.granted_by = self.granted_by
            aggregate.delegate = self.delegate
            aggregate.matter = self.matter
            aggregate.urgent = self.urgent
            aggregate.parent_id = self.parent_id
            aggregate.valid_from = self.effective_on
            aggregate.valid_until = None

    class Revoked(Event):
        """No longer in force from `effective_on`."""

        TOPIC = "lerum_flow:Delegering.Revoked"
        reason: str
        beslut_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.valid_until = self.effective_on

    def __init__(self) -> None:
        super().__init__()
        self.granted_by = ""
        self.delegate = ""
        self.matter = ""
        self.urgent = False
        self.parent_id: UUID | None = None
        self.valid_from = date.min
        self.valid_until: date | None = None

    @classmethod
    def grant(
        cls,
        delegering_id: UUID,
        stamp: Stamp,
        *,
        granted_by: str,
        delegate: str,
        matter: str,
        urgent: bool,
        beslut_id: UUID,
        parent_id: UUID | None,
        conditions: str,
    ) -> Delegering:
        return cls.start(
            cls.Granted,
            delegering_id,
            stamp,
            granted_by=granted_by,
            delegate=delegate,
            matter=matter,
            urgent=urgent,
            beslut_id=beslut_id,
            parent_id=parent_id,
            conditions=conditions,
        )

    def in_force_on(self, day: date) -> bool:
        return in_force(self.valid_from, self.valid_until, day)

    def revoke(self, stamp: Stamp, *, reason: str, beslut_id: UUID | None) -> None:
        if stamp.actor.position != self.granted_by:
            raise NotPermitted(
                f"Endast den som delegerat ({self.granted_by}) kan återkalla delegeringen.",
                field="as",
                rule="endast_delegerande_aterkallar",
            )
        if self.valid_until is not None:
            raise InvalidState(
                f"Delegeringen är redan återkallad från {self.valid_until.isoformat()}.",
                field="delegering",
                rule="redan_aterkallad",
            )
        if not reason.strip():
            raise InvalidInput("Ett återkallande ska ha ett skäl.", field="reason", rule="skal_kravs")
        if stamp.effective_on < self.valid_from:
            raise InvalidInput(
                f"Återkallandet kan inte gälla före delegeringens första dag {self.valid_from.isoformat()}.",
                field="valid-from",
                rule="datumordning",
            )
        self.record(self.Revoked, stamp, reason=reason, beslut_id=beslut_id)
