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
class Tie:
    """A record that still hangs on a position: its id and what it is about (a delegering's
    matter, an avvikelse's category, a styrdokument's title, a control's plan, number and title),
    which the refusal names so it can be found and dealt with."""

    id: UUID
    about: str

    def __str__(self) -> str:
        return f"{self.id} ({self.about})"


@dataclass(frozen=True)
class Ties:
    """What still hangs on a position on the day it would be discontinued, or after it: the
    positions placed directly below it, the people holding it (their terms), the uppdrag
    given to it or by it that are neither completed nor withdrawn, the delegeringar to it still
    in force on the day or later, the avvikelser held at its level and not closed, the styrdokument
    it owns on the day or any later day (a revision may hand it to another owner, or to this one, from
    a day) or governs (its scope) still in force on the day or later, and the controls it owns on the
    day or any later day (a hand-over, likewise) in an internkontrollplan whose year reaches the day
    and whose year is not yet reported (a closed plan takes no more results: nothing is owed by its
    controls' owners)."""

    below: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    open_uppdrag: int = 0
    delegeringar: tuple[Tie, ...] = ()
    avvikelser: tuple[Tie, ...] = ()
    styrdokument: tuple[Tie, ...] = ()
    kontroller: tuple[Tie, ...] = ()


def check_untied(code: str, on: date, ties: Ties) -> None:
    """Refuse to discontinue a position something still hangs on: a position below it would be left
    without a place in the chain, a holder would hold nothing, an open uppdrag would have no one
    to report to or to report, and a styrdokument or a control would have no owner, from `on`."""
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
    if ties.delegeringar:
        # The decisions taken under it would be taken in a position that no longer exists.
        raise InvalidState(
            f"Befattningen '{code}' har delegeringar som gäller den dagen eller senare: "
            f"{', '.join(map(str, ties.delegeringar))}; återkalla dem från den dagen eller tidigare först.",
            field="id",
            rule="delegering_galler",
        )
    if ties.avvikelser:
        # Held at its level, an open avvikelse would wait for a recipient that no longer exists.
        raise InvalidState(
            f"Befattningen '{code}' har öppna avvikelser på sin nivå: "
            f"{', '.join(map(str, ties.avvikelser))}; avsluta eller eskalera dem först.",
            field="id",
            rule="oppna_avvikelser",
        )
    if ties.styrdokument:
        # Nobody would answer for the document, or it would govern a part of the organisation
        # that no longer exists.
        raise InvalidState(
            f"Befattningen '{code}' äger eller omfattas av styrdokument som gäller {on.isoformat()} "
            f"eller senare: {', '.join(map(str, ties.styrdokument))}; ge dem en annan ägare, eller "
            "upphäv eller ersätt dem, från den dagen eller tidigare först, eller avveckla den från "
            "en dag då den inte längre äger eller omfattas av dem.",
            field="id",
            rule="styrdokument_galler",
        )
    if ties.kontroller:
        # Its controls would be owed through the plan's year by a position that no longer exists;
        # a hand-over to another owner, the year's end or its report frees it.
        raise InvalidState(
            f"Befattningen '{code}' äger kontroller i internkontrollplaner vars år når den dagen: "
            f"{', '.join(map(str, ties.kontroller))}; lämna över dem till en annan ägare från den "
            "dagen eller tidigare först, eller avveckla den tidigast dagen efter planens år, eller när "
            "planens helårsrapport är lämnad.",
            field="id",
            rule="agda_kontroller",
        )


def check_not_outlived(
    code: str, gone_from: date | None, ends: date | None, *, what: str, field: str, remedy: str = ""
) -> None:
    """Refuse what would still stand on the position `code` on or after the day it is discontinued
    from (`gone_from`, already recorded for a later day): a position established under it, a term
    of a förordnande on it, a delegering to it, an uppdrag given to it or by it, an avvikelse held at
    its level, a styrdokument or a control it owns. `ends`: the last day it would stand (None: open,
    until someone ends it). `remedy`: what would let it in, when something would. One naming a
    position already gone on its first day is refused as naming a discontinued one."""
    if gone_from is not None and (ends is None or ends >= gone_from):
        raise InvalidState(
            f"Befattningen '{code}' avvecklas från {gone_from.isoformat()}; {what} skulle finnas kvar "
            f"när den inte längre finns{f'; {remedy}' if remedy else ''}.",
            field=field,
            rule="overlever_befattningen",
        )


def check_exists_on(
    code: str, day: date, *, established_from: date | None, gone_from: date | None, field: str
) -> None:
    """Refuse naming the position `code` in what is recorded for `day` (as giver, recipient, owner,
    delegate, appointee, organ, parent or acting position) unless it exists that day: established
    from `established_from` (None: a position of the fixed chain, there from the model's first day)
    and not discontinued from `gone_from` or earlier. A read about `day` describes such a position
    instead (`audit authority`, `organisation list`): this is for the commands that record."""
    if established_from is not None and day < established_from:
        raise InvalidState(
            f"Befattningen '{code}' fanns inte {day.isoformat()}: den inrättades först från "
            f"{established_from.isoformat()}.",
            field=field,
            rule="inte_inrattad_an",
        )
    if gone_from is not None and day >= gone_from:
        raise InvalidState(
            f"Befattningen '{code}' fanns inte {day.isoformat()}: den avvecklades från "
            f"{gone_from.isoformat()}.",
            field=field,
            rule="avvecklad",
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
            aggregate.discontinued_on = None

    class Discontinued(Event):
        TOPIC = "lerum_flow:Befattning.Discontinued"
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.discontinued_on = self.effective_on

    def __init__(self) -> None:
        super().__init__()
        self.position = Position(id="", name="", kind=PositionKind.MEDARBETARE, parent=None)
        # The first day it no longer exists (None: not discontinued).
        self.discontinued_on: date | None = None

    @property
    def discontinued(self) -> bool:
        """Whether its discontinuation is recorded, from whichever day."""
        return self.discontinued_on is not None

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
        check_untied(self.position.id, stamp.effective_on, ties)
        self.record(self.Discontinued, stamp, reason=reason)
