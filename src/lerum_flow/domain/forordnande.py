"""Förordnande: one person holding one position, term by term (an employee's förordnande, an
elected member's, chair's, ersättare's or revisor's uppdrag, the kanslienhet's sekreterare).

One record per position and person: every term that person has held in that
position, in order. Terms are never edited: a term ended early (entledigande,
avsägelse) or recorded wrongly is ended by a new event with its reason, and a
new term (re-election, a corrected period) is a new event too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput, InvalidState, field_named
from lerum_flow.domain.values import derive_id


def forordnande_id(position: str, person: str) -> UUID:
    """The record of `person`'s terms in `position`; the writer and every command's check derive it here."""
    return derive_id("forordnande", position, person)


class Role(StrEnum):
    """In what capacity a person holds a position."""

    LEDAMOT = "ledamot"  # an elected member of an organ
    ERSATTARE = "ersattare"  # an elected substitute: serves when a member (or the chair) cannot
    VALD = "vald"  # elected to a post held by one person (an ordförande)
    REVISOR = "revisor"  # an elected auditor
    SEKRETERARE = "sekreterare"  # the kanslienhet's official who records the organ's decisions
    ANSTALLD = "anstalld"  # an employee appointed to an official's position
    TILLFORORDNAD = "tillforordnad"  # an employee acting in an official's position for a time


# Elected for a term of office: such a förordnande always has a last day.
ELECTED_ROLES = frozenset({Role.LEDAMOT, Role.ERSATTARE, Role.VALD, Role.REVISOR})

ROLE_NAMES = {
    Role.LEDAMOT: "ledamot",
    Role.ERSATTARE: "ersättare",
    Role.VALD: "vald",
    Role.REVISOR: "revisor",
    Role.SEKRETERARE: "sekreterare",
    Role.ANSTALLD: "anställd",
    Role.TILLFORORDNAD: "tillförordnad",
}


class Basis(StrEnum):
    """What an appointment rests on (see `lerum_flow.domain.tillsattning`)."""

    INFORANDE = "inforande"  # the introduction of the register: its one unsupported act
    VALBEVIS = "valbevis"  # Länsstyrelsen's certificate of who the voters elected to fullmäktige
    BESLUT = "beslut"  # a decision of the appointing organ
    EGET = "eget"  # the appointing official's own act (a chef hires)


@dataclass(frozen=True)
class Term:
    """One term: held from `valid_from` up to, not including, `ends` (None: until further notice)."""

    role: Role
    valid_from: date
    ends: date | None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.ends is None or day < self.ends)

    @property
    def last_day(self) -> date | None:
        return None if self.ends is None else self.ends - timedelta(days=1)


def first_day_after(last_day: date | None) -> date | None:
    """The day a term whose last day is `last_day` no longer covers."""
    return None if last_day is None else last_day + timedelta(days=1)


@dataclass(frozen=True)
class Appointment:
    """What an appointment says besides who and where: the role, the last day (None: until
    further notice), the day it was decided and what it rests on."""

    role: Role
    valid_until: date | None
    decided_on: date
    basis: Basis
    reference: str = ""
    beslut_id: UUID | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "role": str(self.role),
            "valid_until": self.valid_until,
            "decided_on": self.decided_on,
            "basis": str(self.basis),
            "reference": self.reference,
            "beslut_id": self.beslut_id,
        }


class Forordnande(GovernanceAggregate):
    TOPIC = "lerum_flow:Forordnande"

    class Event(GovernanceAggregate.Event):
        """Decided on `decided_on` (every förordnande event has always stored it), about a term from or
        to `effective_on`, which may be a later day or, for an appointment recorded after the fact, an
        earlier one."""

        TOPIC = "lerum_flow:Forordnande.Event"
        decided_on: date

        @property
        def ordered_on(self) -> date:
            # Decided ahead, the record's dates run to the decision's day only: a later decision about
            # the same term (ending it earlier) is no correction. Decided after the day it counts from,
            # it stands there, as it always did.
            return min(self.effective_on, self.decided_on)

    class Appointed(Event, Aggregate.Created):
        """`appointee` holds `position` in `role` from `effective_on` to `valid_until` (its last day)."""

        TOPIC = "lerum_flow:Forordnande.Appointed"
        position: str
        appointee: str
        role: str
        valid_until: date | None
        basis: str
        reference: str
        beslut_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.position = self.position
            aggregate.appointee = self.appointee
            aggregate.terms = [Term(Role(self.role), self.effective_on, first_day_after(self.valid_until))]

    class Reappointed(Event):
        """A further term in the same position (re-elected, appointed anew), after the earlier ones."""

        TOPIC = "lerum_flow:Forordnande.Reappointed"
        role: str
        valid_until: date | None
        basis: str
        reference: str
        beslut_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            term = Term(Role(self.role), self.effective_on, first_day_after(self.valid_until))
            aggregate.terms = [*aggregate.terms, term]

    class Ended(Event):
        """The latest term no longer holds from `effective_on` (its first day without it)."""

        TOPIC = "lerum_flow:Forordnande.Ended"
        reason: str
        beslut_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            last = aggregate.terms[-1]
            aggregate.terms = [*aggregate.terms[:-1], Term(last.role, last.valid_from, self.effective_on)]

    def __init__(self) -> None:
        super().__init__()
        self.position = ""
        self.appointee = ""
        self.terms: list[Term] = []

    def held_on(self, day: date) -> Term | None:
        """The term that covers `day`, if any."""
        return next((t for t in self.terms if t.covers(day)), None)

    @classmethod
    def appoint(
        cls, forordnande_id: UUID, stamp: Stamp, *, position: str, appointee: str, appointment: Appointment
    ) -> Forordnande:
        """The first term; `stamp.effective_on` is its first day."""
        check_period(appointment.role, stamp.effective_on, appointment.valid_until)
        return cls.start(
            cls.Appointed,
            forordnande_id,
            stamp,
            position=position,
            appointee=appointee,
            **appointment.fields(),
        )

    def reappoint(self, stamp: Stamp, appointment: Appointment) -> None:
        """A further term from `stamp.effective_on`, after every earlier one has ended."""
        check_period(appointment.role, stamp.effective_on, appointment.valid_until)
        last = self.terms[-1]
        if last.ends is None or stamp.effective_on < last.ends:
            held = "tills vidare" if last.last_day is None else f"till och med {last.last_day.isoformat()}"
            raise InvalidState(
                f"{self.appointee} innehar redan '{self.position}' som {ROLE_NAMES[last.role]} "
                f"från {last.valid_from.isoformat()} {held}; avsluta det förordnandet först "
                "eller låt det nya börja efter det.",
                field="valid-from",
                rule="overlappande_forordnande",
            )
        self.record(
            self.Reappointed,
            stamp,
            ordered_on=min(stamp.effective_on, appointment.decided_on),
            decision_field="date",
            **appointment.fields(),
        )

    def end(self, stamp: Stamp, *, decided_on: date, reason: str, beslut_id: UUID | None) -> None:
        """End the latest term from `stamp.effective_on`; from its first day, it is as never held."""
        last = self.terms[-1]
        if last.ends is not None and stamp.effective_on >= last.ends:
            raise InvalidState(
                f"Förordnandet som '{self.position}' gällde bara till och med "
                f"{last.ends - timedelta(days=1)}; det finns inget att avsluta därefter.",
                field="valid-until",
                rule="redan_avslutat",
            )
        if stamp.effective_on < last.valid_from:
            raise InvalidInput(
                f"Förordnandet börjar {last.valid_from.isoformat()}; sista dagen kan inte ligga före "
                "dagen innan dess.",
                field="valid-until",
                rule="datumordning",
            )
        if not reason.strip():
            raise InvalidInput("Ange skälet till att förordnandet upphör.", field="reason", rule="skal_kravs")
        self.record(
            self.Ended,
            stamp,
            ordered_on=min(stamp.effective_on, decided_on),
            decision_field="date",
            decided_on=decided_on,
            reason=reason,
            beslut_id=beslut_id,
        )


def check_period(role: Role, valid_from: date, valid_until: date | None) -> None:
    """Refuse a term that ends before it starts, or an elected one without an end."""
    if valid_until is None and role in ELECTED_ROLES:
        raise InvalidInput(
            f"En {ROLE_NAMES[role]} väljs för en mandattid: ange den sista dagen "
            f"({field_named('valid-until')}).",
            field="valid-until",
            rule="mandattid_kravs",
        )
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput(
            f"Sista dagen {valid_until.isoformat()} ligger före första dagen {valid_from.isoformat()}.",
            field="valid-until",
            rule="datumordning",
        )
