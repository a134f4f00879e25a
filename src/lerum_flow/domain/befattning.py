"""Befattning: a position below the styrmodell's fixed chain (a unit's chef, a medarbetare)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.values import derive_id


def befattning_id(code: str) -> UUID:
    """The id of the position established under `code`: the writer and every reader derive it here."""
    return derive_id("befattning", code)


@dataclass(frozen=True)
class Ties:
    """What still hangs on a position on the day it would be discontinued, or after it: the
    positions placed directly below it, the people holding it (their terms), and the uppdrag
    given to it or by it that are neither completed nor withdrawn."""

    below: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    open_uppdrag: int = 0


def check_untied(code: str, ties: Ties) -> None:
    """Refuse to discontinue a position something still hangs on: a position below it would be left
    without a place in the chain, a holder would hold nothing, and an open uppdrag would have no one
    to report to or to report."""
    if ties.below:
        raise InvalidState(
            f"Befattningen '{code}' har befattningar under sig som inte är avvecklade den dagen: "
            f"{', '.join(ties.below)}; avveckla eller flytta dem först.",
            field="id",
            rule="befattningar_under",
        )
    if ties.holders:
        raise InvalidState(
            f"Befattningen '{code}' innehas den dagen eller senare av {', '.join(ties.holders)}; "
            "avsluta förordnandet före den dagen först.",
            field="id",
            rule="innehas",
        )
    if ties.open_uppdrag:
        raise InvalidState(
            f"Befattningen '{code}' har {ties.open_uppdrag} pågående uppdrag (givna till eller av "
            "den); slutför eller återkalla dem först.",
            field="id",
            rule="pagaende_uppdrag",
        )


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
            aggregate.discontinued_on = None

    class Discontinued(Event):
        TOPIC = "lerum_flow:Befattning.Discontinued"
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.discontinued = True
            aggregate.discontinued_on = self.effective_on

    def __init__(self) -> None:
        super().__init__()
        self.position = Position(id="", name="", kind=PositionKind.MEDARBETARE, parent=None)
        self.discontinued = False
        # The first day it no longer exists (None: not discontinued).
        self.discontinued_on: date | None = None

    def exists_on(self, day: date | None) -> bool:
        """Whether it still exists on `day` (None: once discontinued at all, it does not)."""
        if self.discontinued_on is None:
            return True
        return day is not None and day < self.discontinued_on

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

    def discontinue(self, stamp: Stamp, *, reason: str, ties: Ties = Ties()) -> None:
        if self.discontinued:
            raise InvalidState(
                f"Befattningen '{self.position.id}' är redan avvecklad.", field="id", rule="avvecklad"
            )
        if stamp.effective_on <= self.first_effective_on:
            raise InvalidInput(
                f"Befattningen inrättades {self.first_effective_on.isoformat()}; avvecklingsdagen, den "
                "första dag den inte längre finns, ska ligga efter den.",
                field="date",
                rule="datumordning",
            )
        check_untied(self.position.id, ties)
        self.record(self.Discontinued, stamp, reason=reason)
