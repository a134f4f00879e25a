"""Befattning: a position below the styrmodell's fixed chain (a unit's chef, a medarbetare)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidState
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.values import derive_id


def befattning_id(code: str) -> UUID:
    """The id of the position established under `code`: the writer and every reader derive it here."""
    return derive_id("befattning", code)


class Befattning(GovernanceAggregate):
    TOPIC = "lerum_flow:Befattning"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Befattning.Event"

    class Established(Event, Aggregate.Created):
        TOPIC = "lerum_flow:Befattning.Established"
        code: str
        name: str
        kind: str
        parent: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.position = Position(
                id=self.code, name=self.name, kind=PositionKind(self.kind), parent=self.parent
            )
            aggregate.discontinued = False

    class Discontinued(Event):
        TOPIC = "lerum_flow:Befattning.Discontinued"
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.discontinued = True

    def __init__(self) -> None:
        super().__init__()
        self.position = Position(id="", name="", kind=PositionKind.MEDARBETARE, parent=None)
        self.discontinued = False

    @classmethod
    def establish(cls, befattning_id: UUID, stamp: Stamp, *, position: Position) -> Befattning:
        return cls.start(
            cls.Established,
            befattning_id,
            stamp,
            code=position.id,
            name=position.name,
            kind=str(position.kind),
            parent=position.parent or "",
        )

    def discontinue(self, stamp: Stamp, *, reason: str) -> None:
        if self.discontinued:
            raise InvalidState("Befattningen är redan avvecklad.", field="position", rule="avvecklad")
        self.record(self.Discontinued, stamp, reason=reason)
