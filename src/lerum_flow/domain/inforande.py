"""Införande: the register of förordnanden taken into use, once per store.

Every other förordnande is made by someone holding a position (see
`lerum_flow.domain.tillsattning`); this one record, with its fixed id, is what
makes the one förordnande that rests on nothing but itself happen only once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.values import derive_id

INFORANDE_ID = derive_id("inforande", "forordnanden")


class Inforande(GovernanceAggregate):
    TOPIC = "lerum_flow:Inforande"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Inforande.Event"

    class Recorded(Event, Aggregate.Created):
        """`secretary` became `position`'s sekreterare from `effective_on`, recorded by `person`."""

        TOPIC = "lerum_flow:Inforande.Recorded"
        position: str
        secretary: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.introduced_by = self.person
            aggregate.introduced_on = self.effective_on
            aggregate.recorded_at = self.timestamp

    def __init__(self) -> None:
        super().__init__()
        self.introduced_by = ""
        self.introduced_on = date.min
        self.recorded_at = datetime.min

    @classmethod
    def introduce(cls, stamp: Stamp, *, position: str, secretary: str) -> Inforande:
        return cls.start(cls.Recorded, INFORANDE_ID, stamp, position=position, secretary=secretary)
